"""Content-Encoding streams that end early: a cut answer a lenient decoder takes for a whole one.

A gateway that passes on a cut upstream answer sends a gzip (or deflate, or brotli) stream with
an honest Content-Length for the bytes it has, and no trailer. Scrapy's decoder
(``scrapy.utils.gz.gunzip``) returns what it could decompress, so a list page would lose its later
links and a report its tables, without a word. The stream itself says whether it is complete: a
gzip member ends with its trailer, zlib and brotli streams with their end marker.
:func:`cut_stream` reads the raw body (before Scrapy decodes it) and says when it is cut; the
archive marks the record ``WARC-Truncated: unspecified`` and the retry middleware asks again.
"""

from __future__ import annotations

import zlib

CUT_KEY = "nianbao_cut_stream"
"""Request meta: why the answer's encoded stream is cut (set by the archive, read by the retry)."""
CUT_FLAG = "cut-stream"
"""Response flag of such an answer (flags survive Scrapy's decoding; a later answer to the same
request — its rendering — does not carry it)."""

_STEP = 1 << 16
"""Decompressed bytes produced per step (the output is thrown away: memory stays bounded)."""


def _zlib_complete(data: bytes, wbits: int, limit: int) -> bool | None:
    """Whether the stream(s) in ``data`` end properly; None when past ``limit`` decoded bytes
    (too big to tell here: Scrapy's own size limit refuses it) or not a stream of this kind."""
    produced = 0
    while True:
        d = zlib.decompressobj(wbits)
        tail = data
        try:
            while tail and not d.eof:
                produced += len(d.decompress(tail, _STEP))
                tail = d.unconsumed_tail
                if produced > limit:
                    return None
        except zlib.error:
            return None
        if not d.eof:
            return False
        rest = d.unused_data
        # gzip allows several members one after the other; anything else after the end (zero
        # padding, a stray newline) is ignored, as every gzip tool does
        if wbits > 15 and rest[:2] == b"\x1f\x8b":
            data = rest
            continue
        return True


def cut_stream(body: bytes, content_encoding: str, limit: int = 256 << 20) -> str | None:
    """Why the encoded ``body`` is incomplete (e.g. "gzip stream ends before its trailer"), or
    None when it is complete, empty, not encoded, or in a coding that cannot be checked here.

    Only the last coding of a list (``gzip, br`` → br) is checked: it is the outer one, applied last.
    """
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    if not body or not codings:
        return None
    coding = codings[-1]
    if coding in ("gzip", "x-gzip"):
        return "gzip stream ends before its trailer" if _zlib_complete(body, 16 + zlib.MAX_WBITS, limit) is False else None
    if coding == "deflate":  # zlib-wrapped as the RFC says, or raw deflate as some servers send
        wrapped = _zlib_complete(body, zlib.MAX_WBITS, limit)
        if wrapped is None:
            wrapped = _zlib_complete(body, -zlib.MAX_WBITS, limit)
        return "deflate stream ends before its end marker" if wrapped is False else None
    if coding == "br":
        return "brotli stream ends before its end marker" if _brotli_complete(body, limit) is False else None
    return None


def _brotli_complete(data: bytes, limit: int) -> bool | None:
    """Both packages that install as ``brotli``: Google's (``process``/``is_finished``) and
    brotlipy (``decompress``/``finish``, which raises on an incomplete stream)."""
    try:
        import brotli
    except ImportError:
        return None
    decoder = brotli.Decompressor()
    step = getattr(decoder, "process", None) or decoder.decompress
    produced = 0
    try:
        for start in range(0, len(data), _STEP):
            produced += len(step(data[start : start + _STEP]))
            if produced > limit:
                return None
        if hasattr(decoder, "is_finished"):
            return bool(decoder.is_finished())
        try:
            decoder.finish()
        except AssertionError:  # brotlipy asserts that no output is pending: the stream has not ended
            return False
    except brotli.error as e:
        return False if "incomplete" in str(e) else None
    return True
