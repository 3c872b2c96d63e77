"""Guangdong gkmlpt: ``/gkmlpt/index#<column>`` pages list through ``GET /gkmlpt/api/all/<column>?page=N``
(kind ``json``, ``{"total": n, "articles": [...]}``); the answer to page 1 implies the other
pages (never past page MAX_PAGES)."""

from __future__ import annotations

import json

from crawler.discovery.pagination import PageRequest, gkmlpt_requests, json_list
from crawler.discovery.protocols.base import ListAnswer, ListPlan, pages_for, query_int, with_query
from crawler.discovery.protocols.stated import stated_size

FAMILY = "gkmlpt"


def plan(url: str, text: str) -> ListPlan | None:
    requests = gkmlpt_requests(url, text)
    if not requests:
        return None
    return ListPlan(FAMILY, requests, None)


def read_json(url: str, text: str) -> ListAnswer:
    """Items of one JSON list page. The answer to page 1 implies every later page: ``total``
    over page 1's length, capped at MAX_PAGES; later pages imply nothing (so a short last page
    never asks for more)."""
    result = json_list(url, text)
    page = query_int(url, "page") or 1
    nxt = []
    if page == 1 and result.next is not None:
        total = _total(text)
        pages = pages_for(total, len(result.items)) if total else 2
        nxt = [PageRequest(with_query(url, page=n), kind="json") for n in range(2, pages + 1)]
    return ListAnswer(result.items, nxt, stated_size(text[:2000]))


def _total(text: str) -> int | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    total = data.get("total") if isinstance(data, dict) else None
    return total if isinstance(total, int) else None


READERS = {"json": read_json}
