"""The list protocols in the order they are tried, and the reader for each request kind.

More specific families come first: a TRS "动静结合" or WAS5 page also carries a static
pager, so ``trs-static`` is tried last; a JCMS column with ``jpage``/``<datastore>`` is planned
as such even when it also mentions the 信息公开目录 search. The first family that recognises a page plans it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from crawler.discovery.protocols import (
    b64_pager,
    gkmlpt,
    hanweb_jpage,
    hanweb_xxgk,
    trs_dongjing,
    trs_static,
    trs_was5,
)
from crawler.discovery.protocols.base import ListAnswer, ListPlan
from crawler.discovery.protocols.stated import stated_size

FAMILIES: tuple[ModuleType, ...] = (
    trs_dongjing,
    trs_was5,
    hanweb_jpage,
    hanweb_xxgk,
    gkmlpt,
    b64_pager,
    trs_static,
)
"""Each module has ``FAMILY``, ``plan(url, text) -> ListPlan | None`` and maybe ``READERS``."""

Reader = Callable[[str, str], ListAnswer]
READERS: dict[str, Reader] = {
    kind: reader for module in FAMILIES for kind, reader in getattr(module, "READERS", {}).items()
}
"""PageRequest.kind → the function that reads an answer of that kind."""


def plan_list(url: str, text: str) -> ListPlan:
    """How the list on an HTML column/list page goes on: the first recognising family's plan
    (its stated size, else the generic one), or no family, no requests and the generic stated size."""
    for module in FAMILIES:
        found: ListPlan | None = module.plan(url, text)
        if found is not None:
            if found.stated is None:
                found = ListPlan(found.family, found.requests, stated_size(text))
            return found
    return ListPlan(None, [], stated_size(text))


def read_answer(kind: str, url: str, text: str) -> ListAnswer:
    """Read the answer to a PageRequest of ``kind`` (``datastore``, ``json``, ``search-json``,
    ``xxgk-fragment``, ``fragment``). ``list`` answers are whole HTML pages: give them to
    ``plan_list`` and the page analyser instead; for them and any unknown kind this returns no
    items, only the stated size."""
    reader = READERS.get(kind)
    if reader is None:
        return ListAnswer([], [], stated_size(text))
    return reader(url, text)
