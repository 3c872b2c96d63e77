"""Cross-year checks in the store: each agency's reports, year after year, checked against each
other (X1–X3 of :mod:`crawler.reports.crosscheck`) and kept in ``cross_year_checks``.

Which reports: the latest version of each report, whatever its status (a report gone from its
site still says what that year handed on). Which agency: reports are compared when they belong
to the same ``agencies`` row and variant — the same site and the same normalised agency name
(:func:`storage.repo.normalize_agency_name`), so 北京市 朝阳区人民政府 and 北京市朝阳区人民政府
are one agency, and the same name on two portals is two. The template of a version is the call
of the document its values come from (``supplies_values``); the other documents' calls are the
layout evidence X3 weighs.

Recomputing replaces the agency's rows, so it is idempotent; the crawl runner does it for the
sites it crawled, ``nianbao checks`` on demand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Session, col, select

from crawler.reports.crosscheck import CrossCheck, YearReport, check_series
from storage.coltypes import utcnow
from storage.models import (
    Agency,
    CrossCheckStatus,
    CrossYearCheck,
    Report,
    ReportSource,
    ReportVersion,
    Site,
)

_CHUNK = 200
"""Agencies per query (and ids per IN list): bounded memory, and under every driver's limits."""


@dataclass(frozen=True)
class _Stored:
    report_id: int
    version_id: int
    year: YearReport


def _chunks(ids: Sequence[int], size: int = _CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def agency_ids(session: Session, *, site_ids: Collection[int] | None = None, name: str | None = None) -> list[int]:
    """Ids of the agencies of these sites (all sites when None) whose name contains ``name``."""
    query = select(Agency.id).order_by(col(Agency.id))
    if site_ids is not None:
        query = query.where(col(Agency.site_id).in_(list(site_ids)))
    if name:
        query = query.where(col(Agency.name).contains(name, autoescape=True))
    return [i for i in session.exec(query).all() if i is not None]


def _latest(session: Session, agencies: list[int]) -> dict[tuple[int, str], list[_Stored]]:
    """Each (agency, variant)'s reports with their latest version and its documents' templates."""
    # plain columns, not ORM objects: the crawl's session must not keep every version it read
    rows = session.execute(
        sa.select(col(Report.id), col(Report.agency_id), col(Report.variant), col(Report.year),
                  col(ReportVersion.id), col(ReportVersion.values))
        .join(ReportVersion, sa.and_(col(ReportVersion.report_id) == Report.id,
                                     col(ReportVersion.number) == Report.latest_version))
        .where(col(Report.agency_id).in_(agencies))
    ).all()
    templates: dict[int, tuple[str | None, list[str]]] = {}
    version_ids = [row[4] for row in rows]
    for chunk in _chunks(version_ids):
        docs = session.exec(
            select(ReportSource.version_id, ReportSource.template, ReportSource.supplies_values)
            .where(col(ReportSource.version_id).in_(chunk))
            .order_by(col(ReportSource.id))
        ).all()
        for version_id, template, supplies in docs:
            _, others = templates.setdefault(version_id, (None, []))
            if supplies:
                templates[version_id] = (template, others)
            elif template is not None:
                others.append(template)
    out: dict[tuple[int, str], list[_Stored]] = defaultdict(list)
    for report_id, agency_id, variant, year, version_id, values in rows:
        template, others = templates.get(version_id, (None, []))
        out[(agency_id, variant)].append(_Stored(report_id, version_id, YearReport(year, template, values, tuple(others))))
    return out


def _row(agency_id: int, variant: str, check: CrossCheck, by_year: dict[int, _Stored],
         at: datetime) -> dict[str, Any]:
    now, then = by_year[check.year], by_year[check.previous_year]
    return {
        "agency_id": agency_id, "variant": variant, "year": check.year, "previous_year": check.previous_year,
        "report_id": now.report_id, "previous_report_id": then.report_id,
        "version_id": now.version_id, "previous_version_id": then.version_id,
        "rule": check.rule, "scope": check.scope, "status": CrossCheckStatus(check.status),
        "actual": check.actual, "expected": check.expected,
        "numbers": [{"year": n.year, "key": n.key, "value": n.value} for n in check.numbers],
        "note": check.note, "computed_at": at,
    }


def recompute(
    session: Session,
    *,
    agencies: Collection[int] | None = None,
    site_ids: Collection[int] | None = None,
    computed_at: datetime | None = None,
) -> int:
    """Compute again the cross-year checks of these agencies (or of every agency of these sites;
    of every agency when neither is given), replacing their rows; returns the rows written.

    Adds and flushes; the caller commits.
    """
    ids = sorted(agencies) if agencies is not None else agency_ids(session, site_ids=site_ids)
    at = computed_at or utcnow()
    written = 0
    for chunk in _chunks(ids):
        session.execute(sa.delete(CrossYearCheck).where(col(CrossYearCheck.agency_id).in_(chunk)))
        rows: list[dict[str, Any]] = []
        for (agency_id, variant), stored in sorted(_latest(session, chunk).items()):
            by_year = {s.year.year: s for s in stored}
            rows += [_row(agency_id, variant, c, by_year, at) for c in check_series([s.year for s in stored])]
        if rows:
            session.execute(sa.insert(CrossYearCheck), rows)
        written += len(rows)
    session.flush()
    return written


class CrossYearFilter(Protocol):
    """Which checks to list; :class:`crawler.export.select.ExportFilter` is one (its other
    criteria are about reports and are ignored here)."""

    @property
    def region(self) -> str | None: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def years(self) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class CheckFilter:
    """Criteria of ``nianbao checks``; every one given must hold."""

    region: str | None = None
    """Text the agency or site name must contain."""
    agency: str | None = None
    """Text the agency name must contain."""
    years: tuple[int, ...] = ()
    """Later years of the checks to take; empty: all."""
    statuses: tuple[str, ...] = ()
    """pass, fail, flag; empty: all."""


ROW_FIELDS = (
    "site_key", "site_name", "agency_id", "agency", "variant", "year", "previous_year", "rule", "scope",
    "status", "actual", "expected", "numbers", "note", "report_id", "previous_report_id", "version_id",
    "previous_version_id", "computed_at",
)
"""The keys of each row :func:`cross_year_rows` returns, in this order."""


def cross_year_rows(
    session: Session, filters: CrossYearFilter | None = None, *, agencies: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """The stored cross-year checks the filters take, one dict per check (keys :data:`ROW_FIELDS`),
    by site, agency, year, rule and scope: for ``nianbao checks`` and the exports.

    ``filters`` may carry ``statuses`` (a :class:`CheckFilter` does) to take only some results;
    ``agencies`` limits the rows to these agency ids.
    """
    query = (
        select(CrossYearCheck, Agency, Site)
        .join(Agency, col(Agency.id) == CrossYearCheck.agency_id)
        .join(Site, col(Site.id) == Agency.site_id)
    )
    if agencies is not None:
        query = query.where(col(CrossYearCheck.agency_id).in_(list(agencies)))
    if filters is not None:
        if filters.region:
            query = query.where(sa.or_(col(Agency.name).contains(filters.region, autoescape=True),
                                       col(Site.name).contains(filters.region, autoescape=True)))
        if filters.agency:
            query = query.where(col(Agency.name).contains(filters.agency, autoescape=True))
        if filters.years:
            query = query.where(col(CrossYearCheck.year).in_(list(filters.years)))
        statuses = getattr(filters, "statuses", ())
        if statuses:
            query = query.where(col(CrossYearCheck.status).in_([CrossCheckStatus(s) for s in statuses]))
    query = query.order_by(col(Site.key), col(Agency.name), col(CrossYearCheck.variant), col(CrossYearCheck.year),
                           col(CrossYearCheck.rule), col(CrossYearCheck.id))
    return [_as_dict(check, agency, site) for check, agency, site in session.exec(query).all()]


def _as_dict(check: CrossYearCheck, agency: Agency, site: Site) -> dict[str, Any]:
    return {
        "site_key": site.key, "site_name": site.name, "agency_id": agency.id, "agency": agency.name,
        "variant": check.variant, "year": check.year, "previous_year": check.previous_year, "rule": check.rule,
        "scope": check.scope, "status": check.status.value, "actual": _number(check.actual),
        "expected": _number(check.expected), "numbers": check.numbers, "note": check.note,
        "report_id": check.report_id, "previous_report_id": check.previous_report_id,
        "version_id": check.version_id, "previous_version_id": check.previous_version_id,
        "computed_at": check.computed_at,
    }


def _number(x: float | None) -> int | float | None:
    return int(x) if x is not None and float(x).is_integer() else x


def problems_of_reports(session: Session, report_ids: Collection[int]) -> list[dict[str, Any]]:
    """The failed and flagged checks of the agencies of these reports (as :func:`cross_year_rows`
    gives them), for ``nianbao changes``; empty when the store has no ``cross_year_checks`` yet
    (``changes`` only reads, and a store made before the table keeps working)."""
    if not report_ids or not sa.inspect(session.connection()).has_table(CrossYearCheck.__tablename__):
        return []
    agencies: set[int] = set()
    for chunk in _chunks(sorted(report_ids)):
        agencies.update(session.exec(select(Report.agency_id).where(col(Report.id).in_(chunk))).all())
    out: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(agencies)):
        out += cross_year_rows(session, CheckFilter(statuses=("fail", "flag")), agencies=chunk)
    out.sort(key=lambda r: (r["site_key"], r["agency"], r["variant"], r["year"], r["rule"]))  # stable: scopes keep order
    return out
