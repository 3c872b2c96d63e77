"""crawler.documents.xls: sheets as tables, merges, number formatting."""

import datetime as dt
import io

import pytest

from crawler.documents import read_document
from crawler.documents.xls import cell_text
from tests.documents.fixtures import soffice_convert


def workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表三"
    sheet.append(["申请人情况", None, "总计"])
    sheet.append(["一、本年新收", 3.0, 3])
    sheet.append(["采购金额", 347.92, None])
    sheet.merge_cells("A1:B1")
    sheet["E9"].number_format = "0.00"  # formatting alone must not stretch the table
    book.create_sheet("空")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_sheet_grid():
    doc = read_document(workbook(), "t.xlsx")
    assert doc.kind == "xlsx"
    assert len(doc.blocks) == 1
    table = doc.blocks[0].table
    assert table is not None
    assert table.rows == (
        ("申请人情况", None, "总计"),
        ("一、本年新收", "3", "3"),
        ("采购金额", "347.92", ""),
    )


def test_cell_text_numbers():
    assert cell_text(3.0) == "3"
    assert cell_text(0.1 + 0.2) == "0.3"
    assert cell_text(-1.0) == "-1"
    assert cell_text(dt.datetime(2024, 1, 20)) == "2024-01-20"
    assert cell_text(" 规章\n") == "规章"


@pytest.mark.slow
def test_xls_made_by_libreoffice_keeps_merges(tmp_path):
    data = soffice_convert(workbook(), "xlsx", "xls", tmp_path)
    doc = read_document(data, "t.xls")
    assert doc.kind == "xls"
    table = doc.blocks[0].table
    assert table is not None
    assert table.rows[0] == ("申请人情况", None, "总计")
    assert table.rows[2] == ("采购金额", "347.92", "")
