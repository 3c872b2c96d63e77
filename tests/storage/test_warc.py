"""WarcWriter: records round-trip through warcio byte for byte, digests verify, files roll over."""

from __future__ import annotations

import base64
import gzip
import hashlib
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from storage.warc import WarcWriter
from storage.warcrecord import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED
from tests.storage.warc_helpers import FIXED_NOW, GBK_HTML, PDF_BODY, fixed_writer, write_html, write_pdf

WARCIO = Path(sys.executable).with_name("warcio")


def sha256_b32(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


def records(path: Path) -> list[tuple[str, dict[str, str], bytes | None, bytes]]:
    """(type, WARC headers, HTTP head bytes, raw payload) for every record of a file."""
    out = []
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            head = rec.http_headers.to_bytes() if rec.http_headers else None
            out.append((rec.rec_type, dict(rec.rec_headers.headers), head, rec.raw_stream.read()))
    return out


def test_exchange_round_trips_exact_bytes_and_links(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, run_id=12) as w:
        html = write_html(w)
        pdf = write_pdf(w)
    path = tmp_path / "nianbao-12-00000.warc.gz"
    assert w.files == [path]
    recs = records(path)
    assert [r[0] for r in recs] == ["warcinfo", "request", "response", "request", "response"]
    info, req, resp, _, pdf_resp = recs

    assert resp[3] == GBK_HTML
    assert pdf_resp[3] == PDF_BODY
    assert resp[1]["WARC-Payload-Digest"] == sha256_b32(GBK_HTML) == html.payload_digest
    assert pdf_resp[1]["WARC-Payload-Digest"] == sha256_b32(PDF_BODY) == pdf.payload_digest
    assert (html.payload_size, pdf.payload_size) == (len(GBK_HTML), len(PDF_BODY))
    # Request and response name each other; both name their file's warcinfo.
    assert req[1]["WARC-Concurrent-To"] == resp[1]["WARC-Record-ID"] == html.record_id
    assert resp[1]["WARC-Concurrent-To"] == req[1]["WARC-Record-ID"]
    assert resp[1]["WARC-Warcinfo-ID"] == info[1]["WARC-Record-ID"]
    # Provenance headers of our own.
    assert resp[1]["WARC-X-Nianbao-Run"] == "12"
    assert resp[1]["WARC-X-Nianbao-Rendered"] == "false"
    assert resp[1]["WARC-X-Nianbao-Discovered-From"] == "http://www.bjchy.gov.cn/zwgk/ndbg/"
    assert resp[1]["WARC-IP-Address"] == "127.0.0.1"
    assert resp[1]["WARC-Date"] == "2026-02-01T03:00:00Z"
    assert req[3] == b""
    assert req[2] is not None and req[2].startswith(
        b"GET /zwgk/ndbg/2025.html HTTP/1.1\r\nHost: www.bjchy.gov.cn\r\n"
    )


def test_http_headers_kept_in_order_with_repeats_and_raw_bytes(tmp_path: Path) -> None:
    with fixed_writer(tmp_path) as w:
        write_html(w)
        write_pdf(w)
    raw = gzip.decompress(w.files[0].read_bytes())
    assert (
        b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=GBK\r\n"
        b'Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; Path=/\r\nETag: "5f1-abc"\r\n\r\n' + GBK_HTML
    ) in raw
    assert b"Content-Disposition: attachment; filename=" + "年度报告.pdf".encode("gbk") + b"\r\n" in raw


def test_block_digest_covers_http_head_and_body(tmp_path: Path) -> None:
    with fixed_writer(tmp_path) as w:
        write_pdf(w)
    with w.files[0].open("rb") as fh:
        for rec in ArchiveIterator(fh, no_record_parse=True):
            block = rec.raw_stream.read()
            assert rec.rec_headers.get_header("WARC-Block-Digest") == sha256_b32(block)
            assert int(rec.rec_headers.get_header("Content-Length")) == len(block)


def test_warcinfo_fields(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, run_id=3, hostname="crawler-1") as w:
        write_html(w)
    info = records(w.files[0])[0]
    assert info[1]["WARC-Filename"] == "nianbao-3-00000.warc.gz"
    assert info[1]["Content-Type"] == "application/warc-fields"
    fields = dict(line.split(": ", 1) for line in info[3].decode().splitlines())
    assert fields["software"] == "nianbao/test"
    assert fields["format"] == "WARC File Format 1.1"
    assert fields["operator"] == "tests"
    assert fields["hostname"] == "crawler-1"
    assert fields["isPartOf"] == "nianbao-run-3"
    assert fields["settings"] == '{"max_pages":100,"robots":"obey","sites":["北京"]}'


def test_warcio_check_passes(tmp_path: Path) -> None:
    with fixed_writer(tmp_path) as w:
        html = write_html(w)
        write_pdf(w)
        w.write_rendered("http://www.bjchy.gov.cn/zwgk/ndbg/2025.html", "<html>渲染</html>", html.record_id)
        w.write_revisit(
            "http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
            original_record_id=html.record_id,
            original_uri="http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
            original_date=html.date,
            digest=html.payload_digest or "",
            status=200,
            response_headers=[("Content-Type", "text/html; charset=GBK")],
            fetched_at=datetime(2027, 2, 1, tzinfo=UTC),
        )
    done = subprocess.run([str(WARCIO), "check", "-v", str(w.files[0])], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("digest pass") == 7  # warcinfo, 2 × (request, response), resource, request
    assert "revisit" in done.stdout


def test_identical_inputs_give_identical_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        with fixed_writer(tmp_path / name) as w:
            html = write_html(w)
            write_pdf(w)
            w.write_rendered("http://www.bjchy.gov.cn/zwgk/ndbg/2025.html", "<html/>", html.record_id)
        outputs.append((w.files[0].read_bytes(), Path(str(w.files[0]) + ".cdxj").read_bytes()))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0]) > 1000


def test_different_time_changes_bytes(tmp_path: Path) -> None:
    with fixed_writer(tmp_path / "a") as a:
        write_html(a)
    with fixed_writer(tmp_path / "b") as b:
        write_html(b, fetched_at=datetime(2026, 2, 1, 3, 0, 0, 500, tzinfo=UTC))
    assert a.files[0].read_bytes() != b.files[0].read_bytes()
    assert records(b.files[0])[2][1]["WARC-Date"] == "2026-02-01T03:00:00.000500Z"


def test_rendered_dom_is_a_linked_resource(tmp_path: Path) -> None:
    with fixed_writer(tmp_path) as w:
        html = write_html(w)
        dom = w.write_rendered(
            "http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
            "<html><body>年度报告 列表</body></html>",
            html.record_id,
            rendered_at=datetime(2026, 2, 1, 3, 0, 5, tzinfo=UTC),
        )
    rec = records(w.files[0])[-1]
    assert rec[0] == "resource" == dom.record_type
    assert rec[3] == "<html><body>年度报告 列表</body></html>".encode()
    assert rec[1]["WARC-Refers-To"] == rec[1]["WARC-Concurrent-To"] == html.record_id
    assert rec[1]["WARC-X-Nianbao-Rendered"] == "true"
    assert rec[1]["WARC-X-Nianbao-Resource-Type"] == "rendered-dom"
    assert rec[1]["Content-Type"] == "text/html; charset=utf-8"
    assert rec[1]["WARC-Payload-Digest"] == sha256_b32(rec[3]) == dom.payload_digest


@pytest.mark.parametrize(
    ("not_modified", "status", "profile"),
    [(False, 200, PROFILE_IDENTICAL), (True, 304, PROFILE_NOT_MODIFIED)],
)
def test_revisit_points_at_original(tmp_path: Path, not_modified: bool, status: int, profile: str) -> None:
    later = datetime(2027, 2, 1, 3, tzinfo=UTC)
    with fixed_writer(tmp_path) as w:
        pdf = write_pdf(w)
        rev = w.write_revisit(
            "http://www.bjchy.gov.cn/attach/2025ndbg.pdf",
            original_record_id=pdf.record_id,
            original_uri="http://www.bjchy.gov.cn/attach/2025ndbg.pdf",
            original_date=pdf.date,
            digest=pdf.payload_digest or "",
            status=status,
            response_headers=[("ETag", '"x1"')],
            request_headers=[("If-None-Match", '"x1"')],
            fetched_at=later,
            not_modified=not_modified,
        )
    recs = records(w.files[0])
    req, rev_rec = recs[-2], recs[-1]
    assert rev_rec[0] == "revisit" == rev.record_type
    h = rev_rec[1]
    assert h["WARC-Profile"] == profile
    assert h["WARC-Refers-To"] == pdf.record_id
    assert h["WARC-Refers-To-Target-URI"] == "http://www.bjchy.gov.cn/attach/2025ndbg.pdf"
    assert h["WARC-Refers-To-Date"] == "2026-02-01T03:00:00Z"
    assert h["WARC-Payload-Digest"] == pdf.payload_digest == rev.payload_digest
    assert h["WARC-Date"] == "2027-02-01T03:00:00Z"
    assert rev_rec[2] is not None and rev_rec[2].startswith(f"HTTP/1.1 {status} ".encode())
    assert rev_rec[3] == b""  # no payload copy
    assert rev.payload_size is None
    assert req[2] is not None and b'If-None-Match: "x1"' in req[2]
    assert req[1]["WARC-Concurrent-To"] == rev.record_id


def test_rollover_starts_a_new_file_with_its_own_warcinfo(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, run_id=5, max_size=12_000) as w:
        placed = [write_pdf(w, url=f"http://www.bjchy.gov.cn/attach/{i}.pdf") for i in range(3)]
    names = [p.name for p in w.files]
    assert names == ["nianbao-5-00000.warc.gz", "nianbao-5-00001.warc.gz", "nianbao-5-00002.warc.gz"]
    assert [p.filename for p in placed] == names
    for path, place in zip(w.files, placed, strict=True):
        recs = records(path)
        assert [r[0] for r in recs] == ["warcinfo", "request", "response"]
        assert recs[0][1]["WARC-Filename"] == path.name
        assert recs[2][1]["WARC-Warcinfo-ID"] == recs[0][1]["WARC-Record-ID"]
        assert place.offset + place.length == path.stat().st_size


def test_small_records_share_a_file_until_the_limit(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, max_size=4_000) as w:
        for i in range(6):
            write_html(w, url=f"http://www.bjchy.gov.cn/{i}.html")
    sizes = [p.stat().st_size for p in w.files]
    assert 1 < len(w.files) < 6
    assert all(s <= 4_000 for s in sizes)


def test_restarted_writer_never_appends_to_an_old_file(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, run_id=9) as w1:
        write_html(w1)
    before = w1.files[0].read_bytes()
    with fixed_writer(tmp_path, run_id=9) as w2:
        write_html(w2)
    assert [p.name for p in w2.files] == ["nianbao-9-00001.warc.gz"]
    assert w1.files[0].read_bytes() == before


def test_fsync_writer_output_is_the_same(tmp_path: Path) -> None:
    with fixed_writer(tmp_path / "a", fsync=True) as a:
        write_pdf(a)
    with fixed_writer(tmp_path / "b") as b:
        write_pdf(b)
    assert a.files[0].read_bytes() == b.files[0].read_bytes()


def test_transfer_encoding_is_renamed_for_a_dechunked_body(tmp_path: Path) -> None:
    with fixed_writer(tmp_path) as w:
        w.write_exchange(
            "http://x.gov.cn/a",
            status=200,
            response_headers=[("Transfer-Encoding", "chunked"), ("Content-Type", "text/html")],
            body=b"hello",
            fetched_at=FIXED_NOW,
        )
    seen = []
    with w.files[0].open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "response":
                assert rec.http_headers.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
                assert rec.http_headers.get_header("Transfer-Encoding") is None
                seen.append(rec.content_stream().read())
    assert seen == [b"hello"]


def test_unknown_status_and_custom_reason(tmp_path: Path) -> None:
    with fixed_writer(tmp_path) as w:
        w.write_exchange("http://x.gov.cn/a", status=599, response_headers=[], body=b"", fetched_at=FIXED_NOW)
        w.write_exchange(
            "http://x.gov.cn/b",
            status=200,
            reason="Okay",
            response_headers=[],
            body=b"",
            fetched_at=FIXED_NOW,
        )
    raw = gzip.decompress(w.files[0].read_bytes())
    assert b"HTTP/1.1 599\r\n\r\n" in raw
    assert b"HTTP/1.1 200 Okay\r\n\r\n" in raw


def test_header_with_line_break_is_refused(tmp_path: Path) -> None:
    w = fixed_writer(tmp_path)
    with pytest.raises(ValueError, match=r"http://x.gov.cn/a.*line break"):
        w.write_exchange(
            "http://x.gov.cn/a",
            status=200,
            response_headers=[("X-Evil", "a\r\nWARC-Type: response")],
            body=b"",
            fetched_at=FIXED_NOW,
        )
    w.close()


def test_extra_headers_cannot_override_ours(tmp_path: Path) -> None:
    w = fixed_writer(tmp_path)
    with pytest.raises(ValueError, match="WARC-X-Nianbao-Run"):
        write_html(w, extra_headers={"WARC-X-Nianbao-Run": "99"})
    rec = write_html(w, extra_headers={"WARC-X-Nianbao-Discovery-Path": "LLA"})
    w.close()
    assert records(w.files[0])[-1][1]["WARC-X-Nianbao-Discovery-Path"] == "LLA"
    assert rec.record_type == "response"


def test_naive_time_is_refused(tmp_path: Path) -> None:
    w = fixed_writer(tmp_path)
    with pytest.raises(ValueError, match="naive datetime"):
        write_html(w, fetched_at=datetime(2026, 2, 1, 3))
    w.close()


def test_bad_prefix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="prefix 'a/b'"):
        WarcWriter(tmp_path, 1, prefix="a/b")
