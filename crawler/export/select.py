"""Which reports an export takes: the filters, checked and named, and the queries over the views.

Reads only the SQL views of :mod:`storage.views` (``v_reports``, ``v_facts``), so the export sees
exactly what a downstream tool sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

TEMPLATES = ("2019", "2021", "legacy")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ExportFilter:
    """What to export; every criterion given must hold (an empty filter takes every report)."""

    region: str | None = None
    """Text the agency or site name must contain (until the registry has region fields)."""
    agency: str | None = None
    """Text the agency name must contain."""
    years: tuple[int, ...] = ()
    """Report years to take; empty: all."""
    templates: tuple[str, ...] = ()
    """Templates to take (2019, 2021, legacy); empty: all, prose-only reports included."""
    failed_checks: bool = False
    """Only reports whose values fail at least one 勾稽 check."""
    changed_since: datetime | None = None
    """Only reports whose latest version was first seen at or after this moment (new or changed)."""
    changed_since_run: int | None = None
    """Only reports whose latest version was first seen by this run or a later one."""


def parse_years(textual: str | None) -> tuple[int, ...]:
    """``2023,2024`` or ``2019-2021`` (or both, mixed) → years; ValueError naming the input."""
    if not textual:
        return ()
    years: list[int] = []
    for part in re.split(r"[,\s]+", textual.strip()):
        m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", part)
        if not m:
            raise ValueError(f"--year {textual!r}: expected years like 2023,2024 or 2019-2021")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise ValueError(f"--year {part!r}: the range runs backwards")
        years.extend(range(first, last + 1))
    return tuple(sorted(set(years)))


def parse_templates(values: Iterable[str]) -> tuple[str, ...]:
    """Template names as given (repeated or comma-separated); ValueError naming a bad one."""
    out: list[str] = []
    for value in values:
        for name in filter(None, (v.strip() for v in value.split(","))):
            if name not in TEMPLATES:
                raise ValueError(f"--template {name!r}: expected one of {', '.join(TEMPLATES)}")
            out.append(name)
    return tuple(dict.fromkeys(out))


def parse_changed_since(textual: str | None) -> tuple[datetime | None, int | None]:
    """``RUN`` or ``YYYY-MM-DD`` (00:00 Asia/Shanghai, as ``nianbao changes``) → (moment, run)."""
    if not textual:
        return None, None
    if re.fullmatch(r"\d+", textual):
        return None, int(textual)
    try:
        day = date.fromisoformat(textual)
    except ValueError:
        raise ValueError(f"--changed-since {textual!r}: expected a run number or a date YYYY-MM-DD") from None
    return datetime.combine(day, time(0), SHANGHAI).astimezone(UTC), None


def _like(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, its own % and _ taken literally."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", value) + "%"


def _where(flt: ExportFilter) -> tuple[str, dict[str, Any], list[Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    expanding: list[Any] = []
    if flt.region:
        clauses.append("(r.agency LIKE :region ESCAPE '\\' OR r.site_name LIKE :region ESCAPE '\\')")
        params["region"] = _like(flt.region)
    if flt.agency:
        clauses.append("r.agency LIKE :agency ESCAPE '\\'")
        params["agency"] = _like(flt.agency)
    if flt.years:
        clauses.append("r.year IN :years")
        params["years"] = list(flt.years)
        expanding.append(bindparam("years", expanding=True))
    if flt.templates:
        clauses.append("r.template IN :templates")
        params["templates"] = list(flt.templates)
        expanding.append(bindparam("templates", expanding=True))
    if flt.failed_checks:
        clauses.append("r.checks_failed > 0")
    if flt.changed_since is not None:
        clauses.append("r.version_first_seen >= :since")
        params["since"] = flt.changed_since
    if flt.changed_since_run is not None:
        clauses.append("r.version_first_run_id >= :since_run")
        params["since_run"] = flt.changed_since_run
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params, expanding


def _since_param(conn: Connection, params: dict[str, Any]) -> None:
    # SQLite keeps times as naive UTC text (storage.coltypes.UTCDateTime): compare like with like
    if "since" in params and conn.dialect.name == "sqlite":
        params["since"] = params["since"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def select_reports(conn: Connection, flt: ExportFilter) -> list[dict[str, Any]]:
    """The ``v_reports`` rows the filter takes, by site, agency, year and report id."""
    where, params, expanding = _where(flt)
    _since_param(conn, params)
    query = text(f"SELECT r.* FROM v_reports r{where} ORDER BY r.site_key, r.agency, r.year, r.report_id")
    if expanding:
        query = query.bindparams(*expanding)
    return [dict(row) for row in conn.execute(query, params).mappings()]


def select_facts(conn: Connection, report_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The ``v_facts`` rows of these reports, in the order of ``report_ids``, then by kind and key."""
    out: list[dict[str, Any]] = []
    query = text("SELECT f.* FROM v_facts f WHERE f.report_id IN :ids ORDER BY f.report_id, f.kind, f.field")
    query = query.bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(report_ids), 500):  # keep well under every driver's parameter limit
        chunk = list(report_ids[start : start + 500])
        out.extend(dict(row) for row in conn.execute(query, {"ids": chunk}).mappings())
    position = {rid: i for i, rid in enumerate(report_ids)}
    out.sort(key=lambda f: position[int(f["report_id"])])  # stable: kind and key order kept
    return out


def select_documents(conn: Connection, version_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every document (HTML body and attachments) of these report versions with its capture, and for
    a revisit the capture that holds the payload."""
    out: list[dict[str, Any]] = []
    query = text(
        "SELECT s.version_id, s.id AS source_id, s.role, s.format, s.supplies_values, c.id AS capture_id, "
        "c.url, c.fetched_at, c.content_type, c.payload_digest, c.record_type, c.warc_filename, "
        "c.warc_offset, c.warc_length, c.warc_record_id, o.id AS original_id, o.warc_filename AS o_filename, "
        "o.warc_offset AS o_offset, o.warc_length AS o_length "
        "FROM report_sources s JOIN captures c ON c.id = s.capture_id "
        "LEFT JOIN captures o ON o.id = c.refers_to_capture_id AND c.record_type = 'revisit' "
        "WHERE s.version_id IN :ids ORDER BY s.version_id, s.id"
    ).bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(version_ids), 500):
        chunk = list(version_ids[start : start + 500])
        out.extend(dict(row) for row in conn.execute(query, {"ids": chunk}).mappings())
    return out
