"""crawler.documents.text: tab rows, Markdown pipe tables and paragraphs."""

from crawler.documents import read_document
from crawler.documents.text import text_blocks


def test_tab_rows_form_one_table_with_blank_cells_kept():
    text = (
        "二、主动公开政府信息情况\n"
        "第二十条第（一）项\t\t\t\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "\n"
        "规章\t0\t\t0\n"
        "行政许可\t1\n"
        "------------------\t-------\n"
        "1625\n"
    )
    blocks = text_blocks(text)
    assert [b.text for b in blocks[:2]] == ["二、主动公开政府信息情况", "第二十条第（一）项"]
    assert blocks[2].table is not None
    assert blocks[2].table.rows == (
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "0", "", "0"),
        ("行政许可", "1", None, None),  # cells the line does not print are not blanks
    )
    assert blocks[3].text == "1625" and len(blocks) == 4


def test_one_cell_per_line_becomes_paragraphs():
    blocks = text_blocks("\t规章\n\t0\n\t0\n")
    assert [b.text for b in blocks] == ["规章", "0", "0"]


def test_markdown_pipe_tables_and_headings():
    text = (
        "## 表二：主动公开政府信息情况\n"
        "| 信息内容 | 本年制发件数 |\n"
        "|---|---|\n"
        "| 规章 | 0 |\n"
        "| 0 | 1 | 2 |\n"
        "|---|---|---|\n"
        "| 3 | 4 | 5 |\n"
    )
    blocks = text_blocks(text)
    assert blocks[0].text == "表二：主动公开政府信息情况"
    assert blocks[1].table is not None and blocks[1].table.rows == (
        ("信息内容", "本年制发件数"),
        ("规章", "0"),
    )
    assert blocks[2].table is not None and blocks[2].table.rows == (("0", "1", "2"), ("3", "4", "5"))


def test_read_document_on_gb18030_text_with_bom_free_bytes():
    doc = read_document("一、总体情况\n规章\t0\t0\t0\n".encode("gb18030"), "r.txt")
    assert doc.kind == "text"
    assert doc.blocks[0].text == "一、总体情况"
    assert doc.blocks[1].table is not None and doc.blocks[1].table.rows == (("规章", "0", "0", "0"),)
