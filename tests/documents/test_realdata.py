"""Every shared seed and real report reads, with the structure a person sees in it."""

import pytest

from crawler.documents import Document, read_document
from crawler.documents.text import BLANK_CELL
from tests.documents.fixtures import SHARED, shared_files

FILES = shared_files("seeds", "*.txt") + shared_files("realdata", "*.html", "*.txt", "*.md", "*.pdf")


def read(folder: str, name: str) -> Document:
    if SHARED is None:
        pytest.skip("../shared not present")
    return read_document((SHARED / folder / name).read_bytes(), name)


def cells(doc: Document) -> set[str]:
    return {c for b in doc.blocks if b.table for row in b.table.rows for c in row if c}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_reads_cleanly(path):
    doc = read_document(path.read_bytes(), path.name)
    assert doc.blocks and not doc.warnings
    assert all((b.text is None) != (b.table is None) for b in doc.blocks)
    for block in doc.blocks:
        if block.table:
            assert len({len(row) for row in block.table.rows}) == 1
        elif block.text != BLANK_CELL:  # a lone tab stands for a blank cell of one-cell-per-line text
            assert block.text and block.text == block.text.strip() and "\n" not in block.text


def test_shuyang_tables_and_title():
    doc = read("realdata", "shuyang-fagaiju-2023.captured.html")
    assert doc.title == "沭阳县发展和改革局2023年政府信息公开年度报告"
    tables = [b.table.rows for b in doc.blocks if b.table]
    assert len(tables) == 3
    assert tables[0][3] == ("规范性文件", "8", "0", "18")
    assert tables[1][3] == ("一、本年新收政府信息公开申请数量", None, None, "26", "", "", "", "", "", "26")
    assert tables[2][-1] == ("0", "0", "0", "1", "1", *("0",) * 10)
    assert "索引号" not in cells(doc)  # the page's metadata table is not part of the report


def test_pingtan_2011_statistics_table():
    doc = read("realdata", "pingtan-2011.page.html")
    assert doc.title == "平潭综合实验区2011年政府信息公开工作年度报告"
    assert doc.meta["PubDate"] == "2012-04-11 00:00"
    table = next(b.table.rows for b in doc.blocks if b.table)
    assert table[0] == ("指标名称", "计量单位", "2011 年度", "历年累计")
    assert table[1] == ("主动公开信息数", "条", "425", "1516")
    assert len(table) == 18


def test_seed_tab_tables():
    doc = read("seeds", "000_8235322760681d5c.txt")
    assert "一、本年新收政府信息公开申请数量" in cells(doc)
    review = next(b.table.rows for b in doc.blocks if b.table and b.table.rows[0][0] == "行政复议")
    assert len(review[0]) == 15 and review[-1][5:] == ("0",) * 10


def test_markdown_extract_pipe_tables():
    doc = read("realdata", "shanghai-kewei-2024.pdf-extract.md")
    assert "一、本年新收政府信息公开申请数量" in cells(doc)
    first = next(b.table.rows for b in doc.blocks if b.table)
    assert first == (
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "0", "0", "0"),
        ("规范性文件", "13", "0", "55"),
    )
