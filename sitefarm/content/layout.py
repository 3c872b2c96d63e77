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

STYLES = (
    "word",
    "clean",
    "split",
    "blank-total",
    "sparse",
    "zero-blank",
    "appeals-split",
    "lost-column",
    "stated",
    "prose-only",
    "sidebar",
)
"""``zero-blank``: every zero cell left blank; ``appeals-split``: table 四 as three small tables
under their own headings; ``lost-column``: in each table 二 block (one table per block) a
column that is zero all the way down is gone, header and cells; ``stated``: the prose repeats
table 二's figures; ``prose-only``: no tables at all; ``sidebar``: a related-links box that
names the 2019 template's header words after the tables."""
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
    if style == "zero-blank":
        return frozenset(k for k, v in spec.values.items() if v == 0 and not k.endswith("amount_unit"))
    if style == "lost-column":
        lost = [k for keys in lost_columns(spec).values() for k in keys]
        col = lost_request_column(spec)
        if col:
            lost += [f"requests.{r.key}.{col}" for r in t.request_rows]
        return frozenset(lost)
    if style == "prose-only":
        return frozenset(spec.values)
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


def lost_columns(spec: ReportSpec) -> dict[tuple[int, str], list[str]]:
    """Per table 二 block (index, column key), the keys of the one column the ``lost-column``
    style drops: the first column that is zero in every row of a block of two columns or more."""
    out: dict[tuple[int, str], list[str]] = {}
    if spec.template not in TEMPLATES:
        return out
    for i, block in enumerate(TEMPLATES[spec.template].active):
        if len(block.columns) < 2:
            continue
        for col in block.columns:
            keys = [f"active.{r.key}.{col.key}" for r in block.rows]
            if all(spec.values.get(k) == 0 for k in keys):
                out[(i, col.key)] = keys
                break
    return out


def lost_request_column(spec: ReportSpec) -> str | None:
    """The 法人或其他组织 column of table 三 the ``lost-column`` style drops: the first that is
    zero in every row (None when every column has a number somewhere)."""
    t = TEMPLATES[spec.template]
    for col in t.request_columns[1:6]:
        if all(spec.values.get(f"requests.{r.key}.{col.key}") == 0 for r in t.request_rows):
            return col.key
    return None


_SIDEBAR = (
    "相关链接",
    "关于印发中华人民共和国政府信息公开工作年度报告格式的通知（国办公开办函〔2019〕60号）",
    "填报说明：本年新制作数量、本年新公开数量、对外公开总数量的统计口径",
    "2019年政府集中采购目录及标准",
    "行政许可事项上一年项目数量公示",
)


def stated_paragraph(spec: ReportSpec, rng: random.Random) -> str:
    """The running text repeating table 二's figures, in the ways reports word them."""
    v = spec.values

    def n(key: str) -> int:
        x = v.get(key)
        return int(x) if isinstance(x, int | float) else 0

    if spec.template == "2021":
        reg = ("issued", "repealed", "in_force")
        words = ("制发", "废止", "现行有效")
    else:
        reg = ("made", "published", "total_public")
        words = ("新制作", "新公开", "对外公开总数")
    parts = [
        f"{w}规章{n(f'active.regulations.{c}')}件、行政规范性文件{n(f'active.normative_documents.{c}')}件"
        for w, c in zip(words, reg, strict=True)
    ]
    lead = rng.choice(["本年度", f"{spec.year}年，本机关", "全年"])
    text = lead + "，".join(parts) + "。"
    if spec.template == "2019":
        text += (
            f"作出行政许可处理决定{n('active.licensing.decisions')}件、"
            f"行政处罚处理决定{n('active.penalty.decisions')}件、行政强制处理决定{n('active.coercion.decisions')}件。"
        )
    return text


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
        split = self.style in ("split", "lost-column")
        lost_at = {i: key for i, key in lost_columns(self.spec)} if self.style == "lost-column" else {}
        blocks: list[list[tuple[Cell, ...]]] = []
        ncols_of: list[int] = []
        for bi, full in enumerate(t.active):
            block = type(full)(full.caption, tuple(c for c in full.columns if c.key != lost_at.get(bi)), full.rows)
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
        lost = lost_request_column(self.spec) if self.style == "lost-column" else None
        cols = [c.key for c in t.request_columns if c.key != lost]
        orgs = [c for c in t.request_columns[1:6] if c.key != lost]
        rows: list[tuple[Cell, ...]] = [
            (
                Cell(NOTE, rowspan=3, colspan=3, header=True),
                Cell("申请人情况", colspan=len(cols), header=True),
            ),
            (
                Cell("自然人", rowspan=2, header=True),
                Cell("法人或其他组织", colspan=len(orgs), header=True),
                Cell("总计", rowspan=2, header=True),
            ),
            tuple(self.head(c.label) for c in orgs),
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
        return Table("requests", 3 + len(cols), tuple(rows), (1.0, 2.2, 4.7) + (1.3,) * len(cols))

    def appeal_tables(self) -> list[Para | Table]:
        """Table 四 as one table, or (``appeals-split``) three small ones under their headings."""
        if self.style != "appeals-split":
            return [self.appeal_table()]
        t = TEMPLATES[self.spec.template]
        out: list[Para | Table] = []
        numbering = self.rng.choice([("（一）", "（二）", "（三）"), ("1.", "2.", "3."), ("", "", "")])
        heads = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
        for num, head, group in zip(numbering, heads, t.appeal_groups, strict=True):
            out.append(Para(num + head))
            rows = (
                tuple(self.head(c.label) for c in t.appeal_columns),
                tuple(self.value(f"appeals.{group.key}.{c.key}") for c in t.appeal_columns),
            )
            out.append(Table(f"appeals-{group.key}", 5, rows, (2.5,) * 5))
        return out

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
                cells.append(Cell(format_value(v * 4 if isinstance(v, int) else v)))  # 历年累计 adds up like the year
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
    markup = "clean" if style == "clean" else "word"
    sidebar = [Para(x) for x in _SIDEBAR] if style == "sidebar" else []
    if spec.template == "legacy":
        return Layout((*blocks, *paras, b.legacy_table(), *sidebar), markup)
    if style == "prose-only":
        return Layout((*blocks, *paras), markup)
    if style == "stated":
        at = next((i for i, p in enumerate(paras) if p.text.startswith("（一）主动公开")), 1)
        paras.insert(at + 1, Para(stated_paragraph(spec, rng)))
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
        *b.appeal_tables(),
    ]
    if spec.legacy_rows:
        tables += [Para("附：政府信息公开情况统计表"), b.legacy_table()]
    return Layout((*blocks, *paras[:cut], *tables, *sidebar, *paras[cut:]), markup)
