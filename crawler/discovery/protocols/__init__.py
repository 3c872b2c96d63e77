"""List protocols of CMS families: recognise a list page by its markup, plan the requests a
browser would make for the rest of the list, read the answers, and say what a list states
about its own size.

Use: ``plan = plan_list(url, html)`` on a column/list page; fetch each ``plan.requests`` item
(``method``/``body``/``headers`` as given); give each answer to ``read_answer(req.kind,
req.url, text)`` unless ``req.kind == "list"`` (an HTML page: run ``plan_list`` and the page
analyser on it); follow ``answer.items`` and fetch ``answer.next`` the same way.
Everything is bounded: ≤ MAX_PAGES (1000) pages and ≤ MAX_RECORDS (20000) records a list.
"""

from crawler.discovery.pagination import PageRequest
from crawler.discovery.protocols.base import MAX_PAGES, MAX_RECORDS, ListAnswer, ListPlan, Stated
from crawler.discovery.protocols.registry import FAMILIES, READERS, plan_list, read_answer
from crawler.discovery.protocols.stated import stated_size

__all__ = [
    "FAMILIES",
    "MAX_PAGES",
    "MAX_RECORDS",
    "READERS",
    "ListAnswer",
    "ListPlan",
    "PageRequest",
    "Stated",
    "plan_list",
    "read_answer",
    "stated_size",
]
