"""The three official tables (二 主动公开, 三 依申请公开, 四 复议诉讼) redrawn from stored values.

Layout follows the State Council templates (:mod:`crawler.reports.template`), labels are the
rows and columns of ``fields.tsv``. Each cell carries its value, where the value came from
(published, split, stated, repaired — or blank) and whether a failed 勾稽 check involves it. Pure: the
page and the API both render what :func:`official_tables` returns.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache

from crawler.reports.template import APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, TEMPLATES


@dataclass(frozen=True)
class FieldLabel:
    """A fields.tsv line: which table, row and column a key is, in Chinese."""

    key: str
    template: str
    table: str
    row: str
    column: str


@cache
def field_labels() -> dict[tuple[str, str], FieldLabel]:
    """Every fields.tsv line by (template, key)."""
    from importlib.resources import files

    text = files("crawler.reports").joinpath("fields.tsv").read_text(encoding="utf-8")
    out: dict[tuple[str, str], FieldLabel] = {}
    for line in text.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 5:
            out[(parts[1], parts[0])] = FieldLabel(*parts[:5])
    return out


def label_of(key: str, template: str | None = None) -> str:
    """``row · column`` of a key in Chinese (either template's wording when none is given)."""
    labels = field_labels()
    found = labels.get((template or "", key)) or labels.get(("2021", key)) or labels.get(("2019", key))
    return f"{found.row} · {found.column}" if found else key


@dataclass(frozen=True)
class CellView:
    """One value cell of a redrawn table."""

    key: str
    value: int | float | str | None
    source: str | None
    """published, split, stated, repaired; None for a blank cell."""
    failed: bool
    """True when a failed 勾稽 check involves this cell."""


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Section:
    """Header rows, then body rows of a label and value cells (table 二 has one per 第二十条 item)."""

    header: tuple[tuple[HeaderCell, ...], ...]
    rows: tuple[tuple[str, tuple[CellView, ...]], ...]


@dataclass(frozen=True)
class TableView:
    """A table as published: its title and sections."""

    title: str
    sections: tuple[Section, ...]

    def cells(self) -> list[CellView]:
        """Every value cell, in reading order."""
        return [c for s in self.sections for _, row in s.rows for c in row]


def official_tables(
    template: str | None,
    values: Mapping[str, object],
    sources: Mapping[str, str | None],
    failed_cells: Collection[str] = (),
) -> list[TableView]:
    """Tables 二, 三 and 四 of ``template`` (2019 or 2021) filled with ``values``; [] otherwise."""
    if template not in TEMPLATES:
        return []
    t = TEMPLATES[template]
    labels = field_labels()
    failed = set(failed_cells)

    def cell(key: str) -> CellView:
        v = values.get(key)
        value = v if isinstance(v, int | float | str) and not isinstance(v, bool) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return CellView(key, value, sources.get(key) if value is not None else None, key in failed)

    def table_name(prefix: str) -> str:
        return next((fl.table for (tp, k), fl in labels.items() if tp == template and k.startswith(prefix)), prefix)

    active = TableView(
        table_name("active."),
        tuple(
            Section(
                ((HeaderCell(block.caption), *(HeaderCell(c.label) for c in block.columns)),),
                tuple(
                    (row.label, tuple(cell(f"active.{row.key}.{c.key}") for c in block.columns))
                    for row in block.rows
                ),
            )
            for block in t.active
        ),
    )

    applicants = [c for c in REQUEST_COLUMNS if c.key not in ("natural_person", "total")]
    req_header = (
        (HeaderCell("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", rowspan=3),
         HeaderCell("申请人情况", colspan=len(REQUEST_COLUMNS))),
        (HeaderCell("自然人", rowspan=2), HeaderCell("法人或其他组织", colspan=len(applicants)),
         HeaderCell("总计", rowspan=2)),
        tuple(HeaderCell(c.label) for c in applicants),
    )
    req_rows = tuple(
        (
            labels[(template, f"requests.{r.key}.total")].row if (template, f"requests.{r.key}.total") in labels else r.label,
            tuple(cell(f"requests.{r.key}.{c.key}") for c in REQUEST_COLUMNS),
        )
        for r in t.request_rows
    )
    requests = TableView(table_name("requests."), (Section(req_header, req_rows),))

    appeal_header = (
        (HeaderCell("行政复议", colspan=len(APPEAL_COLUMNS)),
         HeaderCell("行政诉讼", colspan=len(APPEAL_COLUMNS) * (len(APPEAL_GROUPS) - 1))),
        (HeaderCell("", colspan=len(APPEAL_COLUMNS)),
         *(HeaderCell(g.label, colspan=len(APPEAL_COLUMNS)) for g in APPEAL_GROUPS[1:])),
        tuple(HeaderCell(c.label) for _ in APPEAL_GROUPS for c in APPEAL_COLUMNS),
    )
    appeal_row = ("", tuple(cell(f"appeals.{g.key}.{c.key}") for g in APPEAL_GROUPS for c in APPEAL_COLUMNS))
    appeals = TableView(table_name("appeals."), (Section(appeal_header, (appeal_row,)),))
    return [active, requests, appeals]


def chartable_fields(template: str | None = None) -> list[tuple[str, str]]:
    """(key, Chinese label) of every numeric field, for the compare pages' field choice."""
    seen: dict[str, str] = {}
    for (tp, key), fl in field_labels().items():
        if template and tp != template:
            continue
        if key.endswith("amount_unit"):
            continue
        seen.setdefault(key, f"{fl.row} · {fl.column}")
    return sorted(seen.items())
