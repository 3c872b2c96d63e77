"""A WACZ of the captures behind exported reports, for ReplayWeb.page and pywb.

The records are copied byte for byte out of our WARC files (each record is its own gzip member,
so a member is a valid WARC on its own) into one ``captures.warc.gz``; ``wacz create`` (the
webrecorder ``wacz`` package) then indexes and packs it with a ``pages.jsonl`` listing each
report's page, so a reader opens the WACZ on the list of reports.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from crawler.export.datasets import as_utc
from crawler.export.writers import iso

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "政府信息公开工作年度报告"}


def record_positions(docs: Iterable[Mapping[str, Any]]) -> list[tuple[str, int, int]]:
    """The (file, offset, length) of every record to copy: each document's capture and, for a
    revisit, the record holding its payload; sorted and each once."""
    out = set()
    for d in docs:
        out.add((str(d["warc_filename"]), int(d["warc_offset"]), int(d["warc_length"])))
        if d.get("original_id") is not None:
            out.add((str(d["o_filename"]), int(d["o_offset"]), int(d["o_length"])))
    return sorted(out)


def copy_records(archive_dir: Path, positions: Sequence[tuple[str, int, int]], target: Path) -> int:
    """Concatenate the records' gzip members into ``target``; returns bytes written."""
    written = 0
    with target.open("wb") as out:
        for name, offset, length in positions:
            with (archive_dir / name).open("rb") as fh:
                fh.seek(offset)
                data = fh.read(length)
            if len(data) != length:
                raise ValueError(f"{name}@{offset}: the WARC file ends before the record does")
            out.write(data)
            written += length
    return written


def pages_lines(reports: Sequence[Mapping[str, Any]], docs: Sequence[Mapping[str, Any]]) -> list[str]:
    """``pages.jsonl``: a header, then per report the page it was published on (its HTML body, or
    the document the values come from), with its title and capture time."""
    by_version: dict[int, list[Mapping[str, Any]]] = {}
    for d in docs:
        by_version.setdefault(int(d["version_id"]), []).append(d)
    lines = [json.dumps(PAGES_HEADER, ensure_ascii=False)]
    for r in reports:
        mine = by_version.get(int(r["version_id"]), [])
        page = next((d for d in mine if d["role"] == "html_body"), None) or next(
            (d for d in mine if d["supplies_values"]), None
        )
        if page is None:
            continue
        at = as_utc(page["fetched_at"])
        entry = {"url": page["url"], "title": r.get("title") or f"{r['agency']} {r['year']}",
                 "ts": iso(at) if at else None}
        lines.append(json.dumps(entry, ensure_ascii=False))
    return lines


def build_wacz(
    archive_dir: Path,
    out_dir: Path,
    reports: Sequence[Mapping[str, Any]],
    docs: Sequence[Mapping[str, Any]],
    *,
    name: str = "captures.wacz",
    title: str = "nianbao export",
) -> Path:
    """Write ``out_dir/<name>`` with ``wacz create``; RuntimeError with its message if it fails."""
    work = out_dir / ".wacz-build"
    work.mkdir(parents=True, exist_ok=True)
    warc = work / "captures.warc.gz"
    copy_records(archive_dir, record_positions(docs), warc)
    pages = work / "pages.jsonl"
    pages.write_text("\n".join(pages_lines(reports, docs)) + "\n", encoding="utf-8")
    target = out_dir / name
    cmd = [sys.executable, "-m", "wacz.main", "create", "-o", str(target), "-p", str(pages),
           "--title", title, str(warc)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not target.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"wacz create failed ({done.returncode}): {' / '.join(tail)}")
    for p in (warc, pages):
        p.unlink()
    work.rmdir()
    return target
