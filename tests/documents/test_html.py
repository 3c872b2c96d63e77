"""crawler.documents.html: body, title, meta, tables, embedded JS, attachments, encodings."""

import json

from crawler.documents import read_document

WORD_TABLE = """
<table border="1"><tbody>
<tr><td colspan="2" rowspan="2"><p>（本列数据的勾稽关系为：第一项加第二项之和，</p><p>等于第三项加第四项之和）</p></td>
    <td colspan="2">申请人情况</td></tr>
<tr><td>自然<br/>人</td><td>总计</td></tr>
<tr><td rowspan="2">三<br>、<br>本<br>年</td><td>（一）予以公开</td>
    <td><span>1</span><span>2</span></td><td>&nbsp;</td></tr>
<tr><td>（二）部分公开</td><td>0</td><td>3</td></tr>
</tbody></table>
"""


def page(body: str, head: str = "", extra: str = "") -> str:
    return (
        "<!DOCTYPE html><html><head>"
        '<meta name="ArticleTitle" content="示范市2023年政府信息公开工作年度报告">'
        '<meta name="PubDate" content="2024-01-20 09:00"><meta name="SiteName" content="示范市人民政府">'
        f"<title>门户网站</title>{head}</head><body>"
        '<div class="header"><nav>首页 政务公开</nav></div>'
        f'<div class="TRS_Editor"><p>一、总体情况</p><p>本年度共主动公开政府信息<span>1</span><span>2</span>条，'
        f"情况如下。</p>{body}</div>{extra}<footer>版权所有</footer></body></html>"
    )


def test_word_pasted_table_grid_title_and_meta():
    doc = read_document(page(WORD_TABLE).encode(), "a.html")
    assert doc.kind == "html"
    assert doc.title == "示范市2023年政府信息公开工作年度报告"
    assert doc.meta["PubDate"] == "2024-01-20 09:00" and doc.meta["SiteName"] == "示范市人民政府"
    texts = [b.text for b in doc.blocks if b.text]
    assert texts == ["一、总体情况", "本年度共主动公开政府信息12条，情况如下。"]
    table = doc.blocks[2].table
    assert table is not None
    assert table.rows == (
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None, "申请人情况", None),
        (None, None, "自然人", "总计"),
        ("三、本年", "（一）予以公开", "12", ""),
        (None, "（二）部分公开", "0", "3"),
    )


def test_title_from_title_tag_loses_site_suffix():
    html = "<html><head><title>沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局</title></head><body><p>x</p></body></html>"
    assert read_document(html.encode(), "b.html").title == "沭阳县发展和改革局2023年政府信息公开年度报告"
    short = "<html><head><title>年度报告_首页</title></head><body><p>x</p></body></html>"
    assert read_document(short.encode(), "c.html").title == "年度报告_首页"


def test_layout_wrapper_table_is_unwrapped_and_inner_tables_are_cell_text():
    inner = "<table><tr><td>规章</td><td>0</td></tr></table>"
    body = f"<table><tr><td><p>二、主动公开</p>{inner}</td></tr></table>"
    body += f"<table><tr><td>说明</td><td>{inner}</td></tr></table>"
    doc = read_document(page(body).encode(), "d.html")
    assert doc.blocks[2].text == "二、主动公开"
    assert doc.blocks[3].table is not None and doc.blocks[3].table.rows == (("规章", "0"),)
    assert doc.blocks[4].table is not None and doc.blocks[4].table.rows == (("说明", "规章 0"),)


def test_report_inside_a_js_string_is_used():
    fragment = "<p>政府信息公开工作年度报告</p><table><tr><td>规章</td><td>5</td></tr></table>"
    js_single = "var content = '" + fragment.replace("<", "\\x3C").replace("'", "\\'") + "';"
    js_json = "var data = " + json.dumps({"content": fragment}) + ";"
    for script in (js_single, js_json, 'document.write("' + fragment[:40] + '" + "' + fragment[40:] + '");'):
        html = f"<html><head><title>t</title></head><body><div id='zoom'></div><script>{script}</script></body></html>"
        doc = read_document(html.encode(), "e.html")
        tables = [b.table for b in doc.blocks if b.table]
        assert tables and tables[0].rows == (("规章", "5"),), script
        assert doc.blocks[0].text == "政府信息公开工作年度报告"


def test_attachments_collected_as_written():
    extra = (
        '<a href="/files/2023年报.pdf">附件</a><a href="report.DOCX?x=1">b</a>'
        '<a href="/module/download/downfile.jsp?classid=0&amp;filename=a.xls">c</a>'
        '<a href="/files/2023年报.pdf">dup</a><a href="/news/1.html">no</a><a href="javascript:void(0)">no</a>'
    )
    doc = read_document(page("", extra=extra).encode(), "f.html")
    assert doc.attachments == (
        "/files/2023年报.pdf",
        "report.DOCX?x=1",
        "/module/download/downfile.jsp?classid=0&filename=a.xls",
    )


def test_gbk_page_with_wrong_header_and_hidden_parts():
    body = '<p style="display: none">隐藏</p>' + WORD_TABLE
    data = page(body, head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode(
        "gbk"
    )
    doc = read_document(data, "g.html", content_type="text/html; charset=utf-8")
    assert doc.title == "示范市2023年政府信息公开工作年度报告"
    assert "隐藏" not in [b.text for b in doc.blocks]
    table = next(b.table for b in doc.blocks if b.table)
    assert table.rows[2][0] == "三、本年"


def test_body_found_by_density_without_known_container():
    paragraphs = "".join(f"<p>第{i}段：政府信息公开工作情况说明。</p>" for i in range(10))
    html = f"<html><body><div class='menu'><p>菜单</p></div><div class='x'>{paragraphs}</div></body></html>"
    doc = read_document(html.encode(), "h.html")
    assert next(b.text for b in doc.blocks) == "第0段：政府信息公开工作情况说明。"
    assert "菜单" not in [b.text for b in doc.blocks]
