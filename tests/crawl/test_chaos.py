"""The whole farm crawled under chaos (sitefarm/server/chaos.py): seeded transient faults on a
tenth of all answers — resets mid-body, cut gzip streams, lying Content-Lengths, stalls, 5xx/429,
challenge pages. With retries enough to outlast them, the crawl must end with every report of the
manifest and nothing else, valid WARC files, and every fault the crawler could notice in its
crawl log against the URL it hit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitefarm.build import ensure_build
from sitefarm.config import FarmConfig
from sitefarm.serve import serve_in_process
from tests.crawl.conftest import FarmCrawl, run_crawl_process
from tests.crawl.test_farm_crawl import _expected, _stored

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Every kind but the silent ones (a shorter Content-Length, a cut gzip stream that the decoders
# accept as complete): a crawler cannot retry what it does not notice. bench/bench_chaos.py
# --kinds all measures what those cost.
CHAOS = "20261203:0.1:recoverable"
# Chaos answers attempt 3 of any request correctly; four retries leave room for the attempts a
# challenge's render and Twisted's own keep-alive retry spend.
CRAWL_ENV = {
    "NIANBAO_RETRIES": "4",
    # Chromium never fires `load` for a document that failed mid-body, so such a navigation ends
    # only at the timeout (and is retried): 20 s keeps the test inside its budget.
    "NIANBAO_TIMEOUT_S": "20",
    # A minimum-rate window shorter than the longest stalls (5 s): a stalled body spans more than
    # a window. (The crawler measures the rate when bytes arrive, counting the chunk that ends the
    # stall, so a single pause is not cut; a cut one would be a `slow` line.)
    "NIANBAO_RATE_WINDOW_S": "3",
}

# What a crawl log line says about a URL when the crawler met a failure there.
NOTICED = {"retry", "failed", "render", "slow", "parse_failed", "host-given-up"}


@pytest.fixture(scope="module")
def chaos_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FarmCrawl, list[dict]]]:
    folder = tmp_path_factory.mktemp("chaos")
    build = ensure_build(FarmConfig.parse(1, "2026-02-01", "small"), log=lambda m: None)
    log = folder / "chaos.jsonl"
    with serve_in_process(build, chaos=CHAOS, chaos_log=log) as farm, pytest.MonkeyPatch.context() as mp:
        for name, value in CRAWL_ENV.items():
            mp.setenv(name, value)
        crawl = run_crawl_process(farm, f"sqlite:///{folder / 'nianbao.sqlite'}", folder, timeout=600)
        faults = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        yield crawl, faults


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc, unquote(parts.path) + ("?" + unquote(parts.query) if parts.query else "")


def _events(crawl: FarmCrawl) -> list[dict]:
    return [json.loads(line) for line in crawl.log.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_chaos_crawl_finishes_with_every_report(chaos_crawl: tuple[FarmCrawl, list[dict]]) -> None:
    crawl, faults = chaos_crawl
    kinds = Counter(f["fault"] for f in faults)
    print(f"\n{len(faults)} faults injected: {dict(sorted(kinds.items()))}")
    assert crawl.exit_code in (4, 5), crawl.output[-3000:]
    assert set(kinds) >= {"reset", "status", "stall", "challenge", "length-long", "stall-body"}, kinds
    expected, stored = _expected(crawl), _stored(crawl)
    missing = sorted(set(expected) - set(stored))
    assert not missing, f"{len(missing)} of {len(expected)} reports lost under chaos, e.g. {missing[:10]}"
    extra = sorted(set(stored) - set(expected))
    assert not extra, f"{len(extra)} stored reports are not in the manifest: {extra[:10]}"


def test_chaos_warc_files_pass_warcio_check(chaos_crawl: tuple[FarmCrawl, list[dict]]) -> None:
    crawl, _ = chaos_crawl
    files = sorted(crawl.archive.glob("*.warc.gz"))
    assert files
    warcio = Path(sys.executable).with_name("warcio")
    for f in files:
        run = subprocess.run([str(warcio), "check", str(f)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_every_fault_the_crawler_met_is_logged(chaos_crawl: tuple[FarmCrawl, list[dict]]) -> None:
    """Each fault a plain request met is a retry / failed / render / slow line for its URL with a
    reason; a browser navigation's fault follows a render line for its URL. Stalls the crawler
    waited out are not failures; browser subresources (scripts, XHR) are the page's, not
    checked one by one."""
    crawl, faults = chaos_crawl
    events = _events(crawl)
    assert all(e.get("reason") for e in events if e["event"] in NOTICED - {"host-given-up"}), [
        e for e in events if e["event"] in NOTICED and not e.get("reason")][:5]
    noticed: dict[tuple[str, str], list[dict]] = {}
    for e in events:
        if e["event"] in NOTICED and e.get("url"):
            noticed.setdefault(_key(e["url"]), []).append(e)
    unlogged: list[dict] = []
    checked: Counter[str] = Counter()
    for f in faults:
        if f["fault"] in ("stall", "stall-body"):
            continue
        if f["client"] == "browser" and f.get("dest") not in (None, "document", "iframe"):
            continue
        checked[f["fault"]] += 1
        if not noticed.get(_key(f["url"])):
            unlogged.append(f)
    print(f"\nfaults checked against the crawl log: {dict(sorted(checked.items()))}")
    assert not unlogged, f"{len(unlogged)} faults left no trace in the crawl log, e.g. " + json.dumps(
        unlogged[:5], ensure_ascii=False)

