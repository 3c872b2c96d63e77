"""The original documents behind a report, read back from the WARC records their captures name.

A download is the file as the portal sent it: the archived payload with its HTTP
Content-Encoding (gzip, deflate, br) undone, so a PDF opens as a PDF. Its SHA-256 is shown beside
the WARC's own payload digest; the two agree whenever the portal sent the file unencoded.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from sqlmodel import Session

from storage.models import Capture, RecordType
from storage.warcread import ArchivedRecord, read_capture


@dataclass(frozen=True)
class OriginalDocument:
    """A document's bytes as served, with what proves where they came from."""

    capture: Capture
    """The capture row (a revisit's original when the row was a revisit)."""
    record: ArchivedRecord
    """The WARC record the bytes were read from."""
    data: bytes
    """The file: the payload with Content-Encoding undone."""
    content_type: str
    """Content-Type as served (text/html for a rendered DOM)."""

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of :attr:`data`."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def filename(self) -> str:
        """A file name for the download: the URL's last segment, or one made from the capture id."""
        name = unquote(PurePosixPath(urlsplit(self.capture.url).path).name)
        name = "".join(ch for ch in name if ch not in '/\\"\r\n;')
        if not name or "." not in name:
            ext = ".html" if "html" in self.content_type else ".bin"
            name = f"capture-{self.capture.id}{ext}"
        return name


def original_document(session: Session, archive_dir: str | Path, capture: Capture) -> OriginalDocument:
    """The bytes behind ``capture`` (following a revisit to the response it repeats).

    Raises ValueError when the WARC file is missing or the record unreadable, naming which.
    """
    if capture.record_type is RecordType.REVISIT and capture.refers_to_capture_id is not None:
        original = session.get(Capture, capture.refers_to_capture_id)
        if original is None:
            raise ValueError(f"revisit {capture.warc_record_id}: its original capture is not in the store")
        capture = original
    path = Path(archive_dir) / capture.warc_filename
    if not path.is_file():
        raise ValueError(f"WARC file {capture.warc_filename} is not in the archive folder {archive_dir}")
    record = read_capture(archive_dir, capture)
    encoding = next((v for k, v in record.http_headers if k.lower() == "content-encoding"), "")
    content_type = capture.content_type or next(
        (v for k, v in record.http_headers if k.lower() == "content-type"), "application/octet-stream"
    )
    if capture.record_type is RecordType.RESOURCE:
        content_type = capture.content_type or "text/html; charset=utf-8"
    return OriginalDocument(capture, record, decode_content(record.payload, encoding), content_type)


def decode_content(payload: bytes, encoding: str) -> bytes:
    """``payload`` with an HTTP Content-Encoding undone; unknown or broken encodings leave it as is."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
    data = payload
    try:
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip"):
                data = zlib.decompress(data, 16 + zlib.MAX_WBITS)
            elif coding == "deflate":
                try:
                    data = zlib.decompress(data)
                except zlib.error:  # raw deflate, as some servers send it
                    data = zlib.decompress(data, -zlib.MAX_WBITS)
            elif coding == "br":
                import brotli  # type: ignore[import-not-found]

                data = brotli.decompress(data)
            else:
                return payload
    except Exception:
        return payload
    return data
