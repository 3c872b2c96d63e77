"""The comparisons: one agency across years, many agencies in one year (the values of each
report's newest version)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from crawler.web.fulltext import SEARCH
from crawler.web.regions import region_label
from crawler.web.tables import label_of
from storage.models import Agency, Report, ReportVersion

DEFAULT_FIELDS = (
    "requests.new_received.total",
    "requests.granted.total",
    "requests.total_handled.total",
    "appeals.review.total",
    "appeals.suit_direct.total",
)
"""Fields the compare pages chart when none is chosen."""

@dataclass(frozen=True)
class Series:
    """One agency's reports across years: per field, the value of each year's newest version."""

    agency_id: int
    agency: str
    years: list[int]
    report_ids: list[int]
    fields: list[str]
    labels: dict[str, str]
    values: dict[str, list[Any]]
    """Field key → one value per year (None where blank or absent)."""


def agency_series(session: Session, agency_id: int, fields: Sequence[str] = DEFAULT_FIELDS) -> Series | None:
    """The comparison of one agency across years; None for an unknown agency."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        return None
    rows = session.exec(
        select(Report, ReportVersion)
        .join(ReportVersion, (col(ReportVersion.report_id) == Report.id)
              & (col(ReportVersion.number) == Report.latest_version))
        .where(Report.agency_id == agency_id, Report.variant == "")
        .order_by(col(Report.year))
    ).all()
    keys = list(fields) or list(DEFAULT_FIELDS)
    return Series(
        agency_id, agency.name, [r.year for r, _ in rows], [r.id or 0 for r, _ in rows], keys,
        {k: label_of(k) for k in keys},
        {k: [_value(v.values.get(k)) for _, v in rows] for k in keys},
    )


@dataclass(frozen=True)
class YearRow:
    report_id: int
    agency_id: int
    agency: str
    region: str | None
    template: str | None
    failed_checks: int
    values: dict[str, Any]


@dataclass(frozen=True)
class YearTable:
    """Many agencies in one year, one row per report, sorted by a field."""

    year: int
    fields: list[str]
    labels: dict[str, str]
    sort: str
    descending: bool
    rows: list[YearRow]


def year_table(
    session: Session,
    year: int,
    fields: Sequence[str] = DEFAULT_FIELDS,
    *,
    sort: str = "agency",
    descending: bool = False,
    province: str | None = None,
    template: str | None = None,
) -> YearTable:
    """The comparison of every agency's report of ``year`` (from the search index's facets)."""
    keys = list(fields) or list(DEFAULT_FIELDS)
    s = SEARCH.c
    version = ReportVersion.__table__  # type: ignore[attr-defined]
    q = (
        sa.select(s.report_id, s.agency_id, s.agency, s.province, s.city, s.county, s.template,
                  s.failed_checks, version.c["values"])
        .select_from(SEARCH.join(version, version.c.id == s.version_id))
        .where(s.year == year)
    )
    if province:
        q = q.where(s.province == province)
    if template:
        q = q.where(s.template == template)
    out = [
        YearRow(r.report_id, r.agency_id, r.agency, region_label(r.province, r.city, r.county),
                r.template, r.failed_checks, {k: _value((r[8] or {}).get(k)) for k in keys})
        for r in session.execute(q).all()
    ]
    if sort in keys:
        present = [r for r in out if isinstance(r.values[sort], int | float)]
        blank = [r for r in out if not isinstance(r.values[sort], int | float)]
        present.sort(key=lambda r: (r.values[sort], r.agency), reverse=descending)
        out = present + sorted(blank, key=lambda r: r.agency)
    else:
        sort = "agency"
        out.sort(key=lambda r: r.agency, reverse=descending)
    return YearTable(year, keys, {k: label_of(k) for k in keys}, sort, descending, out)


def _value(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v
