"""DOCX rendering with python-docx: real merged cells (gridSpan/vMerge), Chinese fonts, runs split
the way Word splits them, A4 page so LibreOffice makes a realistic PDF from it."""

from __future__ import annotations

import datetime as dt
import io
import random

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from .model import Layout, Table, grid
from .spec import ReportSpec
from .ziputil import normalise_zip


def _run(par: Paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
    run = par.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _fill(cell: _Cell, text: str, word: bool, rng: random.Random, header: bool) -> None:
    par = cell.paragraphs[0]
    if header or text[:1].isdigit() or text[:1] in "+-":
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(text.split("\n")):
        if i:
            par.runs[-1].add_break()
        if word and len(line) > 1 and rng.random() < 0.5:
            cut = rng.randint(1, len(line) - 1)
            _run(par, line[:cut], "宋体", 9)
            _run(par, line[cut:], "宋体", 9)
        else:
            _run(par, line, "宋体", 9)


def _table(doc: object, table: Table, word: bool, rng: random.Random) -> None:
    slots = grid(table)
    t = doc.add_table(rows=len(table.rows), cols=table.ncols)  # type: ignore[attr-defined]
    t.style = "Table Grid"
    t.autofit = False
    for col, width in zip(t.columns, table.widths, strict=True):
        col.width = Cm(width)
    rows = [r.cells for r in t.rows]
    for row in rows:
        for c, cell in enumerate(row):
            cell.width = Cm(table.widths[c])
    origins = [
        (r, c, s) for r, row in enumerate(slots) for c, s in enumerate(row) if s is not None and s.origin
    ]
    merged: dict[tuple[int, int], _Cell] = {}
    for r, c, s in origins:
        if s.cell.rowspan > 1 or s.cell.colspan > 1:
            merged[r, c] = rows[r][c].merge(rows[r + s.cell.rowspan - 1][c + s.cell.colspan - 1])
    for r, c, s in origins:
        if s.cell.text:
            _fill(merged.get((r, c), rows[r][c]), s.cell.text, word, rng, s.cell.header)


def render_docx(spec: ReportSpec, lay: Layout, rng: random.Random) -> bytes:
    """The report as a Word document; tables use 9 pt type so table 四 fits an A4 page."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    word = lay.markup == "word"
    for block in lay.blocks:
        if isinstance(block, Table):
            _table(doc, block, word, rng)
            doc.add_paragraph()
            continue
        par = doc.add_paragraph()
        if block.kind == "title":
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(par, block.text, "方正小标宋简体", 18)
        elif block.kind == "heading":
            _run(par, block.text, "黑体", 12)
        else:
            par.paragraph_format.first_line_indent = Pt(24)
            _run(par, block.text, "仿宋_GB2312", 12)
    props = doc.core_properties
    props.title = spec.title if not word else "政府信息公开工作年度报告"
    props.author = "Administrator"
    props.last_modified_by = "Administrator"
    props.created = props.modified = dt.datetime(spec.year + 1, 1, 15, 9, 0, 0)
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())
