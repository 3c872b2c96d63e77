"""Spreadsheets (XLSX with openpyxl, XLS with xlrd): every non-empty sheet as one table,
merged cells as covered slots, numbers written as a person reads them (3, not 3.0)."""

from __future__ import annotations

import datetime as dt
import io

from crawler.documents.grid import apply_merges
from crawler.documents.limits import open_zip
from crawler.documents.model import Block, Document, DocumentError, Table
from crawler.documents.normalize import clean_lines


def cell_text(value: object) -> str:
    """A cell value as text: integral numbers without ``.0``, other floats to 15 significant
    digits (347.92, not 347.91999999999996), dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return clean_lines(str(value))


def read_xlsx(data: bytes, name: str) -> Document:
    """An XLSX workbook as one table per non-empty sheet."""
    import openpyxl

    open_zip(data, name, "XLSX").close()
    try:
        # read_only=False: merged ranges are only known to the full reader
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as e:  # openpyxl raises KeyError, ValueError, TypeError… on broken parts
        raise DocumentError(name, f"damaged XLSX ({type(e).__name__}: {str(e)[:80]})") from None
    blocks: list[Block] = []
    for sheet in book.worksheets:
        values = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        merges = [
            (r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1) for r in sheet.merged_cells.ranges
        ]
        _add(blocks, values, merges)
    book.close()
    return Document(name=name, kind="xlsx", blocks=tuple(blocks))


def read_xls(data: bytes, name: str) -> Document:
    """An XLS (BIFF) workbook as one table per non-empty sheet."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception:  # formatting records xlrd cannot read: merges are lost, values are not
        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception as e:
            raise DocumentError(name, f"damaged XLS ({type(e).__name__}: {str(e)[:80]})") from None
    blocks: list[Block] = []
    for sheet in book.sheets():
        values = [
            [_xls_value(sheet, r, c, book.datemode) for c in range(sheet.ncols)] for r in range(sheet.nrows)
        ]
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in getattr(sheet, "merged_cells", [])]
        _add(blocks, values, merges)
    return Document(name=name, kind="xls", blocks=tuple(blocks))


def _xls_value(sheet: object, r: int, c: int, datemode: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)  # type: ignore[attr-defined]
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate_as_datetime(cell.value, datemode))
        except (ValueError, OverflowError):
            return cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return cell_text(cell.value)


def _add(blocks: list[Block], values: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    """Append a sheet's table, trimmed of empty trailing rows and columns (formatting alone
    stretches a sheet's used range)."""
    while values and not any(values[-1]):
        values.pop()
    width = max((max((i + 1 for i, v in enumerate(row) if v), default=0) for row in values), default=0)
    if not width:
        return
    rows = apply_merges([row[:width] for row in values], merges).rows
    while rows and all(cell == "" for cell in rows[0]):
        rows = rows[1:]
    blocks.append(Block(table=Table(rows=rows)))
