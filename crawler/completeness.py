"""Completeness evidence: what each annual-report column says it holds against what the crawl
found in it, and why a portal yielded nothing.

Lists usually state their size (``recordCount``, ``countPage``, ``totalRecord``, "共N条"). A
column whose list states more items than the crawl found, one whose list pages failed, and one
where a crawl bound was hit may be short: each is flagged, so an operator sees a possible miss
instead of trusting silence. A portal that yields no report is named with the reason in one
line (unreachable, blocked, no disclosure section, no annual-report column, columns empty).

Pure bookkeeping: the spider feeds it, the runner stores and prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ITEM_KINDS = frozenset({"report", "maybe_report", "attachment"})
"""Hop kinds of the links a list page lists as its records."""
ITEM_SKIPS = ("not an annual report", "attachment not on a report page")
"""Skip reasons of links that are records of the list too (a notice in the report column)."""


_PAGE_FILE = re.compile(r"/(?:index|list|default|more)(?:[_-]\d+)?\.s?html?$|/(?:index|list)$", re.I)


def column_key(url: str) -> str:
    """The URL that names a column whichever of its pages a link reached: ``…/zfxxgknb/``,
    ``…/zfxxgknb/index.html`` and ``…/zfxxgknb/index_2.html`` are one column (a pager link
    looks like a column link: it carries the column's slug and text)."""
    parts = urlsplit(url)
    path = _PAGE_FILE.sub("/", parts.path) if not parts.query else parts.path
    return urlunsplit(parts._replace(path=path, fragment=parts.fragment if "#" in url else ""))


@dataclass
class ColumnTally:
    """One annual-report column of one run: its list's statements and what was found."""

    url: str
    site: str
    family: str | None = None
    stated_items: int | None = None
    stated_pages: int | None = None
    evidence: str | None = None
    items: set[str] = field(default_factory=set)
    pages_fetched: int = 0
    pages_failed: list[str] = field(default_factory=list)
    bounds: list[str] = field(default_factory=list)

    def state(self, items: int | None, pages: int | None, evidence: str, family: str | None = None) -> None:
        """A statement of the list's size; the largest one a column's pages make counts."""
        if items is not None and (self.stated_items is None or items > self.stated_items):
            self.stated_items, self.evidence = items, evidence
        if pages is not None and (self.stated_pages is None or pages > self.stated_pages):
            self.stated_pages = pages
            self.evidence = self.evidence or evidence
        if family and not self.family:
            self.family = family

    @property
    def found(self) -> int:
        return len(self.items)

    def verdict(self) -> tuple[str, str | None]:
        """``(status, reason)``: ``complete`` (found what it states), ``unstated`` (states nothing,
        nothing failed), or ``short`` with the reason in one line."""
        reasons = []
        if self.stated_items is not None and self.found < self.stated_items:
            reasons.append(f"states {self.stated_items} items, found {self.found}")
        elif self.stated_items is None and self.stated_pages is not None and self.pages_fetched < self.stated_pages:
            reasons.append(f"states {self.stated_pages} pages, fetched {self.pages_fetched}")
        if self.pages_failed:
            reasons.append(f"{len(self.pages_failed)} list page(s) failed")
        if self.bounds:
            reasons.append("bound hit: " + "; ".join(sorted(set(self.bounds))))
        if reasons:
            return "short", "; ".join(reasons)
        if self.stated_items is None and self.stated_pages is None:
            return "unstated", None
        return "complete", None

    def as_row(self) -> dict[str, Any]:
        status, reason = self.verdict()
        return {"column_url": self.url, "family": self.family, "stated_items": self.stated_items,
                "stated_pages": self.stated_pages, "stated_evidence": (self.evidence or "")[:200] or None,
                "found_items": self.found, "pages_fetched": self.pages_fetched,
                "pages_failed": len(self.pages_failed), "failed_pages": self.pages_failed[:50],
                "bounds_hit": sorted(set(self.bounds)), "status": status, "reason": reason,
                "items": sorted(self.items)}

    @classmethod
    def from_row(cls, site: str, row: dict[str, Any]) -> ColumnTally:
        return cls(row["column_url"], site, row.get("family"), row.get("stated_items"), row.get("stated_pages"),
                   row.get("stated_evidence"), set(row.get("items") or ()), int(row.get("pages_fetched") or 0),
                   list(row.get("failed_pages") or ()), list(row.get("bounds_hit") or ()))


@dataclass
class PortalTally:
    """How far the crawl got on one portal: its home page, sections, columns, reports."""

    key: str
    home_failed: str | None = None
    home_blocked: bool = False
    home_fetched: bool = False
    disclosure: int = 0
    columns: int = 0

    def reason(self, reports: int, list_items: int) -> str | None:
        """Why the portal yielded no report, in one line; None when it yielded some."""
        if reports:
            return None
        if self.home_failed and not self.home_fetched:
            return f"unreachable: {self.home_failed}"
        if self.home_blocked and not self.disclosure and not self.columns:
            return "blocked: the home page stayed an anti-bot challenge"
        if not self.disclosure and not self.columns:
            return "no disclosure section (政府信息公开) found from the home page"
        if not self.columns:
            return "no annual-report column (政府信息公开年报) found in the disclosure section"
        if not list_items:
            return f"{self.columns} annual-report column(s) found, but nothing listed in them was readable"
        return f"{self.columns} annual-report column(s) listing {list_items} items, but no report among them"


@dataclass
class Completeness:
    """Every column and portal tally of one crawl process."""

    columns: dict[str, ColumnTally] = field(default_factory=dict)
    portals: dict[str, PortalTally] = field(default_factory=dict)

    def column(self, url: str, site: str) -> ColumnTally:
        tally = self.columns.get(url)
        if tally is None:
            tally = self.columns[url] = ColumnTally(url, site)
        return tally

    def portal(self, key: str) -> PortalTally:
        tally = self.portals.get(key)
        if tally is None:
            tally = self.portals[key] = PortalTally(key)
        return tally

    def list_page(self, column: str, site: str, items: list[str]) -> ColumnTally:
        """A list page (the column itself, a further page, an API answer) was read."""
        tally = self.column(column, site)
        tally.pages_fetched += 1
        tally.items.update(items)
        return tally

    def list_failed(self, column: str, site: str, url: str) -> None:
        self.column(column, site).pages_failed.append(url)

    def bound_hit(self, column: str, site: str, what: str) -> None:
        self.column(column, site).bounds.append(what)

    def flags(self, reports_by_site: dict[str, int]) -> list[str]:
        """One line per possible miss: short columns, then portals that yielded nothing."""
        out = []
        for tally in sorted(self.columns.values(), key=lambda t: (t.site, t.url)):
            status, reason = tally.verdict()
            if status == "short":
                out.append(f"{tally.site}: column {tally.url} may be short: {reason}")
        for key, portal in sorted(self.portals.items()):
            items = sum(t.found for t in self.columns.values() if t.site == key)
            why = portal.reason(reports_by_site.get(key, 0), items)
            if why:
                out.append(f"{key}: no reports: {why}")
        return out
