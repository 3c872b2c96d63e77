"""Per-page cost of the pure functions a crawl calls on every page, on real pages of the large
farm's bulk portal: decode_html, page_state, analyse (whole-site scope), WarcWriter.write_exchange
and CrawlLog.write (one fetched line and five skipped, as on a bulk page).

    python bench/bench_page.py [--pages 2000]

Prints µs per page of each, best of five rounds of CPU time (other load distorts CPU time least).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.crawllog import CrawlLog  # noqa: E402
from crawler.discovery.page import Hop, analyse  # noqa: E402
from crawler.documents.encoding import decode_html  # noqa: E402
from crawler.fetch.detect import page_state  # noqa: E402
from sitefarm.build import ensure_build  # noqa: E402
from sitefarm.config import FarmConfig  # noqa: E402
from sitefarm.serve import serve_in_process  # noqa: E402
from storage.warc import WarcWriter  # noqa: E402

Page = tuple[str, int, list[tuple[str, str]], bytes]
REQUEST_HEADERS = [("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                   ("Accept-Language", "en"), ("User-Agent", "nianbao"), ("Accept-Encoding", "gzip, deflate")]


def fetch_pages(start: str, n: int) -> list[Page]:
    """``n`` HTML pages of the portal, breadth first from ``start``."""
    host, queue, seen = urlsplit(start).netloc, [start], {start}
    pages: list[Page] = []
    while queue and len(pages) < n:
        url = queue.pop(0)
        with urllib.request.urlopen(url, timeout=30) as resp:
            headers, body = list(resp.headers.items()), resp.read()
        if "html" not in dict(headers).get("Content-Type", ""):
            continue
        pages.append((url, resp.status, headers, body))
        for href in re.findall(rb'href="([^"#]+)"', body):
            link = urljoin(url, href.decode("utf-8", "replace"))
            if urlsplit(link).netloc == host and link not in seen and not link.endswith((".pdf", ".doc", ".docx")):
                seen.add(link)
                queue.append(link)
    return pages


def per_page(pages: list[Page], run: Callable[[], object]) -> float:
    """µs of CPU time per page, best of five rounds."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best / len(pages) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    args = ap.parse_args()
    farm = serve_in_process(ensure_build(FarmConfig.parse(size="large"), log=lambda m: None))
    try:
        pages = fetch_pages(farm.manifest.home_url("bulk"), args.pages)
    finally:
        farm.stop()
    ctypes = [dict(h).get("Content-Type", "") for _, _, h, _ in pages]
    texts = [decode_html(body, ct)[0] for (_, _, _, body), ct in zip(pages, ctypes, strict=True)]
    netlocs = frozenset({urlsplit(pages[0][0]).netloc})
    hop = Hop("other", 3, "HLLL", pages[0][0])
    now = datetime.now(UTC)

    def warc() -> None:
        with tempfile.TemporaryDirectory() as tmp, WarcWriter(tmp, 1, compress_level=3) as writer:
            for url, status, headers, body in pages:
                writer.write_exchange(url, status=status, response_headers=headers, body=body, fetched_at=now,
                                      request_headers=REQUEST_HEADERS, discovered_from=pages[0][0])

    def log() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            crawl_log = CrawlLog(Path(tmp), 1)
            for url, status, _, body in pages:
                crawl_log.write("fetched", url, status=status, capture="<urn:uuid:0>", rendered=False,
                                bytes=len(body), kind="other", depth=3, discovered_from=pages[0][0], path="HLLL")
                for _ in range(5):
                    crawl_log.write("skipped", "http://www.gov.cn/", reason="offsite (www.gov.cn)", discovered_from=url)
            crawl_log.close()

    figures = {
        "decode_html": lambda: [decode_html(p[3], ct) for p, ct in zip(pages, ctypes, strict=True)],
        "page_state": lambda: [page_state(p[1], p[3], ct) for p, ct in zip(pages, ctypes, strict=True)],
        "analyse (whole site)": lambda: [analyse(p[0], t, hop, netlocs, 8, True) for p, t in zip(pages, texts, strict=True)],
        "WarcWriter.write_exchange": warc,
        "CrawlLog.write (6 lines)": log,
    }
    print(f"{len(pages)} pages, {sum(len(p[3]) for p in pages) // len(pages)} bytes on average")
    for name, run in figures.items():
        print(f"{name:28s} {per_page(pages, run):8.1f} µs/page")


if __name__ == "__main__":
    main()
