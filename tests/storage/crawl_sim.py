"""A stand-in crawl loop over the storage layer, run as a subprocess that tests SIGKILL.

It does what the real crawl does per request — claim from the frontier, write the WARC records,
store the capture, mark the request done, queue discovered links, commit — with made-up pages,
so the resume test exercises exactly the storage contract. Usage:

    python -m tests.storage.crawl_sim DB_URL ARCHIVE_DIR RUN_ID
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime

from storage import db, repo
from storage.frontier import FrontierRequest
from storage.warc import WarcWriter

PAGES = 40


def body_of(url: str) -> bytes:
    """Deterministic page bytes: ~6 KB, partly incompressible so records are big enough to tear."""
    seed = hashlib.sha256(url.encode()).digest()
    return (
        f"<html><title>{url}</title>".encode()
        + seed * 100
        + b"".join(hashlib.sha256(seed + bytes([i])).digest() for i in range(100))
    )


def links_of(url: str) -> list[str]:
    """Page i links to pages 2i+1 and 2i+2 (a binary tree of PAGES pages)."""
    i = int(url.rsplit("/", 1)[1])
    return [f"http://farm.test/{j}" for j in (2 * i + 1, 2 * i + 2) if j < PAGES]


def crawl(url: str, archive: str, run_id: int) -> int:
    """Work the run's frontier until it is empty; returns how many pages this process fetched."""
    engine = db.make_engine(url)
    fetched = 0
    with db.session_factory(engine)() as s, WarcWriter(archive, run_id, max_size=60_000) as warc:
        while batch := repo.frontier_pop(s, run_id, "sim", limit=1):
            entry = batch[0]
            written = warc.write_exchange(
                entry.url,
                status=200,
                response_headers=[("Content-Type", "text/html")],
                body=body_of(entry.url),
                fetched_at=datetime(2026, 2, 1, tzinfo=UTC),
                discovered_from=entry.discovered_from,
            )
            repo.record_capture(s, run_id, entry.url, written, status=200, content_type="text/html")
            repo.frontier_done(s, entry.id or 0)
            repo.frontier_push(
                s, run_id, [FrontierRequest(u, discovered_from=entry.url) for u in links_of(entry.url)]
            )
            s.commit()
            fetched += 1
            print(entry.url, flush=True)
    engine.dispose()
    return fetched


if __name__ == "__main__":
    crawl(sys.argv[1], sys.argv[2], int(sys.argv[3]))
