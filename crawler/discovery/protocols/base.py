"""The shapes every list protocol returns, the bounds they obey, and small readers they share.

A protocol module recognises one CMS family's list page by its markup and says what a browser
would fetch for the rest of the list (``ListPlan``), and how to read the answers to those
requests (``ListAnswer``). Every count a list states about itself is capped: no list is planned
past ``MAX_PAGES`` pages or ``MAX_RECORDS`` records, because a bigger "list" is a trap or a
whole-site search, not an annual-report column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.discovery.pagination import PageRequest, record_links

MAX_PAGES = 1000
"""No list is planned past this many pages."""
MAX_RECORDS = 20_000
"""No list is planned past this many records."""

FORM_HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    "X-Requested-With": "XMLHttpRequest",
}
_PAGER_WORDS = frozenset({"首页", "上一页", "下一页", "尾页", "末页", "前一页", "后一页", "跳转", "GO", "go", "确定"})


@dataclass(frozen=True)
class Stated:
    """What a list says about its own size (capped at MAX_RECORDS / MAX_PAGES)."""

    items: int | None
    """Records the list says it holds."""
    pages: int | None
    """Pages the list says it has."""
    evidence: str
    """The text it was read from, short: ``recordCount: '20'`` or ``共19条``."""


@dataclass(frozen=True)
class ListPlan:
    """A recognised list page: its family, the further requests for the rest of it, its stated size."""

    family: str | None
    """``trs-static``, ``trs-dongjing``, ``trs-was5``, ``hanweb-jpage``, ``hanweb-xxgk-search``,
    ``gkmlpt``, ``b64-pager``; None when no family was recognised."""
    requests: list[PageRequest]
    """Further pages / API calls; each one's ``kind`` says which reader takes its answer."""
    stated: Stated | None


@dataclass(frozen=True)
class ListAnswer:
    """The records one API or fragment answer lists, and what it implies next."""

    items: list[tuple[str, str]]
    """(absolute url, title) of each listed record."""
    next: list[PageRequest]
    """Further requests this answer implies (the other pages, once the first answer states their count)."""
    stated: Stated | None


def cap_pages(n: int) -> int:
    return max(0, min(n, MAX_PAGES))


def cap_items(n: int) -> int:
    return max(0, min(n, MAX_RECORDS))


def pages_for(items: int, per_page: int) -> int:
    """Pages needed for ``items`` records at ``per_page`` a page (capped)."""
    if per_page <= 0:
        return 0
    return cap_pages(-(-cap_items(items) // per_page))


def strip_js_comments(js: str) -> str:
    """JS without /* … */ and // … comments (a // right after ':' or a quote is a URL, kept)."""
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    return re.sub(r"(?<![:'\"\\\w])//[^\n]*", "", js)


def balanced(text: str, start: int, open_: str = "{", close: str = "}") -> str | None:
    """The bracketed text beginning at the first ``open_`` at or after ``start`` (quotes respected)."""
    i = text.find(open_, start)
    if i < 0:
        return None
    depth, quote = 0, ""
    for j in range(i, min(len(text), i + 20_000)):
        c = text[j]
        if quote:
            if c == quote and text[j - 1] != "\\":
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return text[i : j + 1]
    return None


_PAIR = re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*:\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[\w$.+-]+)""")


def js_pairs(obj: str) -> dict[str, str]:
    """Flat ``key: value`` pairs of a JS object literal (nested objects' keys included, first wins);
    string values unquoted, others as written (``SiteInfo.searchId``, ``10``, ``true``)."""
    out: dict[str, str] = {}
    for key, raw in _PAIR.findall(strip_js_comments(obj)):
        val = raw[1:-1] if raw[:1] in "'\"" else raw
        out.setdefault(key, val)
    return out


def js_object(text: str, name_pattern: str) -> str | None:
    """The object literal after ``name_pattern`` (a regex ending before the ``{``)."""
    m = re.search(name_pattern, text)
    return balanced(text, m.end()) if m else None


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*['\"]?(\d{1,9})['\"]?\s*", value)
    return int(m.group(1)) if m else None


def with_query(url: str, **params: object) -> str:
    """``url`` with the given query parameters set (others kept, order kept)."""
    parts = urlsplit(url)
    query = [(k, str(params[k]) if k in params else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    present = {k for k, _ in query}
    query += [(k, str(v)) for k, v in params.items() if k not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_int(url: str, name: str) -> int | None:
    for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if k == name:
            return to_int(v)
    return None


def fragment_items(fragment: str, base: str) -> list[tuple[str, str]]:
    """(url, title) of the record links of an HTML fragment: pager links (首页/下一页…, page
    numbers, javascript:) left out, each URL once."""
    seen: set[str] = set()
    out = []
    for link, title in record_links(fragment, base):
        if title in _PAGER_WORDS or title.isdigit() or not title or link in seen:
            continue
        seen.add(link)
        out.append((link, title))
    return out[:MAX_RECORDS]


def plain(text: str) -> str:
    """Entity-decoded text with every kind of space made one ASCII space."""
    return re.sub(r"[\s\u00a0\u3000]+", " ", unescape(text))


def absolute(base: str, link: str) -> str:
    return urljoin(base, link.strip())
