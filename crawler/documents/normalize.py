"""Whitespace clean-up shared by every reader, so a cell reads the same from HTML, PDF or DOCX."""

from __future__ import annotations

import re

# CJK ideographs, CJK symbols/punctuation (、。「」〔〕), full-width forms (，（）０-９) and
# the compatibility ideographs: characters between which a line break is not a space.
_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A run of whitespace holding a line break between two CJK characters: Word-exported HTML and
# PDF cells wrap "三\n、\n本\n年" vertically, and the break carries no meaning.
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t\\r\\f\\v]*\\n\\s*(?=[{_CJK}])")
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def is_cjk(char: str) -> bool:
    """True for a CJK ideograph, CJK punctuation or full-width form."""
    return bool(_CJK_CHAR.match(char))


def clean(text: str) -> str:
    """Strip, drop invisible characters and collapse every whitespace run (``&nbsp;``, tabs,
    ideographic spaces) into one ASCII space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def clean_lines(text: str) -> str:
    """:func:`clean` for text whose line breaks are soft wraps: a break between two CJK
    characters disappears, any other break becomes a space."""
    return clean(_CJK_BREAK.sub("", _INVISIBLE.sub("", text)))


def join_parts(parts: list[str]) -> str:
    """Join already-cleaned pieces of one cell (lines, paragraphs): a single space between
    them, none when both sides are CJK characters."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(part[0])):
            out += " "
        out += part
    return out


def squeeze_cjk_spaces(text: str) -> str:
    """Remove spaces between two CJK characters (OCR puts one between every glyph)."""
    return _CJK_GAP.sub("", text)
