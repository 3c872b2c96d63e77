"""Reading one record back by file, offset and length; clear errors for wrong positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.warcread import read_record
from storage.warcrecord import build_record, gzip_member, sha256_b32
from tests.storage.warc_helpers import PDF_BODY, fixed_writer, write_pdf


def test_reads_payload_headers_and_verifies_digest(tmp_path: Path) -> None:
    with fixed_writer(tmp_path) as w:
        placed = write_pdf(w)
    rec = read_record(w.files[0], placed.offset, placed.length)
    assert (rec.record_type, rec.status, rec.payload) == ("response", 200, PDF_BODY)
    assert rec.digest_ok is True
    assert ("Content-Type", "application/pdf") in rec.http_headers
    assert rec.header("warc-x-nianbao-run") == "1"
    assert rec.date == placed.date


def test_wrong_payload_digest_is_detected(tmp_path: Path) -> None:
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nedited later"
    record = build_record(
        "response",
        "<urn:uuid:1>",
        [("WARC-Date", "2026-02-01T00:00:00Z"), ("WARC-Target-URI", "http://a.gov.cn/")],
        "application/http; msgtype=response",
        block,
        sha256_b32(b"original text"),
    )
    path = tmp_path / "x.warc.gz"
    path.write_bytes(gzip_member(record))
    rec = read_record(path, 0, path.stat().st_size)
    assert rec.payload == b"edited later"
    assert rec.digest_ok is False


def test_gzip_damage_is_reported(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, compress_level=0) as w:
        placed = write_pdf(w)
    data = bytearray(w.files[0].read_bytes())
    i = data.index(b"endstream", placed.offset)
    data[i] = ord("E")  # level 0 stores bytes as they are; the gzip CRC no longer matches
    w.files[0].write_bytes(bytes(data))
    with pytest.raises(ValueError, match="not a readable WARC record"):
        read_record(w.files[0], placed.offset, placed.length)


@pytest.mark.parametrize(
    ("delta_offset", "delta_length", "message"), [(3, -3, "not a readable"), (0, 10**6, "file ends")]
)
def test_wrong_positions_are_reported(
    tmp_path: Path, delta_offset: int, delta_length: int, message: str
) -> None:
    with fixed_writer(tmp_path) as w:
        placed = write_pdf(w)
    with pytest.raises(ValueError, match=f"nianbao-1-00000.warc.gz@.*{message}"):
        read_record(w.files[0], placed.offset + delta_offset, placed.length + delta_length)
