"""CDXJ index: SURT keys, lines written on the fly equal a rebuild, offsets resolve to records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import cdxj
from storage.warcread import read_record
from tests.storage.warc_helpers import GBK_HTML, PDF_BODY, fixed_writer, write_html, write_pdf


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://www.gov.cn/zhengce/a.htm", "cn,gov)/zhengce/a.htm"),
        ("https://WWW2.Beijing.gov.cn/x?b=2&a=1#frag", "cn,gov,beijing)/x?a=1&b=2"),
        ("http://www.bjchy.gov.cn:8080/", "cn,gov,bjchy:8080)/"),
        ("https://zfxxgk.ndrc.gov.cn", "cn,gov,ndrc,zfxxgk)/"),
        ("http://www.gov.cn:80/a", "cn,gov)/a"),
        ("urn:rendered:x", "urn:rendered:x"),
        ("http://www.bjchy.gov.cn/zwgk/ndbg/", "cn,gov,bjchy)/zwgk/ndbg"),  # pywb drops the slash
        ("http://a.gov.cn/年报/", "cn,gov,a)/%e5%b9%b4%e6%8a%a5"),
    ],
)
def test_surt(url: str, key: str) -> None:
    assert cdxj.surt(url) == key


def _write_sample(tmp_path: Path) -> Path:
    with fixed_writer(tmp_path) as w:
        html = write_html(w)
        write_pdf(w)
        w.write_rendered(
            "http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
            "<html>dom</html>",
            html.record_id,
            rendered_at=datetime(2026, 2, 1, 3, 0, 2, tzinfo=UTC),
        )
        w.write_revisit(
            "http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
            original_record_id=html.record_id,
            original_uri=html.filename,
            original_date=html.date,
            digest=html.payload_digest or "",
            status=304,
            response_headers=[],
            fetched_at=datetime(2027, 2, 1, tzinfo=UTC),
            not_modified=True,
        )
    return w.files[0]


def test_index_written_alongside_equals_rebuild_from_the_warc(tmp_path: Path) -> None:
    warc = _write_sample(tmp_path)
    index = cdxj.index_path(warc)
    assert index.name == "nianbao-1-00000.warc.gz.cdxj"
    on_the_fly = index.read_text(encoding="utf-8")
    assert on_the_fly == "".join(cdxj.index_warc(warc))
    lines = on_the_fly.splitlines()
    assert len(lines) == 4  # response, response, resource, revisit (no request/warcinfo)
    assert lines == sorted(lines, key=lambda s: s.encode())
    assert cdxj.write_index(warc).read_text(encoding="utf-8") == on_the_fly


def test_entries_point_at_the_right_records(tmp_path: Path) -> None:
    warc = _write_sample(tmp_path)
    entries = cdxj.read(cdxj.index_path(warc))
    assert sorted((e.mime, e.status) for e in entries) == [
        ("application/pdf", "200"),
        ("text/html", "200"),
        ("text/html", "200"),
        ("warc/revisit", "304"),
    ]
    payloads = {}
    for e in entries:
        rec = read_record(warc.parent / e.filename, e.offset, e.length)
        assert rec.url == e.url
        assert rec.header("WARC-Payload-Digest") == e.digest
        assert cdxj.timestamp14(rec.date) == e.timestamp
        payloads[(rec.record_type, e.url.rsplit("/", 1)[1])] = rec.payload
    assert payloads[("response", "2025.html")] == GBK_HTML
    assert payloads[("response", "2025ndbg.pdf")] == PDF_BODY
    assert payloads[("resource", "2025.html")] == b"<html>dom</html>"
    assert payloads[("revisit", "2025.html")] == b""
    pdf = next(e for e in entries if e.mime == "application/pdf")
    assert pdf.key == "cn,gov,bjchy)/attach/2025ndbg.pdf"
    assert pdf.timestamp == "20260201030000"


def test_rolled_files_each_get_their_own_index(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, max_size=12_000) as w:
        for i in range(2):
            write_pdf(w, url=f"http://x.gov.cn/{i}.pdf")
    for path in w.files:
        entries = cdxj.read(cdxj.index_path(path))
        assert [e.filename for e in entries] == [path.name]


def test_drop_from_removes_cut_records_and_torn_lines(tmp_path: Path) -> None:
    warc = _write_sample(tmp_path)
    index = cdxj.index_path(warc)
    entries = cdxj.read(index)
    cut_at = sorted(e.offset for e in entries)[2]
    index.write_bytes(index.read_bytes() + b'cn,gov)/torn 2026 {"url": "http://')
    assert cdxj.drop_from(index, cut_at) == 3
    assert sorted(e.offset for e in cdxj.read(index)) == sorted(e.offset for e in entries)[:2]
