"""CDXJ index files (``<warc>.cdxj``): one line per response, revisit and resource record.

Line format (webrecorder CDXJ, as pywb and WACZ read it)::

    <SURT key> <14-digit UTC timestamp> {"url", "mime", "status", "digest", "length", "offset", "filename"}

Values are strings, as cdxj-indexer writes them. Lines are appended while a WARC is written and
sorted bytewise when the file is closed; :func:`index_warc` rebuilds them from a finished file.

Keys come from the ``surt`` package, the canonicaliser pywb and cdxj-indexer use, so pywb finds
every capture with our index as written (tested against pywb's own lookups). Stores written before
nianbao 0.1.1 kept the trailing slash (``cn,gov,a)/zwgk/``) and raw non-ASCII paths, which pywb
never matches: :func:`rekey_archive` (``nianbao reindex``) rewrites their keys in place from each
line's own ``url``, without reading the WARCs; readers of ours (:func:`read`, recovery) look at
offsets, not keys, so old files stay readable either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import surt as surt_lib
from warcio.archiveiterator import ArchiveIterator

INDEXED_TYPES = ("response", "revisit", "resource")
UNKNOWN_MIME = "unk"
_to_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(…, ensure_ascii=False)`` without building an encoder for every line."""


def surt(url: str) -> str:
    """Sort-friendly URL key, exactly as pywb canonicalises a lookup: ``http://www.gov.cn/a/?b=1&a=2``
    → ``cn,gov)/a?a=2&b=1``.

    Scheme, ``www.``, default port, fragment and trailing slash dropped, host reversed, query
    arguments sorted, non-ASCII percent-encoded, lowercased. A value the canonicaliser cannot take
    (``urn:…``, a broken URL) is kept as it is, lowercased, like pywb does.
    """
    text = url.strip()
    if text.startswith("urn:"):
        return text
    try:
        return str(surt_lib.surt(text))
    except Exception:  # the canonicaliser rejects some malformed URLs; pywb then keys them as given
        return text.lower()


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


def rekey_lines(lines: Iterable[bytes]) -> list[bytes]:
    """Index lines with each key recomputed by :func:`surt` from the line's ``url``, sorted bytewise.

    Lines that are not ``key timestamp {json}`` with a ``url`` are kept as they are (a reader skips
    them just the same).
    """
    out = []
    for raw in lines:
        body = raw.rstrip(b"\r\n")
        if not body.strip():
            continue
        parts = body.split(b" ", 2)
        try:
            url = json.loads(parts[2])["url"] if len(parts) == 3 else None
        except (ValueError, KeyError, TypeError):
            url = None
        if isinstance(url, str):
            body = surt(url).encode("utf-8") + b" " + parts[1] + b" " + parts[2]
        out.append(body + b"\n")
    return sorted(out)


def rekey_file(path: Path) -> bool:
    """Rewrite an index file's keys with the standard canonicaliser (atomically); False when they
    already were (the file is then left untouched)."""
    before = path.read_bytes()
    after = b"".join(rekey_lines(before.splitlines(keepends=True)))
    if after == before:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(after)
    tmp.replace(path)
    return True


def rekey_archive(archive_dir: str | Path) -> list[Path]:
    """Bring every ``*.cdxj`` under ``archive_dir`` to standard keys; returns the files rewritten.

    Idempotent and cheap when nothing needs doing. Do not run it on a folder a crawl of an older
    nianbao is still writing to (its writer appends to the file being replaced).
    """
    root = Path(archive_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"archive folder {root} does not exist")
    return [p for p in sorted(root.rglob("*.cdxj")) if rekey_file(p)]
