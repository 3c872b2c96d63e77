"""The result of parsing one report: canonical values, their sources and the 勾稽 checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

Number = int | float


@dataclass(frozen=True)
class Check:
    """One arithmetic rule of the template (勾稽关系) applied to one row, column or group."""

    rule: str
    """Rule id: R1 (一+二 = （七）+四), R2 (总计 = applicant columns), R3 (（七） = result rows),
    R4 (appeal group 总计 = its four results)."""
    scope: str
    """What the rule was applied to, e.g. ``requests.*.total`` or ``appeals.review``."""
    ok: bool
    """True when both sides are equal."""
    left: Number
    """The published total side."""
    right: Number
    """The sum of the parts."""
    cells: tuple[str, ...]
    """Keys of every cell involved, total first."""


@dataclass(frozen=True)
class ParseResult:
    """Everything read from one report document."""

    name: str
    """Input file name or URL."""
    kind: str
    """Document format as detected (html, pdf, docx, doc, wps, xls, xlsx, text, image)."""
    year: int | None
    """The year the report covers (not the publication year)."""
    template: str | None
    """``2019``, ``2021``, ``legacy`` or ``None`` when the report has no statistics table."""
    title: str | None
    """The report's title as printed."""
    agency: str | None
    """The publishing agency, from the title or metadata."""
    values: Mapping[str, Number | str | None]
    """Every field key of the template (fields.tsv), a number or ``None`` when blank/unreadable."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Per non-null cell: ``published`` (read as printed), ``split`` (digits run together,
    separated where the template arithmetic allows one reading only), ``stated`` (digits run
    together, the cell chosen among the splits by a number the report's own text states) or
    ``repaired`` (blank or lost in the document, computed from the template arithmetic)."""
    legacy_rows: Mapping[str, Number | None] = field(default_factory=dict)
    """Rows of a pre-2019 统计指标 table: label → value of the report year's column."""
    legacy_units: Mapping[str, str] = field(default_factory=dict)
    """Unit printed beside each legacy row (条, 件, 万元 …)."""
    checks: tuple[Check, ...] = ()
    """Each 勾稽 rule evaluated on the published and repaired values."""
    warnings: tuple[str, ...] = ()
    """Problems met: unreadable cells, ambiguous digit runs, pages without text."""

    @property
    def consistent(self) -> bool | None:
        """True when every check passes, None when there was nothing to check."""
        return all(c.ok for c in self.checks) if self.checks else None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape printed by ``nianbao parse --json`` (documented in the README)."""
        out = asdict(self)
        out["checks"] = [asdict(c) | {"cells": list(c.cells)} for c in self.checks]
        out["warnings"] = list(self.warnings)
        out["consistent"] = self.consistent
        return out
