"""The per-URL crawl log: one JSON line per fetch or decision, for operators and audits.

Each line has ``time``, ``event`` (fetched, skipped, failed, rendered, report, error), ``url``
and whatever applies: ``status``, ``reason`` (why skipped or failed), ``discovered_from``,
``path`` (hop codes from the seed), ``depth``, ``kind`` (what the link was taken for),
``rendered``, ``capture`` (capture id), ``bytes``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any


class CrawlLog:
    """Appends JSON lines to ``<log_dir>/crawl-<run>.jsonl``; flushed with each database commit."""

    def __init__(self, log_dir: Path, run_id: int) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self.path = log_dir / f"crawl-{run_id}.jsonl"
        self._fh: IO[str] | None = self.path.open("a", encoding="utf-8")
        self._encode = json.JSONEncoder(ensure_ascii=False).encode
        """``json.dumps(…, ensure_ascii=False)`` without building an encoder for every line."""

    def write(self, event: str, url: str, **fields: Any) -> None:
        if self._fh is None:
            return
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event, "url": url}
        for k, v in fields.items():
            if v is not None:
                record[k] = v
        self._fh.write(self._encode(record) + "\n")

    def flush(self) -> None:
        if self._fh is not None:
            self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
