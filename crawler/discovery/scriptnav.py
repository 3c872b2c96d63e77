"""What a page's inline JavaScript navigates to, read without running it: functions that build
a URL from literals and their arguments (``function openDoc(id){ location.href = "/nb/" + id +
".html"; }``), the handlers that call them, ``location``/``window.open`` of literals, and JSON
lists assigned to variables or passed to JSONP callbacks (research/gov-sites.md §3: the
``var itemObj = [{"aT": …, "aU": "{\\"common\\": …}"}]`` list, nested JSON in a string).

Only literals are evaluated: a target that depends on anything else (a variable set elsewhere,
a call result) is left to the browser, so nothing is guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from crawler.discovery.targets import is_link

MAX_JSON_CHARS = 300_000
"""Longest JSON literal parsed out of a script."""

# --- script expressions: concatenations of string literals, numbers and names ----------------
_LIT = r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
_OPERAND = rf"(?:{_LIT}|-?\d+(?:\.\d+)?|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]{{1,40}}\])*)"
_EXPR = rf"{_OPERAND}(?:\s*\+\s*{_OPERAND})*"
_TOKEN = re.compile(rf"\s*({_LIT}|-?\d+(?:\.\d+)?|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]{{1,40}}\])*)\s*")
_NAV = re.compile(
    rf"(?P<open>\bwindow\.open)\s*\(\s*(?P<oexpr>{_EXPR})"
    rf"|\blocation\.(?:assign|replace)\s*\(\s*(?P<aexpr>{_EXPR})"
    rf"|\blocation(?:\.href)?\s*=(?!=)\s*(?P<lexpr>{_EXPR})"
)
"""A navigation: ``window.open(…)``, ``location.assign/replace(…)``, ``[window.]location[.href] = …``."""
_ASSIGN = re.compile(rf"(?:\b(?:var|let|const)\s+)?\b([A-Za-z_$][\w$]*)\s*=(?!=)\s*({_EXPR})\s*[;\n]")
_FUNC = re.compile(
    r"\bfunction\s+([A-Za-z_$][\w$]*)\s*\(([^)]{0,200})\)\s*\{"
    r"|\b([A-Za-z_$][\w$]*)\s*[=:]\s*function\s*\(([^)]{0,200})\)\s*\{"
)
_CALL = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\(([^()]{0,400})\)")
_ARG = re.compile(rf"\s*({_LIT}|-?\d+(?:\.\d+)?|this\.value|this\.options\[this\.selectedIndex\]\.value"
                  r"|this\.getAttribute\(\s*['\"][\w-]+['\"]\s*\))\s*(?:,|$)")
_THIS_VALUE = frozenset({"this.value", "this.options[this.selectedIndex].value"})
_FUNC_BODY_CHARS = 1500

# --- JSON in scripts --------------------------------------------------------------------------
_JSON_OPEN = re.compile(r"[\[{]\s*[\"\[{]")
_URL_KEY = re.compile(r"^(?:url|href|link|links|linkurl|link_url|docurl|doc_url|aU|path|address|fileurl|file_url|"
                      r"pageurl|page_url|post_url|detailurl|detail_url|visiturl|u|src|file)$", re.I)
_TITLE_KEY = re.compile(r"^(?:title|titleO|name|aT|text|label|doctitle|doc_title|subject|bt|t|filename|"
                        r"showname|linkname)$", re.I)
_SP = re.compile(r"\s+")


@dataclass(frozen=True)
class _Func:
    """A script function that navigates: its parameters and how it builds the target."""

    params: tuple[str, ...]
    locals_: tuple[tuple[str, str], ...]
    """``name = expression`` assignments before the navigation, in order."""
    target: str
    """The expression navigated to."""


def script_functions(code: str) -> dict[str, _Func]:
    """Functions of the page's scripts that navigate to a URL built from literals and their
    arguments (``function openDoc(id){ window.location.href = "/zwgk/nb/" + id + ".html"; }``),
    by name. A function whose navigation uses anything else is left out."""
    funcs: dict[str, _Func] = {}
    for nav in _navs(code):
        found = enclosing_function(code, nav.start())
        if found is None or found[0] in funcs:
            continue
        name, params, body = found
        expr = nav.group("oexpr") or nav.group("aexpr") or nav.group("lexpr")
        assigns = tuple((a.group(1), a.group(2)) for a in _ASSIGN.finditer(code, body, nav.start()))
        funcs[name] = _Func(params, assigns, expr)
    return funcs


def enclosing_function(code: str, pos: int) -> tuple[str, tuple[str, ...], int] | None:
    """The function a statement at ``pos`` is in: the nearest header before it within a body's
    length, as (name, parameters, where its body starts), or None."""
    head = None
    for found in _FUNC.finditer(code, max(0, pos - _FUNC_BODY_CHARS), pos):
        head = found
    if head is None:
        return None
    params = tuple(p.strip() for p in (head.group(2) if head.group(1) else head.group(4)).split(",") if p.strip())
    return head.group(1) or head.group(3), params, head.end()


def handler_targets(handler: str, funcs: dict[str, _Func], value: str | None = None) -> list[str]:
    """URLs an event handler or ``javascript:`` link navigates to: a ``location``/``window.open``
    of literals in the handler itself, or a call of one of ``funcs`` with literal arguments;
    ``value`` stands for ``this.value`` (a select's option)."""
    scope = {name: value for name in _THIS_VALUE} if value is not None else {}
    out = []
    for nav in _navs(handler):
        target = _eval(nav.group("oexpr") or nav.group("aexpr") or nav.group("lexpr"), scope)
        if target:
            out.append(target)
    if out:
        return out
    for call in _CALL.finditer(handler):
        func = funcs.get(call.group(1))
        if func is None:
            continue
        args = _args(call.group(2), value)
        if args is None:
            continue
        env = dict(zip(func.params, args, strict=False))
        for name, expr in func.locals_:
            got = _eval(expr, env)
            if got is not None:
                env[name] = got
        target = _eval(func.target, env)
        if target:
            out.append(target)
    return out


def script_navigations(code: str) -> Iterator[tuple[str, str]]:
    """(URL, via) of each ``location``/``window.open`` of literals alone in the page's scripts
    (a redirect page, a 跳转 stub); expressions with names are handled through functions."""
    for nav in _navs(code):
        target = _eval(nav.group("oexpr") or nav.group("aexpr") or nav.group("lexpr"), {})
        if target and is_link(target):
            yield target, "window-open" if nav.group("open") else "location"


def script_lists(code: str) -> Iterator[tuple[str, str | None, str]]:
    """(URL, title, via) of the items of JSON lists in scripts: array or object literals assigned
    to a variable (``script-list``) or passed to a call (``jsonp``) whose objects carry a URL-ish
    key (``url``, ``href``, ``aU``…, also as nested JSON in a string) and a title-ish one."""
    pos = 0
    while True:
        m = _JSON_OPEN.search(code, pos)
        if not m:
            return
        start = m.start()
        before = code[max(0, start - 40) : start].rstrip()[-1:]
        if before not in ("=", "("):
            pos = start + 1
            continue
        end = _json_end(code, start)
        if end is None:
            pos = start + 1
            continue
        try:
            data = json.loads(code[start:end])
        except ValueError:
            data = _js_literal(code[start:end])
            if data is None:
                pos = start + 1
                continue
        pos = end
        via = "script-list" if before == "=" else "jsonp"
        for row in _rows(data, 0):
            found = _row_item(row)
            if found is not None:
                yield found[0], found[1], via


def _js_literal(text: str) -> object | None:
    """A JavaScript array or object literal as hand-written inline scripts have them (bare or
    single-quoted keys, single-quoted strings, trailing commas), read by chompjs; None if it is not one."""
    import chompjs

    try:
        return chompjs.parse_js_object(text)
    except Exception:  # chompjs raises ValueError, and others on malformed input
        return None


def _navs(code: str) -> list[re.Match[str]]:
    """The navigations in ``code``, in order. Found from their keywords with ``str.find``: a
    regex search for them tries every position of the script and costs a hundred times more."""
    found = []
    for key in ("window.open", "location"):
        i = code.find(key)
        while i != -1:
            m = _NAV.match(code, i)
            if m:
                found.append(m)
            i = code.find(key, i + len(key))
    found.sort(key=lambda m: m.start())
    return found


def _eval(expr: str | None, scope: dict[str, str]) -> str | None:
    """The string a concatenation of literals and known names makes, or None."""
    if not expr:
        return None
    parts = []
    for piece in _split_plus(expr):
        m = _TOKEN.fullmatch(piece)
        if not m:
            return None
        tok = m.group(1)
        if tok[0] in "'\"":
            parts.append(_unescape_js(tok[1:-1]))
        elif tok[0].isdigit() or tok[0] == "-":
            parts.append(tok)
        elif tok in scope:
            parts.append(scope[tok])
        else:
            return None
    return "".join(parts).strip() or None


def _split_plus(expr: str) -> list[str]:
    """``expr`` split at the ``+`` outside string literals."""
    pieces, cur, quote, i = [], [], "", 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            cur.append(ch)
            if ch == "\\" and i + 1 < len(expr):
                cur.append(expr[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            cur.append(ch)
        elif ch == "+":
            pieces.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    pieces.append("".join(cur))
    return pieces


def _unescape_js(s: str) -> str:
    return s.replace("\\/", "/").replace("\\'", "'").replace('\\"', '"') if "\\" in s else s


def _args(text: str, value: str | None) -> list[str] | None:
    """The literal arguments of a call, or None if one is not a literal (``this.value`` is
    ``value`` when given)."""
    out: list[str] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        m = _ARG.match(text, pos)
        if not m:
            return None
        tok = m.group(1)
        if tok[0] in "'\"":
            out.append(_unescape_js(tok[1:-1]))
        elif tok in _THIS_VALUE:
            if value is None:
                return None
            out.append(value)
        elif tok.startswith("this.getAttribute"):
            return None
        else:
            out.append(tok)
        pos = m.end()
    return out


def _json_end(code: str, start: int) -> int | None:
    """End of the bracketed JSON literal starting at ``start`` (string-aware), within
    :data:`MAX_JSON_CHARS`, or None."""
    depth, quote, i, limit = 0, "", start, min(len(code), start + MAX_JSON_CHARS)
    while i < limit:
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch == '"':
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _rows(data: object, depth: int) -> Iterator[dict]:
    """Objects of the lists in a JSON value (lists nested up to 4 levels in objects)."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                yield item
                for v in item.values():
                    if isinstance(v, list | dict):
                        yield from _rows(v, depth + 1)
    elif isinstance(data, dict):
        for v in data.values():
            if isinstance(v, list | dict):
                yield from _rows(v, depth + 1)


def _row_item(row: dict) -> tuple[str, str | None] | None:
    """(URL, title) of one list object, or None if it names no page."""
    link = title = None
    for key, value in row.items():
        if not isinstance(value, str):
            continue
        if link is None and _URL_KEY.match(key):
            link = _nested_url(value)
        elif title is None and _TITLE_KEY.match(key) and value.strip():
            title = _SP.sub(" ", value).strip()
    if link is None or not is_link(link):
        return None
    return link, title


def _nested_url(value: str) -> str | None:
    """A URL value, or the first URL in the JSON object a string holds (``"{\\"common\\": \\"/…\\"}"``)."""
    value = value.strip()
    if value[:1] != "{":
        return value or None
    try:
        inner = json.loads(value)
    except ValueError:
        return None
    if isinstance(inner, dict):
        for v in inner.values():
            if isinstance(v, str) and is_link(v.strip()):
                return v.strip()
    return None
