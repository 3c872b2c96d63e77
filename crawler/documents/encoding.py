"""The one path from bytes to text for every reader and for the spider.

w3lib's ``html_to_unicode`` does what a browser does (BOM, HTTP header, ``<meta>``/XML
declaration, default) and reads gb2312/gbk as gb18030. Government portals also send bytes
that contradict their header (a GBK page served as ``charset=UTF-8`` while its ``<meta>``
says gb2312: seen on Hanweb JCMS sites), which a browser would show as mojibake; when the
chosen encoding does not decode cleanly, the declared alternatives and gb18030 are tried and
the cleanest reading wins.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    resolve_encoding,
)

_FALLBACKS = ("utf-8", "gb18030")


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and the encoding used, for an HTML or XML document."""
    enc, text = html_to_unicode(content_type, data)
    if "\ufffd" not in text:
        return text, enc
    candidates = [http_content_type_encoding(content_type) if content_type else None,
                  html_body_declared_encoding(data), _xml_declared(data), *_FALLBACKS]
    return _cleanest(data, [c for c in candidates if c], (text, enc))


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding used, for a plain-text or Markdown file (BOM, UTF-8, GB18030, UTF-16)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc
    return _cleanest(data, ["utf-8", "gb18030"], None)


def _xml_declared(data: bytes) -> str | None:
    m = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w-]+)", data[:200])
    return m.group(1).decode("ascii") if m else None


def _cleanest(data: bytes, names: list[str], default: tuple[str, str] | None) -> tuple[str, str]:
    best = default
    best_bad = default[0].count("\ufffd") if default else len(data) + 1
    for name in names:
        enc = resolve_encoding(name) or name
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            try:
                text = data.decode(enc, "replace")
            except LookupError:
                continue
            bad = text.count("\ufffd")
            if bad < best_bad:
                best, best_bad = (text, enc), bad
    assert best is not None or names
    return best if best is not None else (data.decode("utf-8", "replace"), "utf-8")
