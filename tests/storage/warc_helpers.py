"""Deterministic WARC writers and sample exchanges shared by the storage tests."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.warc import WarcWriter, WrittenRecord

FIXED_NOW = datetime(2026, 2, 1, 3, 0, 0, tzinfo=UTC)

GBK_HTML = (
    '<html><head><meta charset="gbk"><title>北京市朝阳区人民政府2025年政府信息公开工作年度报告</title></head>'
    "<body><table><tr><td>本年新收政府信息公开申请数量</td><td>251</td></tr></table></body></html>"
).encode("gbk")

# A binary body with NULs, CRLF CRLF and every byte value: nothing may be altered on the way in.
# Hash output makes it incompressible (~8 KB in the WARC too), like a real compressed PDF stream.
PDF_BODY = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\r\n\r\nstream\n"
    + bytes(range(256))
    + b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(250))
    + b"\nendstream\n%%EOF\n"
)


def id_counter(prefix: str = "0000") -> Callable[[], str]:
    """Record ids <urn:uuid:…-000000000000>, …-000000000001, … in order."""
    counter = itertools.count()
    return lambda: f"<urn:uuid:00000000-0000-4000-8000-{prefix}{next(counter):08d}>"


def fixed_writer(archive: Path, run_id: int = 1, **kw: Any) -> WarcWriter:
    """A writer whose clock and record ids are fixed, so its output is reproducible."""
    kw.setdefault("clock", lambda: FIXED_NOW)
    kw.setdefault("id_source", id_counter())
    kw.setdefault("software", "nianbao/test")
    kw.setdefault("settings", {"robots": "obey", "max_pages": 100, "sites": ["北京"]})
    kw.setdefault("operator", "tests")
    return WarcWriter(archive, run_id, **kw)


def write_html(
    w: WarcWriter, url: str = "http://www.bjchy.gov.cn/zwgk/ndbg/2025.html", **kw: Any
) -> WrittenRecord:
    """A GBK page fetch, with the request headers Scrapy would send."""
    kw.setdefault("fetched_at", FIXED_NOW)
    return w.write_exchange(
        url,
        status=200,
        response_headers=[
            ("Server", "nginx"),
            ("Content-Type", "text/html; charset=GBK"),
            ("Set-Cookie", "a=1; Path=/"),
            ("Set-Cookie", "b=2; Path=/"),
            ("ETag", '"5f1-abc"'),
        ],
        body=GBK_HTML,
        request_headers=[("User-Agent", "nianbao/test"), ("Accept-Encoding", "gzip, deflate")],
        ip="127.0.0.1",
        discovered_from="http://www.bjchy.gov.cn/zwgk/ndbg/",
        **kw,
    )


def write_pdf(
    w: WarcWriter, url: str = "http://www.bjchy.gov.cn/attach/2025ndbg.pdf", **kw: Any
) -> WrittenRecord:
    """An attachment fetch whose Content-Disposition carries a raw GBK file name."""
    kw.setdefault("fetched_at", FIXED_NOW)
    return w.write_exchange(
        url,
        status=200,
        response_headers=[
            (b"Content-Type", b"application/pdf"),
            (b"Content-Disposition", "attachment; filename=年度报告.pdf".encode("gbk")),
            (b"Content-Length", str(len(PDF_BODY)).encode()),
        ],
        body=PDF_BODY,
        discovered_from="http://www.bjchy.gov.cn/zwgk/ndbg/2025.html",
        **kw,
    )
