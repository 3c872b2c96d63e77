"""Report sources: each document of a report version (HTML body, attachments) with what parsing it
gave — the :class:`~crawler.reports.result.ParseResult` mapped onto report_sources, field_values
and check_results — and which one the version's values come from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import (
    CellSource,
    CheckResult,
    FieldKind,
    FieldValue,
    ParseStatus,
    ReportSource,
    ReportVersion,
    SourceRole,
)
from storage.versions import canonical_value

if TYPE_CHECKING:
    from crawler.reports.result import ParseResult


def add_source(
    session: Session,
    version: ReportVersion,
    capture_id: int,
    result: ParseResult | None,
    *,
    role: SourceRole,
    format: str | None = None,
    parse_status: ParseStatus | None = None,
    parse_error: str | None = None,
    supplies_values: bool = False,
    value_reason: str | None = None,
) -> ReportSource:
    """Store one document of a report version with its parse result (cells and checks).

    Idempotent on (version, capture). ``result`` is None when parsing failed or was skipped;
    ``parse_status`` then says which and ``parse_error`` why.
    """
    assert version.id is not None
    existing = session.exec(
        select(ReportSource).where(
            ReportSource.version_id == version.id, ReportSource.capture_id == capture_id
        )
    ).first()
    if existing is not None:
        return existing
    if parse_status is None:
        parse_status = (
            ParseStatus.FAILED
            if result is None
            else (ParseStatus.PARSED if result.template else ParseStatus.NO_TABLE)
        )
    source = ReportSource(
        version_id=version.id,
        capture_id=capture_id,
        role=SourceRole(role),
        format=format or (result.kind if result else "unknown"),
        parse_status=ParseStatus(parse_status),
        parse_error=parse_error,
        template=result.template if result else None,
        title=result.title if result else None,
        year=result.year if result else None,
        agency_printed=result.agency if result else None,
        consistent=result.consistent if result else None,
        warnings=list(result.warnings) if result else [],
        supplies_values=supplies_values,
        value_reason=value_reason,
    )
    session.add(source)
    session.flush()
    if result is not None:
        _store_cells(session, source, result)
    if supplies_values:
        choose_value_source(session, version, source, value_reason)
    return source


def _store_cells(session: Session, source: ReportSource, result: ParseResult) -> None:
    """Every cell, legacy row and check of a parse result, as two batch inserts (a report has
    ~200 cells and ~40 checks: ORM objects one by one cost more than the parse itself)."""
    assert source.id is not None
    cells: list[dict[str, Any]] = []
    for key, raw in result.values.items():
        value = canonical_value(raw)
        cells.append({
            "source_id": source.id, "kind": FieldKind.FIELD, "key": key, "unit": None,
            "value_num": float(value) if isinstance(value, int | float) else None,
            "value_text": value if isinstance(value, str) else None,
            "cell_source": CellSource(result.sources[key]) if value is not None and key in result.sources else None,
        })
    for label, raw in result.legacy_rows.items():
        value = canonical_value(raw)
        cells.append({
            "source_id": source.id, "kind": FieldKind.LEGACY, "key": label, "cell_source": None,
            "value_num": float(value) if isinstance(value, int | float) else None,
            "value_text": value if isinstance(value, str) else None, "unit": result.legacy_units.get(label),
        })
    checks = [
        {"source_id": source.id, "rule": c.rule, "scope": c.scope, "ok": c.ok, "left_value": float(c.left),
         "right_value": float(c.right), "cells": list(c.cells)}
        for c in result.checks
    ]
    if cells:
        session.execute(sa.insert(FieldValue), cells)
    if checks:
        session.execute(sa.insert(CheckResult), checks)


def choose_value_source(
    session: Session, version: ReportVersion, source: ReportSource, reason: str | None
) -> None:
    """Make ``source`` the one document the version's values come from, saying why."""
    session.execute(
        sa.update(ReportSource)
        .where(col(ReportSource.version_id) == version.id, col(ReportSource.id) != source.id)
        .values(supplies_values=False)
    )
    source.supplies_values = True
    source.value_reason = reason
    session.add(source)
    session.flush()
