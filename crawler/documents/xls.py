"""Spreadsheets: every non-empty sheet as a table, merged cells as covered slots."""

from __future__ import annotations

import io

from crawler.documents.docx import check_zip
from crawler.documents.model import Block, Cell, Document, DocumentError, Table


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_xlsx(data: bytes, name: str) -> Document:
    check_zip(data, name, "XLSX")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many kinds on broken files
        raise DocumentError(name, f"damaged XLSX ({type(e).__name__})") from None
    blocks = []
    for ws in wb.worksheets:
        covered = set()
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered.add((r, c))
        rows: list[list[Cell]] = []
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            rows.append([None if (r, c) in covered else _fmt(v) for c, v in enumerate(row, 1)])
        _add(blocks, rows)
    return Document(name=name, kind="xlsx", blocks=tuple(blocks))


def read_xls(data: bytes, name: str) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception:
        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception as e:
            raise DocumentError(name, f"damaged XLS ({type(e).__name__})") from None
    blocks: list[Block] = []
    for sheet in book.sheets():
        covered = set()
        for r0, r1, c0, c1 in getattr(sheet, "merged_cells", []):
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if (r, c) != (r0, c0):
                        covered.add((r, c))
        rows = [[None if (r, c) in covered else _fmt(sheet.cell_value(r, c)) for c in range(sheet.ncols)]
                for r in range(sheet.nrows)]
        _add(blocks, rows)
    return Document(name=name, kind="xls", blocks=tuple(blocks))


def _add(blocks: list[Block], rows: list[list[Cell]]) -> None:
    rows = [r for r in rows if any(c for c in r)]
    if rows:
        width = max(len(r) for r in rows)
        blocks.append(Block(table=Table(tuple(tuple(r) + ("",) * (width - len(r)) for r in rows))))
