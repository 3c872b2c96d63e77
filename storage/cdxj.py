"""CDXJ index files (``<warc>.cdxj``): one line per response, revisit and resource record.

Line format (webrecorder CDXJ, as pywb and WACZ read it)::

    <SURT key> <14-digit UTC timestamp> {"url", "mime", "status", "digest", "length", "offset", "filename"}

Values are strings, as cdxj-indexer writes them. Lines are appended while a WARC is written and
sorted bytewise when the file is closed; :func:`index_warc` rebuilds them from a finished file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

INDEXED_TYPES = ("response", "revisit", "resource")
UNKNOWN_MIME = "unk"
_to_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(…, ensure_ascii=False)`` without building an encoder for every line."""


def surt(url: str) -> str:
    """Sort-friendly URL key: ``http://www.gov.cn/a?b=1&a=2`` → ``cn,gov)/a?a=2&b=1``.

    Scheme, ``www.`` and fragment dropped, host reversed, query arguments sorted, lowercased —
    the canonical form pywb looks captures up by.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return url.strip().lower()
    host = parts.hostname.lower().rstrip(".")
    labels = host.split(".")
    if len(labels) > 2 and re.fullmatch(r"www\d*", labels[0]):
        labels = labels[1:]
    key = ",".join(reversed(labels))
    if parts.port and parts.port != {"http": 80, "https": 443}[parts.scheme]:
        key += f":{parts.port}"
    key += ")" + (parts.path or "/")
    if parts.query:
        key += "?" + "&".join(sorted(parts.query.split("&")))
    return key.lower()


def timestamp14(at: datetime) -> str:
    """The CDXJ timestamp of a UTC time, e.g. ``20260201030000``."""
    return at.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def mime_of(content_type: str | None) -> str:
    """Media type without parameters, lowercased; ``unk`` when absent."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    return mime or UNKNOWN_MIME


def line(
    url: str,
    at: datetime,
    *,
    mime: str | None,
    status: str,
    digest: str,
    length: int,
    offset: int,
    filename: str,
) -> str:
    """One CDXJ line (with its newline)."""
    fields = {
        "url": url,
        "mime": mime_of(mime) if mime != "warc/revisit" else mime,
        "status": status,
        "digest": digest,
        "length": str(length),
        "offset": str(offset),
        "filename": filename,
    }
    return f"{surt(url)} {timestamp14(at)} {_to_json(fields)}\n"


def index_path(warc_path: Path) -> Path:
    """Where a WARC file's index lives: the same name plus ``.cdxj``."""
    return warc_path.with_name(warc_path.name + ".cdxj")


def sort_file(path: Path) -> None:
    """Sort an index file bytewise (LC_ALL=C order), as CDXJ readers expect."""
    if not path.exists():
        return
    lines = sorted(path.read_bytes().splitlines(keepends=True))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(b"".join(lines))
    tmp.replace(path)


def _parse_warc_date(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def index_warc(warc_path: Path) -> list[str]:
    """CDXJ lines for every response, revisit and resource record of a WARC file, sorted."""
    out: list[str] = []
    with warc_path.open("rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            rtype = record.rec_type
            if rtype not in INDEXED_TYPES:
                continue
            headers = record.rec_headers
            url = headers.get_header("WARC-Target-URI")
            at = _parse_warc_date(headers.get_header("WARC-Date"))
            if rtype == "resource":
                mime, status = headers.get_header("Content-Type"), "200"
            else:
                http = record.http_headers
                status = http.get_statuscode() if http else "-"
                mime = (
                    "warc/revisit"
                    if rtype == "revisit"
                    else (http.get_header("Content-Type") if http else None)
                )
            digest = headers.get_header("WARC-Payload-Digest") or ""
            offset, length = it.get_record_offset(), it.get_record_length()
            out.append(
                line(
                    url,
                    at,
                    mime=mime,
                    status=status,
                    digest=digest,
                    length=length,
                    offset=offset,
                    filename=warc_path.name,
                )
            )
    return sorted(out, key=lambda s: s.encode("utf-8"))


def write_index(warc_path: Path) -> Path:
    """(Re)build ``<warc>.cdxj`` from the WARC file itself; returns its path."""
    path = index_path(warc_path)
    path.write_text("".join(index_warc(warc_path)), encoding="utf-8")
    return path


@dataclass(frozen=True)
class CdxjEntry:
    """One parsed index line."""

    key: str
    """SURT key."""
    timestamp: str
    """14-digit UTC timestamp."""
    url: str
    """Original URL."""
    mime: str
    """Media type, or warc/revisit."""
    status: str
    """HTTP status as text."""
    digest: str
    """Payload digest."""
    offset: int
    """Record offset in the WARC file."""
    length: int
    """Compressed record length."""
    filename: str
    """WARC file name."""


def read(path: Path) -> list[CdxjEntry]:
    """Every entry of an index file, in file order."""
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        key, ts, blob = raw.split(" ", 2)
        d = json.loads(blob)
        entries.append(
            CdxjEntry(
                key,
                ts,
                d["url"],
                d["mime"],
                d["status"],
                d["digest"],
                int(d["offset"]),
                int(d["length"]),
                d["filename"],
            )
        )
    return entries


def drop_from(path: Path, end: int) -> int:
    """Remove index lines of records at or after byte ``end`` (cut off by recovery); returns how many."""
    if not path.exists():
        return 0
    kept, dropped = [], 0
    for raw in path.read_bytes().splitlines(keepends=True):
        blob = raw.split(b" ", 2)[2] if raw.count(b" ") >= 2 else b"{}"
        try:
            offset = int(json.loads(blob).get("offset", -1))
        except ValueError:
            offset = end  # a torn last line from the crash
        if 0 <= offset < end:
            kept.append(raw if raw.endswith(b"\n") else raw + b"\n")
        else:
            dropped += 1
    path.write_bytes(b"".join(sorted(kept)))
    return dropped
