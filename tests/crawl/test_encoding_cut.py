"""cut_stream: a Content-Encoding stream that ends early is told from a whole one."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from crawler.middlewares.encoding import cut_stream

PAGE = ("<html><body><table>" + "<tr><td>本年新收政府信息公开申请数量</td><td>12</td></tr>" * 400
        + "</table></body></html>").encode()


def _deflate_raw(data: bytes) -> bytes:
    c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


ENCODED = {
    "gzip": gzip.compress(PAGE),
    "x-gzip": gzip.compress(PAGE),
    "deflate": zlib.compress(PAGE),
    "br": brotli.compress(PAGE),
}


@pytest.mark.parametrize("coding", sorted(ENCODED))
def test_a_whole_stream_is_whole_and_a_cut_one_is_cut(coding: str) -> None:
    body = ENCODED[coding]
    assert cut_stream(body, coding) is None
    for keep in (len(body) - 1, len(body) - 8, len(body) // 2, 20):
        why = cut_stream(body[:keep], coding)
        assert why is not None and "ends before" in why, (coding, keep)


def test_raw_deflate_as_some_servers_send_it() -> None:
    body = _deflate_raw(PAGE)
    assert cut_stream(body, "deflate") is None
    assert cut_stream(body[: len(body) // 2], "deflate") == "deflate stream ends before its end marker"


def test_gzip_members_and_padding() -> None:
    two = gzip.compress(PAGE[:3000]) + gzip.compress(PAGE[3000:])
    assert cut_stream(two, "gzip") is None
    assert cut_stream(two[:-4], "gzip") == "gzip stream ends before its trailer"  # the second member is cut
    assert cut_stream(gzip.compress(PAGE) + b"\0" * 16, "gzip") is None  # zero padding after the end
    assert cut_stream(gzip.compress(PAGE) + b"\n", "gzip") is None


def test_what_cannot_be_told_is_not_called_cut() -> None:
    assert cut_stream(PAGE, "") is None  # not encoded
    assert cut_stream(PAGE, "identity") is None
    assert cut_stream(b"", "gzip") is None  # no body (HEAD, 304)
    assert cut_stream(PAGE, "gzip") is None  # not gzip at all: Scrapy's decoder says what it says
    assert cut_stream(ENCODED["gzip"][:40], "compress") is None  # a coding not checked here
    assert cut_stream(ENCODED["br"][:40], "gzip, br") is not None  # the outer (last) coding is checked


def test_a_bomb_is_not_decoded_past_the_limit() -> None:
    bomb = gzip.compress(b"\0" * (64 << 20))
    assert cut_stream(bomb[:-8], "gzip", limit=1 << 20) is None  # too big to tell: Scrapy's size limit applies
    assert cut_stream(bomb[:-8], "gzip") == "gzip stream ends before its trailer"
