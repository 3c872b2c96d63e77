"""XLSX rendering with openpyxl: the statistics tables with merged cells, as agencies attach them.

One sheet holds the title and every table under its heading; the ``split`` style puts each
table on its own sheet, as some 统计表 attachments do.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .model import Layout, Para, Table, grid
from .spec import ReportSpec
from .ziputil import normalise_zip

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _cell_value(text: str) -> str | int | float | None:
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def _put_table(ws: Worksheet, top: int, table: Table) -> int:
    """Write ``table`` with its top row at ``top``; returns the next free row."""
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, row in enumerate(grid(table)):
        for c, slot in enumerate(row):
            if slot is None or not slot.origin:
                continue
            cell = ws.cell(row=top + r, column=c + 1, value=_cell_value(slot.cell.text))
            cell.alignment = wrap
            if slot.cell.rowspan > 1 or slot.cell.colspan > 1:
                ws.merge_cells(
                    start_row=top + r,
                    start_column=c + 1,
                    end_row=top + r + slot.cell.rowspan - 1,
                    end_column=c + slot.cell.colspan,
                )
    return top + len(table.rows) + 1


def render_xlsx(spec: ReportSpec, lay: Layout, split: bool) -> bytes:
    """The tables of ``lay`` as a workbook; the title sits in A1 of the first sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计表"
    ws.cell(row=1, column=1, value=spec.title)
    widest = max((b.ncols for b in lay.blocks if isinstance(b, Table)), default=4)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=widest)
    # 统计表 attachments state their period under the title; it is the year when the title has none
    ws.cell(row=2, column=1, value=f"（统计时限：{spec.year}年1月1日至{spec.year}年12月31日）")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=widest)
    row = 4
    heading: str | None = None
    sheets = 0
    for block in lay.blocks:
        if isinstance(block, Para):
            heading = block.text if block.kind == "heading" or block.text.startswith("附") else heading
            continue
        if split and sheets:
            ws = wb.create_sheet(f"表{sheets + 1}")
            row = 1
        sheets += 1
        if heading:
            ws.cell(row=row, column=1, value=heading)
            row += 1
            heading = None
        row = _put_table(ws, row, block)
    for sheet in wb.worksheets:
        for i in range(1, 16):
            sheet.column_dimensions[get_column_letter(i)].width = 12 if i > 1 else 36
    stamp = dt.datetime(spec.year + 1, 1, 15, 9, 0, 0)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "Administrator"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return normalise_zip(buf.getvalue())
