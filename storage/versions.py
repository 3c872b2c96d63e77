"""Reports over time: versions by values digest, new/unchanged/changed/gone, field diffs."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import (
    Agency,
    CrawlRunSite,
    Report,
    ReportStatus,
    ReportVersion,
    Site,
)

Value = int | float | str | None


def canonical_value(value: Any) -> Value:
    """A report value in the form that is compared and digested (ValueError if not a value)."""
    # 12 and 12.0 are the same published number: a PDF and an HTML parse must not differ on it.
    if isinstance(value, bool):
        raise ValueError(f"boolean {value!r} is not a report value")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{value!r} is not a report value")
        return int(value) if value.is_integer() else value
    if value is None or isinstance(value, int | str):
        return value
    raise ValueError(f"{type(value).__name__} {value!r} is not a report value (number, text or null)")


def canonical_values(values: Mapping[str, Any]) -> dict[str, Value]:
    """Values with integral floats turned into ints and keys sorted: the form that is digested."""
    return {str(k): canonical_value(values[k]) for k in sorted(values)}


def values_digest(values: Mapping[str, Any]) -> str:
    """sha256 hex of the canonical JSON of ``values``; two sightings are one version iff equal."""
    blob = json.dumps(canonical_values(values), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def report_identity(site_key: str, agency: Agency, year: int, variant: str = "") -> str:
    """Canonical identity of a report: independent of the URL it is published under."""
    ident = f"{site_key}/{agency.normalized_name}/{year}"
    return f"{ident}/{variant}" if variant else ident


def upsert_report_version(
    session: Session,
    agency: Agency,
    year: int,
    values: Mapping[str, Any],
    capture_ids: Sequence[int],
    seen_at: datetime,
    *,
    run_id: int,
    variant: str = "",
) -> tuple[Report, ReportVersion, ReportStatus]:
    """Record that run ``run_id`` saw the report of ``agency`` for ``year`` with ``values``.

    ``capture_ids[0]`` is the capture the values come from (proof of the sighting). Returns the
    report, the version the values belong to and the report's status for this run:
    ``new`` (first sighting ever), ``unchanged`` (same digest as the newest version: its
    last_seen moves on) or ``changed`` (a new version). A run sees at most one version of a
    report: values upserted again in the same run replace that run's version, so a resumed crawl
    that parses a report again changes nothing.
    """
    assert agency.id is not None
    digest = values_digest(values)
    canon = canonical_values(values)
    capture_id = capture_ids[0] if capture_ids else None
    report = session.exec(
        select(Report).where(Report.agency_id == agency.id, Report.year == year, Report.variant == variant)
    ).first()
    if report is None:
        site = session.get(Site, agency.site_id)
        assert site is not None
        report = Report(
            agency_id=agency.id,
            year=year,
            variant=variant,
            identity=report_identity(site.key, agency, year, variant),
            first_seen=seen_at,
            last_seen=seen_at,
            status=ReportStatus.NEW,
            status_run_id=run_id,
            latest_version=1,
        )
        session.add(report)
        session.flush()
        version = _new_version(session, report, 1, digest, canon, seen_at, run_id, capture_id)
        return report, version, ReportStatus.NEW

    latest = session.exec(
        select(ReportVersion).where(
            ReportVersion.report_id == report.id, ReportVersion.number == report.latest_version
        )
    ).one()
    same_run = report.status_run_id == run_id
    if latest.values_digest == digest:
        _seen_again(latest, seen_at, run_id, capture_id)
        if not same_run or report.status is ReportStatus.GONE:
            report.status = ReportStatus.UNCHANGED
    elif same_run and latest.first_run_id == run_id:
        latest.values_digest, latest.values = digest, canon
        _seen_again(latest, seen_at, run_id, capture_id)
        if report.status is ReportStatus.GONE:
            report.status = ReportStatus.CHANGED
    else:
        latest = _new_version(session, report, latest.number + 1, digest, canon, seen_at, run_id, capture_id)
        report.latest_version = latest.number
        report.status = ReportStatus.CHANGED
    report.status_run_id = run_id
    report.first_seen = min(report.first_seen, seen_at)
    report.last_seen = max(report.last_seen, seen_at)
    session.add_all([report, latest])
    session.flush()
    return report, latest, report.status


def reports_seen_in(session: Session, run_id: int) -> set[int]:
    """Ids of the reports run ``run_id`` has recorded a sighting of so far."""
    return {rid for rid in session.exec(select(Report.id).where(Report.status_run_id == run_id)) if rid is not None}


def _new_version(
    session: Session,
    report: Report,
    number: int,
    digest: str,
    values: dict[str, Value],
    seen_at: datetime,
    run_id: int,
    capture_id: int | None,
) -> ReportVersion:
    assert report.id is not None
    version = ReportVersion(
        report_id=report.id,
        number=number,
        values_digest=digest,
        values=values,
        first_seen=seen_at,
        last_seen=seen_at,
        first_run_id=run_id,
        last_run_id=run_id,
        first_capture_id=capture_id,
        last_capture_id=capture_id,
    )
    session.add(version)
    session.flush()
    return version


def _seen_again(version: ReportVersion, seen_at: datetime, run_id: int, capture_id: int | None) -> None:
    if seen_at >= version.last_seen:
        version.last_seen = seen_at
        version.last_run_id = run_id
        if capture_id is not None:
            version.last_capture_id = capture_id
    version.first_seen = min(version.first_seen, seen_at)


def mark_gone(
    session: Session,
    run_id: int,
    seen_report_ids: Collection[int] = (),
    *,
    years: Collection[int] | None = None,
) -> list[Report]:
    """Mark as gone every report of the run's sites that this run did not see.

    A report counts as seen when the run upserted it or its id is in ``seen_report_ids``. Only
    call this for a run that crawled its sites completely; ``years`` limits it to the years the
    run looked for. The gone report keeps its versions and their last captures.
    """
    # a site the run could not crawl (unreachable, blocked: crawl_run_sites.problem) keeps its reports
    site_ids = select(CrawlRunSite.site_id).where(CrawlRunSite.run_id == run_id, col(CrawlRunSite.problem).is_(None))
    query = (
        select(Report)
        .join(Agency, col(Agency.id) == Report.agency_id)
        .where(
            col(Agency.site_id).in_(site_ids),
            Report.status != ReportStatus.GONE,
            Report.status_run_id != run_id,
        )
    )
    if years is not None:
        query = query.where(col(Report.year).in_(list(years)))
    seen = set(seen_report_ids)
    gone = [r for r in session.exec(query).all() if r.id not in seen]
    for report in gone:
        report.status = ReportStatus.GONE
        report.status_run_id = run_id
        session.add(report)
    session.flush()
    return gone


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs between two versions."""

    key: str
    """fields.tsv key."""
    before: Value
    """Value in the older version (None when blank or absent)."""
    after: Value
    """Value in the newer version (None when blank or absent)."""


def field_diff(version_a: ReportVersion, version_b: ReportVersion) -> list[FieldChange]:
    """The fields whose values differ from ``version_a`` to ``version_b``, sorted by key."""
    a, b = canonical_values(version_a.values), canonical_values(version_b.values)
    return [FieldChange(k, a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
