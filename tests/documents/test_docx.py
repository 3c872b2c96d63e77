"""crawler.documents.docx: body order, merged cells, runs, core title."""

import io

from crawler.documents import read_document
from tests.documents.fixtures import docx_with_merges


def test_grid_with_gridspan_and_vmerge():
    doc = read_document(docx_with_merges(), "r.docx")
    assert doc.kind == "docx"
    assert doc.title == "示范局2023年政府信息公开工作年度报告"
    assert [b.text for b in doc.blocks] == ["一、总体情况", None, "二、主动公开政府信息情况"]
    table = doc.blocks[1].table
    assert table is not None
    assert table.rows == (
        ("第二十条第（一）项", None, None, None),
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("三、本年", "1", "2", "12"),
        (None, "347.92", "0", ""),
    )


def test_template_title_is_ignored_and_one_column_frames_unwrap():
    import docx

    document = docx.Document()
    document.core_properties.title = "1"
    frame = document.add_table(rows=2, cols=1)
    frame.cell(0, 0).text = "附件：统计表"
    inner = frame.cell(1, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "规章"
    inner.cell(0, 1).text = "4"
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_document(buffer.getvalue(), "frame.docx")
    assert doc.title is None
    assert doc.blocks[0].text == "附件：统计表"
    tables = [b.table for b in doc.blocks if b.table]
    assert tables and tables[0].rows == (("规章", "4"),)
