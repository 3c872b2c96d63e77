"""The tables of an export, typed and described: ``reports``, the tidy ``facts`` and one wide
table per official table (二、三、四), built from view rows by pure functions.

Column names, order and descriptions are those of the SQL views (:data:`storage.views.VIEWS`), so
an export, the views and ``docs/views.md`` say the same thing; the wide tables add each field's
Chinese row and column labels as its title. Every writer (CSV, XLSX, JSONL, Parquet) and the
data package descriptor take these :class:`Dataset` objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storage.labels import TABLES, label_of
from storage.views import VIEWS, View, ViewColumn

Cell = int | float | str | bool | datetime | None

INTEGER_COLUMNS = frozenset(
    {"report_id", "agency_id", "year", "version", "versions", "version_id", "version_first_run_id",
     "source_id", "capture_id", "warc_offset", "warc_length", "checks_total", "checks_failed"}
)
DATETIME_COLUMNS = frozenset({"first_seen", "last_seen", "version_first_seen", "captured_at"})
BOOLEAN_COLUMNS = frozenset({"consistent", "rendered"})
NUMBER_COLUMNS = frozenset({"value"})


@dataclass(frozen=True)
class Column:
    """One column of an exported table."""

    name: str
    """Field name (a plain identifier)."""
    type: str
    """Table Schema type: integer, number, string, boolean or datetime."""
    title: str
    """Human title: the Chinese labels for a field, else the name."""
    description: str
    """What the column holds."""


@dataclass(frozen=True)
class Dataset:
    """One exported table: its columns and rows (each row a tuple in column order)."""

    name: str
    """File stem and resource name, e.g. ``facts``."""
    title: str
    """Human title (Chinese heading for the official tables)."""
    description: str
    """What one row is."""
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _view(name: str) -> View:
    return next(v for v in VIEWS if v.name == name)


def _type(column: ViewColumn) -> str:
    if column.key:
        return "string" if label_of(column.key).is_text else "number"
    if column.name in INTEGER_COLUMNS:
        return "integer"
    if column.name in DATETIME_COLUMNS:
        return "datetime"
    if column.name in BOOLEAN_COLUMNS:
        return "boolean"
    return "number" if column.name in NUMBER_COLUMNS else "string"


def _columns(view: View) -> tuple[Column, ...]:
    out = []
    for c in view.columns:
        title = c.name
        if c.key:
            label = label_of(c.key)
            title = f"{label.row} / {label.column}"
        out.append(Column(c.name, _type(c), title, c.doc))
    return tuple(out)


def as_utc(value: Any) -> datetime | None:
    """A time from either store as an aware UTC datetime (SQLite hands back naive UTC text)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _cell(value: Any, type_: str) -> Cell:
    if value is None:
        return None
    if type_ == "integer":
        return int(value)
    if type_ == "number":
        return int(value) if float(value).is_integer() else float(value)
    if type_ == "boolean":
        return bool(value)
    if type_ == "datetime":
        return as_utc(value)
    return str(value)


def _table(name: str, title: str, description: str, columns: tuple[Column, ...],
           rows: Sequence[Mapping[str, Any]]) -> Dataset:
    typed = tuple(tuple(_cell(row.get(c.name), c.type) for c in columns) for row in rows)
    return Dataset(name, title, description, columns, typed)


def reports_dataset(reports: Sequence[Mapping[str, Any]]) -> Dataset:
    """One row per exported report (the ``v_reports`` columns)."""
    view = _view("v_reports")
    return _table("reports", "年度报告", view.doc, _columns(view), reports)


def facts_dataset(facts: Sequence[Mapping[str, Any]]) -> Dataset:
    """The tidy table: one row per cell (the ``v_facts`` columns)."""
    view = _view("v_facts")
    return _table("facts", "数据（每格一行）", view.doc, _columns(view), facts)


def wide_datasets(
    reports: Sequence[Mapping[str, Any]], facts: Sequence[Mapping[str, Any]]
) -> list[Dataset]:
    """One wide table per official table: a row per report of the 2019 or 2021 template, a column
    per field (pivoted from the facts, as the ``v_table*`` views do in SQL)."""
    cells: dict[int, dict[str, Any]] = {}
    for f in facts:
        if f["kind"] == "field":
            value = f["value_text"] if label_of(f["field"]).is_text else f["value"]
            cells.setdefault(int(f["report_id"]), {})[f["field"]] = value
    out = []
    for (prefix, heading), number in zip(TABLES, ("2", "3", "4"), strict=True):
        view = _view(f"v_table{number}_{prefix}")
        columns = _columns(view)
        keys = {c.name: c.key for c in view.columns if c.key}
        rows = []
        for r in reports:
            if r.get("template") not in ("2019", "2021"):
                continue
            mine = cells.get(int(r["report_id"]), {})
            rows.append({**r, **{name: mine.get(key) for name, key in keys.items()}})
        out.append(_table(f"table{number}_{prefix}", heading, view.doc, columns, rows))
    return out


def export_datasets(
    reports: Sequence[Mapping[str, Any]], facts: Sequence[Mapping[str, Any]]
) -> list[Dataset]:
    """Every table of an export, in the order files are written and described."""
    return [reports_dataset(reports), facts_dataset(facts), *wide_datasets(reports, facts)]


CROSS_YEAR_COLUMNS = (
    Column("site_key", "string", "site_key", "The portal's key."),
    Column("agency", "string", "机关", "The agency whose two years are compared."),
    Column("year", "integer", "年度", "The later year: the report whose numbers are checked."),
    Column("previous_year", "integer", "上一年度", "The earlier year compared with."),
    Column("rule", "string", "规则", "X1 carried over (上年结转 = 结转下年度继续办理), X2 documents in force "
           "(现行有效 = last year's + 制发 − 废止), X3 template sequence."),
    Column("scope", "string", "范围", "Column, row or subject checked."),
    Column("status", "string", "结果", "pass, fail (the numbers contradict) or flag (worth a look)."),
    Column("actual", "number", "本年数", "The later year's published number (empty for X3)."),
    Column("expected", "number", "推算数", "What the earlier year's numbers make it (empty for X3)."),
    Column("numbers", "string", "所涉数字", "Every number involved, as JSON [{year, key, value}]."),
    Column("note", "string", "说明", "The check in one line."),
    Column("report_id", "integer", "report_id", "The later year's report."),
    Column("previous_report_id", "integer", "previous_report_id", "The earlier year's report."),
)


def cross_year_dataset(rows: Sequence[Mapping[str, Any]]) -> Dataset:
    """The cross-year checks (X1–X3) of the exported reports, one row per check."""
    import json

    flat = [{**r, "numbers": json.dumps(r.get("numbers") or [], ensure_ascii=False)} for r in rows]
    return _table("cross_year_checks", "跨年度核对", "One check across two years of an agency's reports "
                  "(nianbao checks), on their latest versions.", CROSS_YEAR_COLUMNS, flat)
