"""What any list page says about its own size, read from its scripts and its visible pager.

Statements come in two kinds: script variables and object keys (``recordCount: '20'``,
``var countPage = 9``, ``totalRecord:50``, ``"total": 120``, ``<totalrecord>50</totalrecord>``)
and pager text (``共19条``, ``共 2 页``, ``共 36 条记录``, ``总数：20``). The first statement of
each kind (records, pages) wins; both are capped at MAX_RECORDS / MAX_PAGES.
"""

from __future__ import annotations

import re

from crawler.discovery.protocols.base import Stated, cap_items, cap_pages, plain

_KEY = r"""(?:var\s+|["'])?{name}["']?\s*[:=]\s*["']?(\d{{1,9}})\b["']?"""
_ITEM_KEYS = ("recordCount", "totalRecord", "totalrecord", "totalCount", "dataCount", "recordTotal",
              "totalNum", "total_count", "totalRecords", "total")
_PAGE_KEYS = ("countPage", "pageCount", "totalPage", "totalPages", "pageTotal", "page_count", "pagecount")
_ITEM_RES = [re.compile(r"(?<![\w$])" + _KEY.format(name=k)) for k in _ITEM_KEYS]
_PAGE_RES = [re.compile(r"(?<![\w$])" + _KEY.format(name=k)) for k in _PAGE_KEYS]
_ITEM_XML = re.compile(r"<totalrecord>\s*(\d{1,9})\s*</totalrecord>", re.I)
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(\s*['\"]?(\d{1,6})['\"]?\s*,")
_ITEM_TEXT = re.compile(
    r"(?:共有?|总计|合计)\s*(\d{1,9})\s*(?:条|篇|个|项|件)(?:记录|信息|数据)?|(?:总数|记录数|总记录数|总条数|信息总数)\s*[:：]?\s*(\d{1,9})"
)
_PAGE_TEXT = re.compile(r"共\s*(\d{1,6})\s*页|(?:总页数|页数)\s*[:：]\s*(\d{1,6})|第\s*\d+\s*页?\s*/\s*共?\s*(\d{1,6})\s*页|\b\d{1,6}\s*/\s*(\d{1,6})\s*页")


def stated_size(text: str) -> Stated | None:
    """The records and pages a list page (or an API answer) says it has, or None if it says nothing."""
    items = _first([*_ITEM_RES, _ITEM_XML], text)
    pages = _first([*_PAGE_RES, _CREATE_PAGE], text)
    if items is None or pages is None:
        flat = plain(re.sub(r"<[^>]+>", " ", text)) if ("<" in text or "&" in text) else text
        items = items or _first([_ITEM_TEXT], flat)
        pages = pages or _first([_PAGE_TEXT], flat)
    if items is None and pages is None:
        return None
    return Stated(cap_items(items[0]) if items else None, cap_pages(pages[0]) if pages else None,
                  _evidence(items, pages))


def _first(patterns: list[re.Pattern[str]], text: str) -> tuple[int, str] | None:
    """(value, evidence) of the statement that comes first in the text."""
    best: tuple[int, int, str] | None = None
    for pattern in patterns:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            value = next(g for g in m.groups() if g is not None)
            best = (m.start(), int(value), m.group(0).strip()[:60])
    return (best[1], best[2]) if best else None


def _evidence(items: tuple[int, str] | None, pages: tuple[int, str] | None) -> str:
    parts = [p[1] for p in (items, pages) if p is not None]
    return "; ".join(dict.fromkeys(parts))
