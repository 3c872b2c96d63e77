"""The per-URL crawl log: one JSON line per fetch or decision, for operators and audits.

Each line has ``time``, ``event`` (fetched, skipped, failed, rendered, report, error), ``url``
and whatever applies: ``status``, ``reason`` (why skipped or failed), ``discovered_from``,
``path`` (hop codes from the seed), ``depth``, ``kind`` (what the link was taken for),
``rendered``, ``capture`` (capture id), ``bytes``.

A resumed run appends to its log. A process killed mid-write leaves a torn last line; the next
process ends it with a line break, so only that line is unreadable and every line after it is
whole.
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
        torn = _ends_torn(self.path)
        self._fh: IO[str] | None = self.path.open("a", encoding="utf-8")
        if torn:
            self._fh.write("\n")
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


def _ends_torn(path: Path) -> bool:
    """True when the file exists and its last line has no line break (its writer was killed)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            if fh.tell() == 0:
                return False
            fh.seek(-1, 2)
            return fh.read(1) != b"\n"
    except FileNotFoundError:
        return False
