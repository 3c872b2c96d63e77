"""A report as its page and ``/api/reports/{id}`` show it: the official tables with each cell's
source, the 勾稽 checks, every document with its provenance, and every version with its diff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from crawler.web.regions import region_of
from crawler.web.tables import TableView, label_of, official_tables
from storage.models import (
    Agency,
    Capture,
    CheckResult,
    FieldKind,
    FieldValue,
    Report,
    ReportSource,
    ReportVersion,
    Site,
)
from storage.versions import field_diff


@dataclass(frozen=True)
class Provenance:
    """Where and when a document was captured, and where its bytes are in the archive."""

    capture_id: int
    url: str
    method: str
    fetched_at: datetime
    status: int | None
    content_type: str | None
    payload_digest: str | None
    size: int | None
    record_type: str
    warc_record_id: str
    warc_filename: str
    warc_offset: int
    warc_length: int
    rendered: bool
    discovered_from: str | None
    discovery_path: str | None
    run_id: int


@dataclass(frozen=True)
class SourceView:
    """A document of a version and what parsing it gave."""

    source_id: int
    role: str
    format: str
    parse_status: str
    parse_error: str | None
    template: str | None
    title: str | None
    agency_printed: str | None
    consistent: bool | None
    warnings: list[str]
    supplies_values: bool
    value_reason: str | None
    capture: Provenance
    also_captured: list[Provenance] = field(default_factory=list)
    """The same document (URL and role) captured by other runs that saw this version, newest first."""


@dataclass(frozen=True)
class CheckView:
    rule: str
    scope: str
    ok: bool
    left: float
    right: float
    cells: list[str]


@dataclass(frozen=True)
class ChangeView:
    key: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class VersionView:
    number: int
    values_digest: str
    first_seen: datetime
    last_seen: datetime
    first_run_id: int
    last_run_id: int
    changes: list[ChangeView]
    """Field differences from the previous version ([] for version 1)."""


@dataclass(frozen=True)
class ReportDetail:
    report_id: int
    identity: str
    agency_id: int
    agency: str
    site: str
    site_url: str
    year: int
    status: str
    region: str | None
    first_seen: datetime
    last_seen: datetime
    version: int
    """The version shown."""
    latest_version: int
    template: str | None
    values: dict[str, Any]
    cell_sources: dict[str, str | None]
    tables: list[TableView]
    legacy_rows: list[tuple[str, Any, str | None]]
    checks: list[CheckView]
    sources: list[SourceView]
    versions: list[VersionView]
    failed_cells: list[str] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[CheckView]:
        return [c for c in self.checks if not c.ok]


def report_detail(session: Session, report_id: int, version: int | None = None) -> ReportDetail | None:
    """Everything the report page shows for ``version`` (default: the newest); None if unknown."""
    report = session.get(Report, report_id)
    if report is None:
        return None
    agency = session.get(Agency, report.agency_id)
    assert agency is not None
    site = session.get(Site, agency.site_id)
    assert site is not None
    all_versions = session.exec(
        select(ReportVersion).where(ReportVersion.report_id == report_id).order_by(col(ReportVersion.number))
    ).all()
    number = version or report.latest_version
    shown = next((v for v in all_versions if v.number == number), None)
    if shown is None:
        return None
    versions = []
    for prev, cur in zip([None, *all_versions[:-1]], all_versions, strict=True):
        changes = [] if prev is None else [
            ChangeView(c.key, label_of(c.key), c.before, c.after) for c in field_diff(prev, cur)
        ]
        versions.append(
            VersionView(cur.number, cur.values_digest, cur.first_seen, cur.last_seen, cur.first_run_id,
                        cur.last_run_id, changes)
        )
    rows = session.exec(
        select(ReportSource, Capture)
        .join(Capture, col(Capture.id) == ReportSource.capture_id)
        .where(ReportSource.version_id == shown.id)
        .order_by(col(ReportSource.supplies_values).desc(), col(ReportSource.id))
    ).all()
    sources = _documents(rows)
    supplier = next((src for src, _ in rows if src.supplies_values), rows[0][0] if rows else None)
    cell_sources: dict[str, str | None] = {}
    legacy: list[tuple[str, Any, str | None]] = []
    checks: list[CheckView] = []
    if supplier is not None:
        for fv in session.exec(
            select(FieldValue).where(FieldValue.source_id == supplier.id).order_by(col(FieldValue.id))
        ).all():
            value = fv.value_text if fv.value_num is None else _num(fv.value_num)
            if fv.kind is FieldKind.LEGACY:
                legacy.append((fv.key, value, fv.unit))
            else:
                cell_sources[fv.key] = fv.cell_source.value if fv.cell_source else None
        checks = [
            CheckView(c.rule, c.scope, c.ok, c.left_value, c.right_value, list(c.cells))
            for c in session.exec(
                select(CheckResult).where(CheckResult.source_id == supplier.id).order_by(col(CheckResult.id))
            ).all()
        ]
    failed = sorted({k for c in checks if not c.ok for k in c.cells})
    template = supplier.template if supplier else None
    return ReportDetail(
        report_id=report_id, identity=report.identity, agency_id=agency.id or 0, agency=agency.name,
        site=site.name, site_url=site.base_url, year=report.year, status=report.status.value,
        region=region_of(agency.name).label or region_of(site.name).label,
        first_seen=report.first_seen, last_seen=report.last_seen, version=shown.number,
        latest_version=report.latest_version, template=template, values=dict(shown.values),
        cell_sources=cell_sources, tables=official_tables(template, shown.values, cell_sources, failed),
        legacy_rows=legacy, checks=checks, sources=sources, versions=versions, failed_cells=failed,
    )


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def provenance(cap: Capture) -> Provenance:
    """The provenance fields of a capture row."""
    assert cap.id is not None
    return Provenance(
        cap.id, cap.url, cap.method, cap.fetched_at, cap.status, cap.content_type, cap.payload_digest, cap.size,
        cap.record_type.value, cap.warc_record_id, cap.warc_filename, cap.warc_offset, cap.warc_length,
        cap.rendered, cap.discovered_from, cap.discovery_path, cap.run_id,
    )


def _documents(rows: Sequence[tuple[ReportSource, Capture]]) -> list[SourceView]:
    """One entry per document of the version (its URL and role), in the rows' order.

    Every run that sees a version again adds a source row for each document it captured, so a
    report unchanged for five years has five rows per document. The entry shown is the row that
    supplies the values, else the newest capture; the other captures are listed with it.
    """
    groups: dict[tuple[str, str], list[tuple[ReportSource, Capture]]] = {}
    for src, cap in rows:
        groups.setdefault((cap.url, src.role.value), []).append((src, cap))
    out = []
    for group in groups.values():
        newest_first = sorted(group, key=lambda sc: (sc[1].fetched_at, sc[1].id or 0), reverse=True)
        src, cap = next((sc for sc in group if sc[0].supplies_values), newest_first[0])
        out.append(_source_view(src, cap, [provenance(c) for _, c in newest_first if c is not cap]))
    return out


def _source_view(src: ReportSource, cap: Capture, also: list[Provenance]) -> SourceView:
    assert src.id is not None
    return SourceView(
        src.id, src.role.value, src.format, src.parse_status.value, src.parse_error, src.template, src.title,
        src.agency_printed, src.consistent, list(src.warnings), src.supplies_values, src.value_reason,
        provenance(cap), also,
    )
