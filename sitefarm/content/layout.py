"""A report laid out as paragraphs and tables with real rowspan/colspan, ready for any renderer.

Tables follow template.md §3–§5 exactly: table 二 as stacked 第二十条 blocks (or one table per
block in the ``split`` style), table 三 with its three header rows and row-group labels, table 四
with 行政复议 / 行政诉讼 groups. Every renderer (HTML, DOCX, XLSX, text) reads this model, so a
cell is blank or split the same way whatever the format.
"""

from __future__ import annotations

import random
import re

from crawler.reports.template import RESULT_ROWS, TEMPLATES, Template

from .legacy import legacy_layout
from .model import Cell, Layout, Para, Table
from .spec import ReportSpec, format_value

STYLES = ("word", "clean", "split", "blank-total", "sparse")
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_GROUPS = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "rejected": "（五）不予处理",
    "other": "（六）其他处理",
}
_BREAKS = {
    "本年新制作数量": "本年新\n制作数量",
    "本年新公开数量": "本年新\n公开数量",
    "上一年项目数量": "上一年\n项目数量",
    "结果维持": "结果\n维持",
    "结果纠正": "结果\n纠正",
    "其他结果": "其他\n结果",
    "尚未审结": "尚未\n审结",
}
_HEADING = re.compile(r"^[一二三四五六七八九十]、")


def blanked(spec: ReportSpec, style: str) -> frozenset[str]:
    """Keys whose cells a style leaves blank although the spec has a number for them."""
    if spec.template not in TEMPLATES:
        return frozenset()
    t = TEMPLATES[spec.template]
    if style == "blank-total":
        return frozenset(f"requests.{r}.total" for r in RESULT_ROWS[spec.template])
    if style != "sparse":
        return frozenset()
    out: set[str] = set()
    for col in (c.key for c in t.request_columns[1:6]):  # 法人或其他组织 columns left blank when all zero
        keys = [f"requests.{r.key}.{col}" for r in t.request_rows]
        if all(spec.values.get(k) == 0 for k in keys):
            out.update(keys)
    for group in ("review", "suit_direct", "suit_after_review"):
        keys = [f"appeals.{group}.{c.key}" for c in t.appeal_columns]
        if all(spec.values.get(k) == 0 for k in keys):
            out.update(keys)
    return frozenset(out)


class _Builder:
    """Builds the tables of one spec in one style; all variation comes from ``rng``."""

    def __init__(self, spec: ReportSpec, style: str, rng: random.Random) -> None:
        self.spec, self.style, self.rng = spec, style, rng
        self.word = style != "clean"
        self.blank = blanked(spec, style)
        unit = spec.values.get("active.procurement.amount_unit")
        amount = spec.values.get("active.procurement.amount")
        # a unit goes into the cell only beside a number; otherwise it stays in the header
        self.unit_in_cell = bool(unit) and bool(amount) and "active.procurement.amount" not in self.blank
        self.unit_in_cell = self.unit_in_cell and rng.random() < 0.5
        self.plus_sign = self.word and rng.random() < 0.3

    def head(self, label: str, rowspan: int = 1, colspan: int = 1) -> Cell:
        text = _BREAKS.get(label, label) if self.word else label
        return Cell(text, rowspan, colspan, header=True)

    def value(self, key: str, colspan: int = 1) -> Cell:
        v = self.spec.values.get(key)
        text = "" if key in self.blank else format_value(v)
        if text and key.endswith("items_change") and self.plus_sign and isinstance(v, int) and v > 0:
            text = f"+{text}"
        if text and key == "active.procurement.amount" and self.unit_in_cell and v:
            text += self.rng.choice(["", " "]) + str(self.spec.values["active.procurement.amount_unit"])
        return Cell(text, colspan=colspan, key=key)

    def label(self, text: str) -> Cell:
        if self.word and self.rng.random() < 0.2:
            text = re.sub(r"^(\d)\.", r"\1. ", text)
        return Cell(text)

    def active_tables(self) -> list[Table]:
        t = TEMPLATES[self.spec.template]
        split = self.style == "split"
        blocks: list[list[tuple[Cell, ...]]] = []
        ncols_of: list[int] = []
        for block in t.active:
            n = len(block.columns)
            ncols = n + 1 if split else 4
            pad = ncols - 1 - n
            heads = []
            for col in block.columns:
                label = col.label
                unit = self.spec.values.get("active.procurement.amount_unit")
                if col.key == "amount" and unit and not self.unit_in_cell:
                    label = f"{label}（单位：{unit}）"
                heads.append(self.head(label, colspan=1 + pad if n == 1 else 1))
            if n > 1 and pad:
                heads.append(Cell("", colspan=pad) if self.word else Cell(""))
            rows: list[tuple[Cell, ...]] = [
                (Cell(block.caption, colspan=ncols, header=True),),
                (self.head("信息内容"), *heads),
            ]
            for row in block.rows:
                label = row.label
                cells = [
                    self.value(f"active.{row.key}.{c.key}", 1 + pad if n == 1 else 1) for c in block.columns
                ]
                if n > 1 and pad:
                    cells.append(Cell("", colspan=pad))
                rows.append((Cell(label), *cells))
            blocks.append(rows)
            ncols_of.append(ncols)
        if split:
            return [
                Table(f"active-{i}", n, tuple(rows), _widths(n))
                for i, (rows, n) in enumerate(zip(blocks, ncols_of, strict=True))
            ]
        return [Table("active", 4, tuple(r for rows in blocks for r in rows), _widths(4))]

    def request_table(self) -> Table:
        t: Template = TEMPLATES[self.spec.template]
        cols = [c.key for c in t.request_columns]
        rows: list[tuple[Cell, ...]] = [
            (Cell(NOTE, rowspan=3, colspan=3, header=True), Cell("申请人情况", colspan=7, header=True)),
            (
                Cell("自然人", rowspan=2, header=True),
                Cell("法人或其他组织", colspan=5, header=True),
                Cell("总计", rowspan=2, header=True),
            ),
            tuple(self.head(c.label) for c in t.request_columns[1:6]),
        ]
        result_rows = RESULT_ROWS[self.spec.template]
        seen_groups: set[str] = set()
        for r in t.request_rows:
            values = tuple(self.value(f"requests.{r.key}.{c}") for c in cols)
            lead: list[Cell] = []
            if r.key == result_rows[0]:
                lead.append(Cell("三、本年度办理结果", rowspan=len(result_rows) + 1))
            prefix = r.key.split("_")[0]
            if r.key in result_rows and prefix in _GROUPS and r.key != "other":
                if prefix not in seen_groups:
                    seen_groups.add(prefix)
                    size = sum(1 for k in result_rows if k.split("_")[0] == prefix)
                    lead.append(Cell(_GROUPS[prefix], rowspan=size))
                lead.append(self.label(r.label))
            elif r.key in ("new_received", "carried_over", "carried_forward"):
                lead.append(Cell(r.label, colspan=3))
            else:
                lead.append(Cell(r.label, colspan=2))
            rows.append((*lead, *values))
        return Table("requests", 10, tuple(rows), (1.0, 2.2, 4.7) + (1.3,) * 7)

    def appeal_table(self) -> Table:
        t = TEMPLATES[self.spec.template]
        labels = [c.label for c in t.appeal_columns]
        no_rowspan = not self.word and self.rng.random() < 0.5  # empty <td>s under 复议 (fs:59685592790)
        top = (Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True))
        mid = (
            *(self.head(x, rowspan=1 if no_rowspan else 2) for x in labels),
            Cell("未经复议直接起诉", colspan=5, header=True),
            Cell("复议后起诉", colspan=5, header=True),
        )
        low = (tuple(Cell("") for _ in range(5)) if no_rowspan else ()) + tuple(
            self.head(x) for x in labels * 2
        )
        data = tuple(
            self.value(f"appeals.{g.key}.{c.key}") for g in t.appeal_groups for c in t.appeal_columns
        )
        return Table("appeals", 15, (top, mid, low, data), (1.13,) * 15)

    def legacy_table(self) -> Table:
        rows_def = legacy_layout(self.spec.year if self.spec.template == "legacy" else 2014)
        local = rows_def[0].printed == "主动公开信息数"
        values = self.spec.legacy_rows
        head: tuple[Cell, ...]
        if local:
            head = (
                Cell("指标名称", header=True),
                Cell("计量单位", header=True),
                Cell(f"{self.spec.year}年度", header=True),
                Cell("历年累计", header=True),
            )
        else:
            head = (Cell("统计指标", header=True), Cell("单位", header=True), Cell("统计数", header=True))
        rows: list[tuple[Cell, ...]] = [head]
        for r in rows_def:
            if r.key is not None and r.key not in values and self.spec.template != "legacy":
                v_text = ""
            else:
                v_text = "" if r.key is None else format_value(values.get(r.key))
            cells = [Cell(r.printed), Cell(r.unit), Cell(v_text)]
            if local:
                v = values.get(r.key or "")
                cells.append(Cell(format_value(int(v * 3 + 7) if isinstance(v, int) and v else v)))
            rows.append(tuple(cells))
        widths = (8.0, 2.0, 3.0, 3.0) if local else (10.0, 2.5, 3.5)
        return Table("legacy", len(head), tuple(rows), widths)


def _widths(ncols: int) -> tuple[float, ...]:
    return (5.0,) + (12.0 / (ncols - 1),) * (ncols - 1)


def layout(spec: ReportSpec, style: str, rng: random.Random) -> Layout:
    """Lay ``spec`` out in ``style`` (see :data:`STYLES`)."""
    if style not in STYLES:
        raise ValueError(f"style {style!r}: expected one of {', '.join(STYLES)}")
    b = _Builder(spec, style, rng)
    paras = [Para(p, "heading" if _HEADING.match(p) else "body") for p in spec.prose]
    blocks: list[Para | Table] = [Para(spec.title, "title")]
    if spec.template == "legacy":
        return Layout((*blocks, *paras, b.legacy_table()), "clean" if style == "clean" else "word")
    cut = next((i for i, p in enumerate(paras) if p.text.startswith("五、")), len(paras))
    four = rng.choice(
        ["四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"]
    )
    tables: list[Para | Table] = [
        Para("二、主动公开政府信息情况", "heading"),
        *b.active_tables(),
        Para("三、收到和处理政府信息公开申请情况", "heading"),
        b.request_table(),
        Para(four, "heading"),
        b.appeal_table(),
    ]
    if spec.legacy_rows:
        tables += [Para("附：政府信息公开情况统计表"), b.legacy_table()]
    return Layout((*blocks, *paras[:cut], *tables, *paras[cut:]), "clean" if style == "clean" else "word")
