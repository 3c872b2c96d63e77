"""TRS WCM static lists: ``createPageHTML(n, cur, "index", "html")``, ``Pager({…})`` or
``var countPage`` — pages index.html, index_1.html … (at most MAX_PAGES). Answers are plain
HTML list pages (kind ``list``), read by the page analyser, not here."""

from __future__ import annotations

from crawler.discovery.pagination import trs_pages
from crawler.discovery.protocols.base import ListPlan
from crawler.discovery.protocols.stated import stated_size

FAMILY = "trs-static"


def plan(url: str, text: str) -> ListPlan | None:
    requests = trs_pages(url, text)
    if not requests:
        return None
    return ListPlan(FAMILY, requests, stated_size(text))
