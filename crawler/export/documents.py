"""The original documents behind exported reports, read back from the WARC records as captured,
with a SHA-256 manifest (``documents/SHA256SUMS``, checkable with ``sha256sum -c``).

A document is written byte for byte as the record holds it — still content-encoded if the server
compressed it — so its SHA-256 is the WARC-Payload-Digest of its record (base32 there, hex here):
anyone can prove which capture a file is, and when we saw it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.export.datasets import Column, Dataset, as_utc
from storage.warcread import read_record

EXTENSIONS = {"html": "html", "pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "wps", "xls": "xls",
              "xlsx": "xlsx", "text": "txt", "image": "img"}
MANIFEST = "SHA256SUMS"


@dataclass(frozen=True)
class ExportedDocument:
    """One document file of an export and where it came from."""

    report_id: int
    identity: str
    role: str
    format: str
    supplies_values: bool
    url: str
    captured_at: datetime | None
    path: str
    """Path inside the export folder, e.g. ``documents/12/345-2024年报.pdf``."""
    bytes: int
    sha256: str
    """Hex SHA-256 of the file."""
    warc_payload_digest: str | None
    """The record's WARC-Payload-Digest (sha256:<base32>); the same hash."""
    content_encoding: str | None
    """Content-Encoding the server applied (the file is kept so); empty when none."""
    warc_filename: str
    warc_offset: int
    warc_record_id: str


def hex_of_digest(digest: str | None) -> str | None:
    """``sha256:<base32>`` → hex; None for anything else."""
    if not digest or not digest.startswith("sha256:"):
        return None
    return base64.b32decode(digest[7:]).hex()


def file_name(capture_id: int, url: str, fmt: str) -> str:
    """``<capture id>-<last URL segment>`` with the format's extension, safe on every file system."""
    segment = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or "index"
    ext = re.search(r"\.([A-Za-z0-9]{1,5})$", segment)
    stem = segment[: ext.start()] if ext else segment
    stem = re.sub(r"[^\w\-.]+", "_", stem).strip("._")[:60] or "document"
    # a format the parser did not recognise keeps the extension the URL gave it
    suffix = EXTENSIONS.get(fmt) or (ext.group(1).lower() if ext else "bin")
    return f"{capture_id}-{stem}.{suffix}"


def export_documents(
    archive_dir: Path,
    out_dir: Path,
    docs: Sequence[Mapping[str, Any]],
    identities: Mapping[int, tuple[int, str]],
    *,
    advance: Callable[[], None] = lambda: None,
) -> list[ExportedDocument]:
    """Write every document of ``docs`` (rows of :func:`~crawler.export.select.select_documents`)
    under ``out_dir/documents/<report id>/`` and the manifest; ``identities`` maps a version id to
    (report id, identity). Raises ValueError naming the WARC file when a record cannot be read."""
    folder = out_dir / "documents"
    out: list[ExportedDocument] = []
    for d in docs:
        report_id, identity = identities[int(d["version_id"])]
        if d["record_type"] == "revisit" and d.get("original_id") is not None:
            where = (d["o_filename"], int(d["o_offset"]), int(d["o_length"]))
        else:
            where = (d["warc_filename"], int(d["warc_offset"]), int(d["warc_length"]))
        path = archive_dir / where[0]
        if not path.exists():
            raise ValueError(f"document {d['url']}: WARC file {path} is not in the archive folder")
        record = read_record(path, where[1], where[2])
        target = folder / str(report_id) / file_name(int(d["capture_id"]), d["url"], d["format"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(record.payload)
        encoding = next((v for k, v in record.http_headers if k.lower() == "content-encoding"), None)
        out.append(ExportedDocument(
            report_id=report_id, identity=identity, role=str(d["role"]), format=str(d["format"]),
            supplies_values=bool(d["supplies_values"]), url=str(d["url"]), captured_at=as_utc(d["fetched_at"]),
            path=target.relative_to(out_dir).as_posix(), bytes=len(record.payload),
            sha256=hashlib.sha256(record.payload).hexdigest(), warc_payload_digest=d["payload_digest"],
            content_encoding=encoding, warc_filename=where[0], warc_offset=where[1],
            warc_record_id=str(d["warc_record_id"]),
        ))
        advance()
    if out:
        lines = [f"{doc.sha256}  {Path(doc.path).relative_to('documents').as_posix()}\n" for doc in out]
        (folder / MANIFEST).write_text("".join(lines), encoding="utf-8")
    return out


_COLUMNS = (
    Column("report_id", "integer", "report_id", "The report (reports.id)."),
    Column("identity", "string", "identity", "The report's canonical identity."),
    Column("role", "string", "role", "html_body or attachment."),
    Column("format", "string", "format", "Detected format: html, pdf, docx, doc, wps, xls, xlsx, text, image."),
    Column("supplies_values", "boolean", "supplies_values", "True for the document the values come from."),
    Column("url", "string", "url", "URL the document was fetched from."),
    Column("captured_at", "datetime", "captured_at", "When it was fetched (UTC; the WARC-Date)."),
    Column("path", "string", "path", "The file in this export."),
    Column("bytes", "integer", "bytes", "File size."),
    Column("sha256", "string", "sha256", "Hex SHA-256 of the file (as in documents/SHA256SUMS)."),
    Column("warc_payload_digest", "string", "warc_payload_digest",
           "WARC-Payload-Digest of the record (sha256:<base32>): the same hash, as the archive writes it."),
    Column("content_encoding", "string", "content_encoding",
           "Content-Encoding the server applied; the file keeps it, as captured. Empty when none."),
    Column("warc_filename", "string", "warc_filename", "WARC file holding the record."),
    Column("warc_offset", "integer", "warc_offset", "Byte offset of the record in the WARC file."),
    Column("warc_record_id", "string", "warc_record_id", "WARC-Record-ID of the capture."),
)


def documents_dataset(docs: Sequence[ExportedDocument]) -> Dataset:
    """The manifest as a table (one row per document file)."""
    rows = tuple(tuple(getattr(d, c.name) for c in _COLUMNS) for d in docs)
    return Dataset("documents", "原始文件", "One row per original document file, with its SHA-256 and WARC record.",
                   _COLUMNS, rows)
