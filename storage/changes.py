"""What changed since a crawl run or a date: the query behind ``nianbao changes``.

Built from the version history rather than each report's current status, so a report edited in
one run and unchanged in the next still shows up as changed since the first of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Agency, CrawlRun, Report, ReportStatus, ReportVersion
from storage.versions import FieldChange, field_diff


@dataclass(frozen=True)
class ReportChange:
    """One event in a report's history: it appeared, got a new version, or disappeared."""

    identity: str
    """Canonical report identity (site/agency/year)."""
    report_id: int
    """reports.id."""
    agency: str
    """Agency name as first printed."""
    year: int
    """Report year."""
    kind: str
    """new, changed or gone."""
    run_id: int
    """The run that saw the event."""
    before: int | None
    """Version number before the event (None for new)."""
    after: int | None
    """Version number after it (None for gone)."""
    diff: tuple[FieldChange, ...] = ()
    """Field-level differences, for changed."""


def changes_since(
    session: Session, *, run_id: int | None = None, since: datetime | None = None
) -> list[ReportChange]:
    """Events of runs numbered ``run_id`` or later, or started at or after ``since``, oldest first."""
    if (run_id is None) == (since is None):
        raise ValueError("changes_since: give exactly one of run_id or since")
    runs = select(CrawlRun.id)
    runs = (
        runs.where(col(CrawlRun.id) >= run_id)
        if run_id is not None
        else runs.where(col(CrawlRun.started_at) >= since)
    )
    run_ids = set(session.exec(runs).all())
    if not run_ids:
        return []
    out: list[ReportChange] = []
    rows = session.exec(
        select(ReportVersion, Report, Agency)
        .join(Report, col(Report.id) == ReportVersion.report_id)
        .join(Agency, col(Agency.id) == Report.agency_id)
        .where(col(ReportVersion.first_run_id).in_(run_ids))
        .order_by(col(ReportVersion.first_run_id), col(Report.identity), col(ReportVersion.number))
    ).all()
    for version, report, agency in rows:
        assert report.id is not None
        if version.number == 1:
            out.append(_change(report, agency, "new", version.first_run_id, None, 1))
            continue
        previous = session.exec(
            select(ReportVersion).where(
                ReportVersion.report_id == report.id, ReportVersion.number == version.number - 1
            )
        ).one()
        diff = tuple(field_diff(previous, version))
        out.append(
            _change(report, agency, "changed", version.first_run_id, previous.number, version.number, diff)
        )
    gone = session.exec(
        select(Report, Agency)
        .join(Agency, col(Agency.id) == Report.agency_id)
        .where(Report.status == ReportStatus.GONE, col(Report.status_run_id).in_(run_ids))
        .order_by(col(Report.status_run_id), col(Report.identity))
    ).all()
    out += [_change(r, a, "gone", r.status_run_id, r.latest_version, None) for r, a in gone]
    return sorted(out, key=lambda c: (c.run_id, c.identity, c.after or 0))


def _change(
    report: Report,
    agency: Agency,
    kind: str,
    run_id: int,
    before: int | None,
    after: int | None,
    diff: tuple[FieldChange, ...] = (),
) -> ReportChange:
    assert report.id is not None
    return ReportChange(
        report.identity, report.id, agency.name, report.year, kind, run_id, before, after, diff
    )
