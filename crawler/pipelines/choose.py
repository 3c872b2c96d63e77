"""Which document a report's values come from when it has several (page and attachments)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.discovery.classify import is_notice_title
from crawler.reports import ParseResult
from crawler.reports.meta import agency_in_title, publisher_in_meta


@dataclass(frozen=True)
class Candidate:
    role: str
    url: str
    result: ParseResult | None


def _cells(r: ParseResult) -> int:
    return sum(1 for k, v in r.values.items() if v is not None and not k.endswith("_unit")) + len(r.legacy_rows)


def _score(c: Candidate) -> tuple[int, int, int, int]:
    r = c.result
    if r is None or r.template is None:
        return (0, 0, 0, 0)
    failed = sum(not ch.ok for ch in r.checks)
    return (1, -failed, _cells(r), 1 if c.role == "html_body" else 0)


def choose(candidates: Sequence[Candidate]) -> tuple[int | None, str]:
    """Index of the document to take values from, and a sentence saying why."""
    with_table = [i for i, c in enumerate(candidates) if c.result is not None and c.result.template]
    if not with_table:
        return None, "no document holds a statistics table"
    best = max(with_table, key=lambda i: _score(candidates[i]))
    chosen = candidates[best]
    assert chosen.result is not None
    others = [candidates[i] for i in with_table if i != best]
    if not others:
        return best, f"the only document with a table ({chosen.role})"
    differ = [o for o in others if o.result is not None and _disagree(chosen.result, o.result)]
    if not differ:
        return best, f"{chosen.role} chosen; the {len(others)} other document(s) agree on every cell both read"
    o = differ[0]
    assert o.result is not None
    n = _disagree(chosen.result, o.result)
    reason = (f"{chosen.role} and {o.role} disagree on {n} cell(s); chose {chosen.role} "
              f"({_cells(chosen.result)} cells read, {sum(not c.ok for c in chosen.result.checks)} failed checks "
              f"vs {_cells(o.result)} and {sum(not c.ok for c in o.result.checks)})")
    return best, reason


def _disagree(a: ParseResult, b: ParseResult) -> int:
    return sum(1 for k, v in a.values.items()
               if v is not None and b.values.get(k) is not None and b.values.get(k) != v)


def choose_agency(titles: Sequence[str | None], page_meta: dict[str, str], read: Sequence[str | None],
                  portal: str | None) -> tuple[str | None, str | None]:
    """The agency a report is attributed to, and where it was read.

    An older annual-report column of a county portal lists the reports of the county's
    government, tax bureaus and offices side by side, so the portal is the last resort:
    first the report's own titles (the page's, its attachments', the list link's), then the
    page's publisher metadata (``ContentSource``/``发布机构``), then what the parser read in a
    document (its 索引号 table or byline), then the portal (the page's ``SiteName``, else the
    registry's name). Sources: ``title``, ``meta``, ``document``, ``portal``."""
    portal_names = {n for n in (page_meta.get("SiteName"), page_meta.get("sitename"), portal) if n}
    for title in titles:
        name = agency_in_title(title)
        if name:
            return name, "title"
    name = publisher_in_meta(page_meta)
    if name:
        return name, "meta"
    for name in read:
        if name and name not in portal_names:
            return name, "document"
    for name in (page_meta.get("SiteName"), page_meta.get("sitename"), portal):
        if name and name.strip():
            return name.strip(), "portal"
    return None, None


FILLED_CELLS = 10
"""Cells a document must read for a notice-titled page to count as the report it carries."""


def notice_title(titles: Sequence[str | None], results: Sequence[ParseResult] = ()) -> str | None:
    """The first of a page's own titles that names a notice or letter about reports (通知, 函,
    报送…): such a page is no report even when it attaches the blank report form. Unless a
    document of it holds a filled table: older portals also publish the report itself as a
    notice (关于印发XX县2014年政府信息公开工作年度报告的通知), and its numbers make it one."""
    notice = next((t for t in titles if t and is_notice_title(t)), None)
    if notice and any(_cells(r) >= FILLED_CELLS for r in results):
        return None
    return notice
