"""Report HTML hidden in JavaScript: ``var content = '<table>…';``, ``document.write("…")`` or
a JSON ``{"content": "<p>…"}`` inside a ``<script>`` (CMS pages that render the article on the
client). Finds the string literal carrying the report and returns its unescaped HTML."""

from __future__ import annotations

import html
import re

_LITERAL = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`""", re.S)
_CONCAT = re.compile(r"\s*\+\s*")
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": "", "\r\n": ""}
_HINT = re.compile(r"<table|\\x3ctable|\\u003ctable|&lt;table|政府信息公开", re.I)
_REPORT = re.compile(r"<table|政府信息公开", re.I)


def embedded_html(scripts: list[str]) -> str | None:
    """The longest report-looking HTML string found in the given script texts, unescaped."""
    best: str | None = None
    for code in scripts:
        if not _HINT.search(code):
            continue
        for literal in _literals(code):
            if len(literal) < 40:
                continue
            text = unescape_js(literal) if "\\" in literal else literal
            if "<" not in text and "&lt;" in text:
                text = html.unescape(text)
            if "<" in text and _REPORT.search(text) and (best is None or len(text) > len(best)):
                best = text
    return best


def _literals(code: str) -> list[str]:
    """String literals of ``code`` as written (escapes kept), ``'a' + 'b'`` chains joined."""
    out: list[str] = []
    last_end = -1
    for match in _LITERAL.finditer(code):
        body = next((g for g in match.groups() if g is not None), "")
        if out and last_end >= 0 and _CONCAT.fullmatch(code[last_end : match.start()]):
            out[-1] += body
        else:
            out.append(body)
        last_end = match.end()
    return out


def unescape_js(literal: str) -> str:
    """Resolve JavaScript/JSON escapes (``\\n``, ``\\"``, ``\\x3C``, ``\\u003c``, surrogate pairs)."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _SIMPLE:
            return _SIMPLE[code]
        if code.startswith("u{"):
            return chr(min(int(code[2:-1], 16), 0x10FFFF))
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return code

    text = _ESCAPE.sub(replace, literal)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text
