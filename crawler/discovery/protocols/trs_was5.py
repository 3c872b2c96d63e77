"""TRS lists that go on in the WAS5 search service: the static pages (``createPageHTML``) stop
after a fixed count and the page's script sends later pages to
``/was5/web/search?channelid=…&chnlid=…&page=N``, which answers a bare ``<li>`` fragment
(kind ``fragment``).

The WAS URL is taken from the page as written (its ``page`` value, if any, replaced). The
static count is the createPageHTML/countPage count; the WAS pages planned run from the one
after it up to the page count the page states (``共N页``, ``pageCount``…), else only the first
WAS page is planned and each non-empty answer implies the next — never past MAX_PAGES.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

from crawler.discovery.pagination import PageRequest, trs_pages
from crawler.discovery.protocols.base import (
    MAX_PAGES,
    ListAnswer,
    ListPlan,
    fragment_items,
    pages_for,
    query_int,
    with_query,
)
from crawler.discovery.protocols.stated import stated_size

FAMILY = "trs-was5"
_WAS = re.compile(r"""["']((?:https?://[^"'\s]*)?/was5?/web/search\?[^"'\s]*channelid=\d+[^"'\s]*)["']""", re.I)
_STATIC_LIMIT = re.compile(r"(?:maxStatic\w*|staticPage\w*|\w*StaticCount)\s*[:=]\s*['\"]?(\d{1,4})|"
                           r"(?:page|pageNo|pageIndex|num)\s*>\s*(\d{1,4})")


def plan(url: str, text: str) -> ListPlan | None:
    m = _WAS.search(text)
    if not m:
        return None
    was = urljoin(url, unescape(m.group(1)))
    static = trs_pages(url, text)
    # the limit is stated next to the WAS URL (a `page > N` elsewhere in the page is something else)
    limit = _STATIC_LIMIT.search(text, max(0, m.start() - 400), m.end() + 400)
    if limit and not int(next(g for g in limit.groups() if g)):
        limit = None
    static_count = int(next(g for g in limit.groups() if g)) if limit else len(static)
    # what the page states besides createPageHTML/countPage (which may count only the static pages)
    other = stated_size(re.sub(r"createPageHTML\s*\([^)]*\)|var\s+countPage\s*=\s*\d+", "", text))
    stated = other if other and (other.pages or not limit) else stated_size(text)
    total = len(static) if limit else 0  # the static pages stop early: createPageHTML counts them all
    if other and other.pages:
        total = max(total, other.pages)
    elif other and other.items:
        total = max(total, pages_for(other.items, query_int(was, "prepage") or 0))
    static = static[:static_count]
    first = max(static_count, 0) + 1
    last = min(max(total, first), MAX_PAGES)
    fragments = [PageRequest(with_query(was, page=n), kind="fragment") for n in range(first, last + 1)]
    return ListPlan(FAMILY, static + fragments, stated)


def read_fragment(url: str, text: str) -> ListAnswer:
    """Links of a WAS ``<li>`` fragment; a non-empty answer to ``page=N`` implies ``page=N+1``."""
    items = fragment_items(text, url)
    stated = stated_size(text)
    page = query_int(url, "page")
    nxt: list[PageRequest] = []
    last = stated.pages if stated and stated.pages else MAX_PAGES
    if items and page is not None and page < min(last, MAX_PAGES):
        nxt = [PageRequest(with_query(url, page=page + 1), kind="fragment")]
    return ListAnswer(items, nxt, stated)


READERS = {"fragment": read_fragment}
