"""The one path from bytes to text, for every reader and for the spider.

The candidates are the ones a browser weighs, read with w3lib: a byte-order mark, the HTTP
``charset``, the ``<meta>``/XML declaration; names go through w3lib's ``resolve_encoding``, so
gb2312 and gbk are read as their superset gb18030. Unlike a browser, a declaration is only
believed when the bytes decode cleanly under it: government portals serve GBK pages as
``charset=UTF-8`` or ISO-8859-1 (Tomcat's default), and UTF-8 pages whose ``<meta>`` still says
gb2312. Strict UTF-8 is therefore tried first (text that is not UTF-8 practically never
decodes as UTF-8), then the declarations, then gb18030; if nothing decodes cleanly the
reading with the fewest replacement characters wins and the result says it is lossy.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

_WESTERN = {"cp1252", "latin-1", "iso8859-1", "ascii", "iso8859-15"}
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding used."""

    text: str
    encoding: str
    lossy: bool = False
    """True when no candidate decoded cleanly and undecodable bytes became U+FFFD."""


def decode(data: bytes, content_type: str | None = None, *, markup: bool = True) -> Decoded:
    """Decode ``data``; ``content_type`` is the HTTP header if known; ``markup`` also reads a
    ``<meta charset>`` or XML declaration from the first 4 KB."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding and bom:
        return Decoded(data[len(bom) :].decode(bom_encoding, "replace"), bom_encoding)
    utf16 = _utf16_guess(data)
    if not utf16:
        # Strict UTF-8 comes first whatever the page declares, and most pages are UTF-8: no
        # need to read their declarations.
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    declared = []
    if content_type:
        declared.append(http_content_type_encoding(content_type) or "")
    if markup:
        declared.append(html_body_declared_encoding(data) or "")
        found = _XML_DECL.match(data[:200])
        declared.append((resolve_encoding(found.group(1).decode("ascii")) or "") if found else "")
    # A Western single-byte charset decodes any bytes without error, so it would always win;
    # on these sites it is a server default (Tomcat's ISO-8859-1), never the truth: try it last.
    western = [name for name in declared if _resolve(name) in _WESTERN]
    candidates = [
        utf16,
        "utf-8",
        *(n for n in declared if n not in western),
        "gb18030",
        *western,
    ]
    tried: list[str] = []
    for name in candidates:
        encoding = _resolve(name)
        if not encoding or encoding in tried:
            continue
        tried.append(encoding)
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = min(
        ((data.decode(enc, "replace"), enc) for enc in tried), key=lambda pair: pair[0].count("\ufffd")
    )
    return Decoded(best[0], best[1], lossy=True)


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and encoding of an HTML, XML or JSON response."""
    decoded = decode(data, content_type)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and encoding of a plain-text or Markdown file (BOM, UTF-8, GB18030, UTF-16)."""
    decoded = decode(data, content_type, markup=False)
    return decoded.text, decoded.encoding


def _resolve(name: str) -> str | None:
    if not name:
        return None
    resolved = resolve_encoding(name)
    if resolved:
        return resolved
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _utf16_guess(data: bytes) -> str:
    """UTF-16 without a byte-order mark: ASCII characters leave every other byte NUL."""
    sample = data[:400]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 2 * even:
        return "utf-16-le"
    if even > 2 * odd:
        return "utf-16-be"
    return ""
