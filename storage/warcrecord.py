"""WARC/1.1 record bytes: HTTP header blocks, record headers, SHA-256 digests, gzip members.

Records are serialised here rather than through warcio's writer because warcio re-serialises
HTTP headers (losing raw bytes such as GBK ``Content-Disposition`` filenames) and hard-wires
SHA-1 digests; reading and checking stay with warcio. Everything here is a pure function of its
inputs, so identical inputs give identical bytes.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urlsplit

HeaderList = Sequence[tuple[str | bytes, str | bytes]]
"""HTTP headers in wire order; repeated names allowed; bytes kept as they are."""

HDR_RUN = "WARC-X-Nianbao-Run"
HDR_RENDERED = "WARC-X-Nianbao-Rendered"
HDR_DISCOVERED_FROM = "WARC-X-Nianbao-Discovered-From"
HDR_RESOURCE_TYPE = "WARC-X-Nianbao-Resource-Type"
HDR_PAGE = "WARC-X-Nianbao-Page"
"""On a record of an XHR/fetch answer a rendered page received: the WARC-Record-ID of that page's
rendered DOM (as Browsertrix's WARC-Page-ID links a page's resources to it)."""
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
_CRLF = b"\r\n"
HTTP_REQUEST = "application/http; msgtype=request"
HTTP_RESPONSE = "application/http; msgtype=response"


def default_id() -> str:
    """A fresh WARC-Record-ID."""
    return f"<urn:uuid:{uuid.uuid4()}>"


def sha256_b32(data: bytes) -> str:
    """A WARC digest value: ``sha256:`` and the base32 of the SHA-256 of ``data``."""
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


def warc_date(dt: datetime) -> str:
    """WARC-Date text in UTC, with microseconds only when the time has them (WARC 1.1)."""
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt.isoformat()} given as a WARC date; use UTC")
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if dt.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def header_bytes(value: str | bytes, what: str) -> bytes:
    raw = value if isinstance(value, bytes) else encode_text(value)
    if b"\r" in raw or b"\n" in raw:
        raise ValueError(f"{what}: line break inside a header would corrupt the record: {raw[:80]!r}")
    return raw


def encode_text(text: str) -> bytes:
    # Scrapy and http.client hand header bytes over as latin-1 text; that round-trips exactly.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _header_block(first_line: bytes, headers: HeaderList, what: str) -> bytes:
    lines = [first_line]
    for name, value in headers:
        lines.append(header_bytes(name, what) + b": " + header_bytes(value, what))
    return _CRLF.join(lines) + _CRLF + _CRLF


def http_response_head(
    status: int, reason: str | None, headers: HeaderList, protocol: str, what: str
) -> bytes:
    if reason is None:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    kept = [
        (
            b"X-Archive-Orig-Transfer-Encoding"
            if header_bytes(n, what).lower() == b"transfer-encoding"
            else n,
            v,
        )
        for n, v in headers
    ]
    return _header_block(encode_text(f"{protocol} {status} {reason}".rstrip()), kept, what)


def http_request_head(method: str, url: str, headers: HeaderList, what: str) -> bytes:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not any(header_bytes(n, what).lower() == b"host" for n, _ in headers):
        headers = [("Host", parts.netloc), *headers]
    return _header_block(f"{method.upper()} {target} HTTP/1.1".encode(), headers, what)


RESERVED = {  # header names callers may not set through extra_headers
    h.lower()
    for h in (
        "WARC-Type", "WARC-Record-ID", "WARC-Date", "WARC-Target-URI", "WARC-Block-Digest",
        "WARC-Payload-Digest", "WARC-Concurrent-To", "WARC-Refers-To", "WARC-Warcinfo-ID",
        "Content-Type", "Content-Length", HDR_RUN, HDR_RENDERED, HDR_DISCOVERED_FROM,
    )
}  # fmt: skip


def header_value(headers: HeaderList, name: str) -> str | None:
    for n, v in headers:
        if (n.decode("latin-1") if isinstance(n, bytes) else n).lower() == name:
            return v.decode("latin-1") if isinstance(v, bytes) else v
    return None


def build_record(
    rec_type: str,
    rec_id: str,
    headers: Sequence[tuple[str, str]],
    content_type: str,
    block: bytes,
    payload_digest: str | None = None,
    warcinfo_id: str = "",
) -> bytes:
    """One WARC/1.1 record: header fields in a fixed order, block digest computed, block, CRLF CRLF."""
    fields = [("WARC-Type", rec_type), ("WARC-Record-ID", rec_id)]
    fields += [(n, v) for n, v in headers if n == "WARC-Date"]
    fields += [(n, v) for n, v in headers if n != "WARC-Date"]
    if warcinfo_id:
        fields.append(("WARC-Warcinfo-ID", warcinfo_id))
    fields.append(("WARC-Block-Digest", sha256_b32(block)))
    if payload_digest is not None:
        fields.append(("WARC-Payload-Digest", payload_digest))
    fields += [("Content-Type", content_type), ("Content-Length", str(len(block)))]
    lines = [b"WARC/1.1", *(n.encode() + b": " + header_bytes(v, f"WARC header {n}") for n, v in fields)]
    return _CRLF.join(lines) + _CRLF + _CRLF + block + _CRLF + _CRLF


def gzip_member(record: bytes, level: int = 6) -> bytes:
    """The record as one gzip member (random access by offset needs one member per record)."""
    # zlib's gzip header has mtime 0 and no file name, so members are deterministic.
    comp = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return comp.compress(record) + comp.flush()


def warc_fields(fields: dict[str, str | None]) -> bytes:
    """An application/warc-fields block (warcinfo body); empty values are left out."""
    return b"".join(f"{k}: {v}".encode() + _CRLF for k, v in fields.items() if v)
