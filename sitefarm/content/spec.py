"""What a report says, independent of how it is published: the spec and its 勾稽 rules.

A :class:`ReportSpec` is the ground truth of one report. Renderers lay it out as HTML,
DOCX, XLSX, PDF or text; the farm's manifest records it as the expected parse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crawler.reports.template import RESULT_ROWS, TEMPLATES

Value = int | float | str | None


@dataclass(frozen=True)
class ReportSpec:
    """One report's content: who, which year, which template, every table value and the prose."""

    agency: str
    """Publishing unit, e.g. ``示范市交通运输局``."""
    year: int
    """The year the report covers (published in the following year)."""
    template: str
    """``2019``, ``2021`` or ``legacy``."""
    title: str
    """The title as printed, e.g. ``示范市交通运输局2023年政府信息公开工作年度报告``."""
    values: Mapping[str, Value]
    """Every key of ``field_keys(template)`` (empty for legacy); ``None`` is a blank cell."""
    legacy_rows: Mapping[str, int | float | None]
    """Rows of a 统计指标 table: label (without numbering or notes) → the year's value."""
    consistent: bool
    """False when the values break a 勾稽 rule (deliberately, or as published)."""
    prose: tuple[str, ...]
    """Paragraphs of the text, headings 一/五/六 included; the tables go before ``五、``."""


def _num(v: Value) -> float:
    return float(v) if isinstance(v, int | float) else 0.0


def rule_failures(template: str, values: Mapping[str, Value]) -> list[tuple[str, str]]:
    """The (rule, scope) pairs of R1–R4 (template.md §6) that ``values`` break; blanks count as 0."""
    if template not in TEMPLATES:
        return []
    t = TEMPLATES[template]
    cols = [c.key for c in t.request_columns]
    parts = [c for c in cols if c != "total"]

    def v(row: str, col: str) -> float:
        return _num(values.get(f"requests.{row}.{col}"))

    out: list[tuple[str, str]] = []
    for col in cols:
        if v("new_received", col) + v("carried_over", col) != v("total_handled", col) + v(
            "carried_forward", col
        ):
            out.append(("R1", f"requests.*.{col}"))
    for row in (r.key for r in t.request_rows):
        if abs(sum(v(row, c) for c in parts) - v(row, "total")) > 1e-9:
            out.append(("R2", f"requests.{row}"))
    for col in cols:
        if sum(v(row, col) for row in RESULT_ROWS[template]) != v("total_handled", col):
            out.append(("R3", f"requests.*.{col}"))
    for g in t.appeal_groups:
        four = sum(
            _num(values.get(f"appeals.{g.key}.{c}")) for c in ("upheld", "corrected", "other", "pending")
        )
        if four != _num(values.get(f"appeals.{g.key}.total")):
            out.append(("R4", f"appeals.{g.key}"))
    return out


def format_value(value: Value) -> str:
    """A cell value as a report prints it: integers plain, decimals as written, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)
