"""Search over the index: full-text matches with facet filters, one page of hits and the facet
counts of all matches (what the search page and ``/api/search`` show)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from crawler.web.fulltext import SEARCH, match_ids
from crawler.web.regions import region_label
from storage.models import Report, Site

PER_PAGE = 50
FACET_LIMIT = 30
"""Values shown per facet (the most frequent)."""
@dataclass(frozen=True)
class Filters:
    """A search: words and facet choices (None: any)."""

    q: str = ""
    agency_id: int | None = None
    year: int | None = None
    template: str | None = None
    failed: bool | None = None
    """True: some 勾稽 check failed; False: none failed."""
    status: str | None = None
    """new, unchanged, changed or gone (as the latest crawl of the site set it)."""
    edited: bool | None = None
    """True: the report has more than one version."""
    province: str | None = None
    city: str | None = None
    county: str | None = None
    page: int = 1

    def as_params(self, **override: Any) -> dict[str, str]:
        """Query parameters reproducing this search (with ``override``; None drops one)."""
        raw: dict[str, Any] = {
            "q": self.q or None, "agency": self.agency_id, "year": self.year, "template": self.template,
            "failed": None if self.failed is None else ("yes" if self.failed else "no"),
            "status": self.status, "edited": None if self.edited is None else ("yes" if self.edited else "no"),
            "province": self.province, "city": self.city, "county": self.county,
        }
        raw.update(override)
        return {k: str(v) for k, v in raw.items() if v not in (None, "")}


@dataclass(frozen=True)
class Hit:
    report_id: int
    agency_id: int
    agency: str
    site: str
    year: int
    title: str | None
    template: str | None
    failed_checks: int
    status: str
    versions: int
    region: str | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchPage:
    filters: Filters
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    indexed: int
    """Reports in the search index (0: run ``nianbao serve --reindex``)."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def search(session: Session, filters: Filters) -> SearchPage:
    """Reports matching ``filters``, newest year first, with the facet counts of the matches."""
    s = SEARCH.c
    report = Report.__table__  # type: ignore[attr-defined]
    conds: list[Any] = []
    indexed = session.execute(sa.select(sa.func.count()).select_from(SEARCH)).scalar_one()
    base: sa.FromClause = SEARCH
    matches: sa.TableClause | None = None
    hit_key: Any = None
    if filters.q.strip():
        matches = _materialise_matches(session, filters.q)
        if matches is None:  # words of punctuation alone match nothing (rather than everything)
            conds.append(sa.false())
        else:
            hit_key = _hit_key(session, matches, indexed)
            base = matches.join(SEARCH, s.report_id == hit_key)
    if filters.agency_id is not None:
        conds.append(s.agency_id == filters.agency_id)
    if filters.year is not None:
        conds.append(s.year == filters.year)
    if filters.template:
        conds.append(s.template.is_(None) if filters.template == "none" else s.template == filters.template)
    if filters.failed is not None:
        conds.append(s.failed_checks > 0 if filters.failed else s.failed_checks == 0)
    if filters.province:
        conds.append(s.province == filters.province)
    if filters.city:
        conds.append(s.city == filters.city)
    if filters.county:
        conds.append(s.county == filters.county)
    no_index_filter = not conds  # nothing filters on the index table's own columns
    if filters.status:
        conds.append(report.c.status == filters.status)
    if filters.edited is not None:
        conds.append(report.c.latest_version > 1 if filters.edited else report.c.latest_version == 1)
    joined = base.join(report, report.c.id == s.report_id)
    where = sa.and_(sa.true(), *conds)
    site = Site.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        sa.select(*SEARCH.c, report.c.status, report.c.latest_version, site.c.name.label("site_name"))
        .select_from(joined.join(site, site.c.id == s.site_id))
        .where(where)
        .order_by(s.year.desc(), s.agency, s.report_id)
        .limit(PER_PAGE)
        .offset((max(filters.page, 1) - 1) * PER_PAGE)
    ).mappings()
    hits = [
        Hit(
            r["report_id"], r["agency_id"], r["agency"], r["site_name"], r["year"], r["title"], r["template"],
            r["failed_checks"], _enum(r["status"]), r["latest_version"],
            region_label(r["province"], r["city"], r["county"]),
        )
        for r in rows
    ]
    # Facets in three grouped scans of the matches instead of one per facet: the facets of the
    # index table together (a few thousand groups at most, read from a covering index), the
    # agencies, and the report status (which the latest crawl sets, so it is read live).
    small: dict[str, Counter[str]] = {
        k: Counter() for k in ("year", "template", "failed", "province", "city", "county", "status", "edited")
    }
    only_index = base if not _needs_reports(filters) else joined
    # counties are counted once a province or city is chosen (a drill-down): over the whole
    # country they would multiply the groups of this scan tenfold for a facet nobody reads
    drill = bool(filters.province or filters.city or filters.county)
    cols = [s.year, s.template, s.failed_checks, s.province, s.city] + ([s.county] if drill else [])
    for row in session.execute(
        sa.select(*cols, sa.func.count()).select_from(only_index).where(where).group_by(*cols)
    ).all():
        year, template, failed, province, city = row[:5]
        n = row[-1]
        small["year"][str(year)] += n
        small["template"][template or "none"] += n
        small["failed"]["yes" if failed else "no"] += n
        small["province"][province or "none"] += n
        small["city"][city or "none"] += n
        if drill:
            small["county"][row[5] or "none"] += n
    edited_flag = sa.case((report.c.latest_version > 1, "yes"), else_="no")
    # the status facet needs only the reports: straight from the matches when nothing filters
    # on the index table
    status_from = matches.join(report, report.c.id == hit_key) if matches is not None and no_index_filter else joined
    for status, edited, n in session.execute(
        sa.select(report.c.status, edited_flag, sa.func.count()).select_from(status_from).where(where)
        .group_by(report.c.status, edited_flag)
    ).all():
        small["status"][_enum(status)] += n
        small["edited"][edited] += n
    agencies = session.execute(
        sa.select(s.agency_id, s.agency, sa.func.count().label("n")).select_from(only_index).where(where)
        .group_by(s.agency_id, s.agency).order_by(sa.desc("n"), s.agency).limit(FACET_LIMIT)
    ).all()

    def top(counts: Counter[str]) -> list[FacetValue]:
        return [FacetValue(v, v, n) for v, n in counts.most_common(FACET_LIMIT)]

    facets: dict[str, list[FacetValue]] = {
        "year": sorted(top(small["year"]), key=lambda f: f.value, reverse=True),
        "agency": [FacetValue(str(aid), name, n) for aid, name, n in agencies],
        **{k: top(small[k]) for k in ("province", "city", "county", "template", "failed", "status", "edited")},
    }
    total = sum(small["year"].values())
    return SearchPage(filters, int(total), hits, facets, int(indexed))


_HITS = sa.table("web_hits", sa.column("report_id"))


def _needs_reports(filters: Filters) -> bool:
    """Whether the search filters on a column of ``reports`` (the others are in the index table)."""
    return filters.status is not None or filters.edited is not None


def _hit_key(session: Session, matches: sa.TableClause, indexed: int) -> Any:
    """The matches' column to join the index and the reports on, chosen by how many matched.

    SQLite has no statistics on the temporary table of matches and always scans the index
    table, looking each row up among the matches: right for a common word (the covering facet
    index comes out grouped), fifty times too slow for a rare one. When fewer than one report in
    eight matched, the key is written ``+web_hits.report_id`` (SQLite's way of saying "no index
    on this side"), which makes the matches the outer loop and each index row a rowid lookup.
    """
    if session.connection().dialect.name != "sqlite":
        return matches.c.report_id
    hits = session.execute(sa.select(sa.func.count()).select_from(matches)).scalar_one()
    return sa.literal_column("+web_hits.report_id") if hits * 8 < indexed else matches.c.report_id


def _materialise_matches(session: Session, query: str) -> sa.TableClause | None:
    """The ids matching ``query`` in a temporary table of this connection (None: no tokens).

    The page, its count and eight facets all filter by the same matches: the full-text lookup
    runs once instead of ten times (on a common word over 100,000 reports, most of the cost).
    """
    conn = session.connection()
    ids = match_ids(conn, query)
    if ids is None:
        return None
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("CREATE TEMP TABLE IF NOT EXISTS web_hits (report_id INTEGER PRIMARY KEY)"))
    else:
        conn.execute(sa.text(
            "CREATE TEMP TABLE IF NOT EXISTS web_hits (report_id integer PRIMARY KEY) ON COMMIT DELETE ROWS"
        ))
    conn.execute(sa.text("DELETE FROM web_hits"))
    conn.execute(sa.insert(_HITS).from_select(["report_id"], ids))
    return _HITS


def _enum(value: Any) -> str:
    return str(getattr(value, "value", value))
