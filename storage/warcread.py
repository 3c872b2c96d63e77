"""Read one archived record back by (file, offset, length), as a capture row points to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from warcio.archiveiterator import ArchiveIterator

from storage.warc import sha256_b32

if TYPE_CHECKING:
    from storage.models import Capture


@dataclass(frozen=True)
class ArchivedRecord:
    """A WARC record read back, payload bytes exactly as archived (still content-encoded)."""

    record_type: str
    """WARC-Type."""
    record_id: str
    """WARC-Record-ID."""
    url: str | None
    """WARC-Target-URI."""
    date: datetime
    """WARC-Date, UTC."""
    warc_headers: tuple[tuple[str, str], ...]
    """Every WARC header in order."""
    status: int | None
    """HTTP status for response and revisit records."""
    http_headers: tuple[tuple[str, str], ...]
    """HTTP headers in order (latin-1 text, as warcio reads them)."""
    payload: bytes
    """The payload: HTTP body for a response, the block for a resource, empty for a revisit."""

    def body_headers(self) -> list[tuple[str, str]]:
        """The HTTP headers for handing the payload on whole: without Content-Length and
        Transfer-Encoding, which described its framing on the wire."""
        return [(k, v) for k, v in self.http_headers if k.lower() not in ("content-length", "transfer-encoding")]

    def header(self, name: str) -> str | None:
        """First WARC header called ``name`` (case-insensitive)."""
        return next((v for n, v in self.warc_headers if n.lower() == name.lower()), None)

    @property
    def digest_ok(self) -> bool | None:
        """Whether the payload hashes to WARC-Payload-Digest (None for revisits and undigested records)."""
        digest = self.header("WARC-Payload-Digest")
        if self.record_type == "revisit" or not digest or not digest.startswith("sha256:"):
            return None
        return sha256_b32(self.payload) == digest


def read_capture(archive_dir: str | Path, capture: Capture) -> ArchivedRecord:
    """The record a capture row points to, in the archive folder ``archive_dir``."""
    return read_record(Path(archive_dir) / capture.warc_filename, capture.warc_offset, capture.warc_length)


def read_record(path: str | Path, offset: int, length: int) -> ArchivedRecord:
    """The record whose gzip member starts at ``offset`` and is ``length`` bytes long.

    Raises ValueError naming the file and position when the bytes there are not one WARC record.
    """
    path = Path(path)
    with path.open("rb") as fh:
        fh.seek(offset)
        data = fh.read(length)
    if len(data) != length:
        raise ValueError(f"{path.name}@{offset}: file ends {length - len(data)} bytes before the record does")
    try:
        record = next(iter(ArchiveIterator(BytesIO(data))))
    except StopIteration:
        raise ValueError(f"{path.name}@{offset}+{length}: no WARC record there") from None
    except Exception as exc:
        raise ValueError(f"{path.name}@{offset}+{length}: not a readable WARC record ({exc})") from exc
    rec_headers = record.rec_headers
    http = record.http_headers
    status = int(http.get_statuscode()) if http and record.rec_type in ("response", "revisit") else None
    date = datetime.fromisoformat(rec_headers.get_header("WARC-Date").replace("Z", "+00:00")).astimezone(UTC)
    return ArchivedRecord(
        record_type=record.rec_type,
        record_id=rec_headers.get_header("WARC-Record-ID"),
        url=rec_headers.get_header("WARC-Target-URI"),
        date=date,
        warc_headers=tuple(rec_headers.headers),
        status=status,
        http_headers=tuple(http.headers) if http else (),
        payload=record.raw_stream.read(),
    )
