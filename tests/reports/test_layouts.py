"""The layouts real reports beat the parser with (issue 12), one real-shaped sample each.

Each sample is written after the research (gov-sites.md, template.md) and the ../shared real
reports: flattened pre-2019 统计表, flattened table 二 with the numbers repeated in the prose,
table 四 as three small tables, HTML rows whose zeros were left blank, a table that lost a
blank column, and template calls on prose-only pages and on pages with sidebars. The
generated versions of the same layouts are in ``test_layout_roundtrip.py``.
"""

from __future__ import annotations

from crawler.reports import parse_report


def _html(title: str, body: str, sidebar: str = "") -> bytes:
    """A CMS article page; its related-links box sits inside the article container, as on many
    TRS and Hanweb sites, so the body finder keeps it."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}_政府信息公开_示范市人民政府</title></head><body>"
        f"<div class='article_content'><h1>{title}</h1>{body}"
        f"<div class='xgwz'><h3>相关链接</h3><ul>{sidebar}</ul></div></div></body></html>"
    ).encode()


# --- class 6: template calls ---------------------------------------------------------------

PROSE_ONLY = """示范县农业农村局2022年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。
一、总体情况
2022年，我局主动公开政府信息236条，其中政策文件12条；通过政府集中采购平台公开采购信息8条。
本年新收政府信息公开申请15件，上年结转政府信息公开申请2件；予以公开10件，部分公开3件，无法提供4件。
二、存在的主要问题及改进情况
信息公开的及时性有待提高。下一步将继续做好现行有效件数的动态更新。
"""


def test_prose_only_report_has_no_template() -> None:
    r = parse_report(PROSE_ONLY.encode(), "prose.txt")
    assert r.year == 2022
    assert r.template is None
    assert r.values == {}


LEGACY_TABLE = (
    "<table><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>"
    "<tr><td>一、主动公开情况</td><td>——</td><td>——</td></tr>"
    "<tr><td>（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）</td><td>条</td><td>1835</td></tr>"
    "<tr><td>其中：主动公开规范性文件数</td><td>条</td><td>12</td></tr>"
    "<tr><td>三、依申请公开情况</td><td>——</td><td>——</td></tr>"
    "<tr><td>（一）收到申请数</td><td>件</td><td>7</td></tr>"
    "<tr><td>四、行政复议数量</td><td>件</td><td>0</td></tr></table>"
)
SIDEBAR_2019 = (
    "<li><a href='/a.html'>关于印发中华人民共和国政府信息公开工作年度报告格式的通知（国办公开办函〔2019〕60号）</a></li>"
    "<li><a href='/b.html'>2019年政府集中采购目录及标准</a></li>"
    "<li><a href='/c.html'>填报说明：本年新制作数量、对外公开总数量如何统计</a></li>"
    "<li><a href='/d.html'>2020年行政许可事项上一年项目数量公示</a></li>"
)


def test_pre_2019_page_with_a_2019_sidebar_is_legacy() -> None:
    body = "<p>本报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。</p>" + LEGACY_TABLE
    r = parse_report(_html("示范市统计局2016年政府信息公开工作年度报告", body, SIDEBAR_2019), "p.html")
    assert r.year == 2016
    assert r.template == "legacy"
    assert r.legacy_rows["（一）主动公开政府信息数"] == 1835


# --- class 3: table 四 as three small tables ------------------------------------------------

APPEALS_HEAD = "|结果维持|结果纠正|其他结果|尚未审结|总计|\n|---|---|---|---|---|\n"
APPEALS_MD = f"""# 示范市生态环境局2023年政府信息公开工作年度报告

## 二、主动公开政府信息情况

|第二十条第（一）项||||
|---|---|---|---|
|信息内容|本年制发件数|本年废止件数|现行有效件数|
|规章|0|0|0|
|行政规范性文件|3|1|25|

## 四、政府信息公开行政复议、行政诉讼情况

**（一）行政复议**

{APPEALS_HEAD}|1|2|0|1|4|

**（二）行政诉讼（未经复议直接起诉）**

{APPEALS_HEAD}|0|1|0|0|1|

**（三）行政诉讼（复议后起诉）**

{APPEALS_HEAD}|2|0|0|1|3|

## 五、存在的主要问题及改进情况

一是公开内容不够全面。
"""


def test_appeals_as_three_small_tables() -> None:
    r = parse_report(APPEALS_MD.encode(), "appeals.md")
    got = {k: v for k, v in r.values.items() if k.startswith("appeals.")}
    assert got == {
        "appeals.review.upheld": 1, "appeals.review.corrected": 2, "appeals.review.other": 0,
        "appeals.review.pending": 1, "appeals.review.total": 4,
        "appeals.suit_direct.upheld": 0, "appeals.suit_direct.corrected": 1, "appeals.suit_direct.other": 0,
        "appeals.suit_direct.pending": 0, "appeals.suit_direct.total": 1,
        "appeals.suit_after_review.upheld": 2, "appeals.suit_after_review.corrected": 0,
        "appeals.suit_after_review.other": 0, "appeals.suit_after_review.pending": 1,
        "appeals.suit_after_review.total": 3,
    }  # fmt: skip


def test_appeals_as_three_small_tables_in_ocr_text() -> None:
    """OCR of a scanned page: headings and cells one per line, no grid."""
    head = "结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n"
    text = (
        "示范县人民政府2022年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n第二十条第（八）项\n信息内容\n本年收费金额（单位：万元）\n行政事业性收费\n0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        f"1.行政复议\n{head}0\n0\n0\n0\n0\n"
        f"2.行政诉讼（未经复议直接起诉）\n{head}3\n0\n1\n0\n4\n"
        f"3.行政诉讼（复议后起诉）\n{head}0\n0\n0\n2\n2\n"
        "五、存在的主要问题及改进情况\n"
    )
    r = parse_report(text.encode(), "scan.txt")
    assert [r.values[f"appeals.suit_direct.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [
        3, 0, 1, 0, 4
    ]
    assert r.values["appeals.suit_after_review.total"] == 2
    assert r.values["appeals.review.total"] == 0


# --- class 4: HTML rows whose zeros were left blank --------------------------------------------

_HEAD3 = (
    "<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
    "<td colspan='7'>申请人情况</td></tr>"
    "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr>"
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
)


def _row(label: str, cells: list[str], span: int = 3) -> str:
    return f"<tr><td colspan='{span}'>{label}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def test_html_rows_with_blank_zero_cells() -> None:
    """Only the non-zero cells are filled; a row with a single number (here a 总计 the
    publisher filled alone, or 商业企业 alone) is read by the grid position of that number."""
    rows = [
        _row("一、本年新收政府信息公开申请数量", ["6", "", "", "", "", "1", "7"]),
        _row("二、上年结转政府信息公开申请数量", ["", "", "", "", "", "", "2"]),
        "<tr><td rowspan='2'>三、本年度办理结果</td>" + _row("（一）予以公开", ["", "3", "", "", "", "", ""], 2)[4:],
        _row("（七）总计", ["", "", "", "", "", "", "9"], 2),
        _row("四、结转下年度继续办理", ["&nbsp;", "", "", "", "", "", ""]),
    ]
    body = "<p>三、收到和处理政府信息公开申请情况</p><table>" + _HEAD3 + "".join(rows) + "</table>"
    body = "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>" \
        "<tr><td>规章</td><td></td><td></td><td>4</td></tr></table>" + body
    r = parse_report(_html("示范市市场监督管理局2023年政府信息公开工作年度报告", body), "z.html")
    v = r.values
    assert [v[f"requests.carried_over.{c}"] for c in ("natural_person", "other_org", "total")] == [None, None, 2]
    assert v["requests.granted.commercial"] == 3
    assert v["requests.granted.natural_person"] is None
    assert v["requests.total_handled.total"] == 9
    assert v["active.regulations.in_force"] == 4
    assert v["active.regulations.issued"] is None
    assert not [w for w in r.warnings if "numbers for" in w]


# --- class 2: table 二 flattened, its numbers stated in the prose ----------------------------

_FLAT_REQUESTS = (
    "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量3000003二、上年结转政府信息公开申请数量0000000"
)


def _flat_report(prose: str, active_row: str) -> bytes:
    return (
        "示范市司法局2023年政府信息公开工作年度报告\n"
        "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"
        f"一、总体情况 {prose}\n"
        "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        f"规章000{active_row}第二十条第（五）项信息内容本年处理决定数量行政许可26"
        f"{_FLAT_REQUESTS}\n"
    ).encode()


def test_flat_active_row_split_by_stated_numbers() -> None:
    prose = "全年制发行政规范性文件12件，清理废止规范性文件7件，现行有效规范性文件186件已在文件库集中公布。"
    r = parse_report(_flat_report(prose, "行政规范性文件127186"), "flat.txt")
    got = [r.values[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")]
    assert got == [12, 7, 186]
    assert {r.sources[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")} == {"stated"}


def test_flat_active_row_keeps_only_what_the_prose_decides() -> None:
    """The prose states 制发 only, and a 现行有效 figure no split has (a region-wide library):
    制发 is kept, the other two cells stay blank."""
    prose = "集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件。"
    r = parse_report(_flat_report(prose, "行政规范性文件77132470"), "flat.txt")
    assert r.values["active.normative_documents.issued"] == 77
    assert r.sources["active.normative_documents.issued"] == "stated"
    assert r.values["active.normative_documents.repealed"] is None
    assert r.values["active.normative_documents.in_force"] is None


def test_flat_active_row_declined_when_nothing_decides() -> None:
    prose = "全年主动公开政府信息1520条，其中政策解读36篇。"
    r = parse_report(_flat_report(prose, "行政规范性文件127186"), "flat.txt")
    assert [r.values[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [None] * 3
    assert "stated" not in r.sources.values()


# --- class 1: pre-2019 统计表 flattened into one line -----------------------------------------

LOCAL_FLAT = (
    "标题: 示范县人民政府2009年政府信息公开工作年度报告\n==================== 正文 ====================\n"
    "示范县人民政府2009年政府信息公开工作年度报告 本报告中所列数据的统计期限自2009年1月1日起至2009年12月31日止。"
    "一、概述 全年主动公开政府信息一千余条。附件：2009年政府信息公开工作统计表"
    "指标名称计量单位2009年度历年累计主动公开文件数条183527104其中：1、网站公开条1820269832、政府公报公开条15121"
    "受理依申请公开信息总数条1245其中：1、当面申请数条5162、网上申请数条7293、信函申请数条00"
    "行政复议数件01行政诉讼数件00\n"
)


def test_flat_local_statistics_table() -> None:
    r = parse_report(LOCAL_FLAT.encode(), "2009.txt")
    assert r.template == "legacy"
    assert r.legacy_rows == {
        "主动公开文件数": 1835,
        "其中：1、网站公开": 1820,
        "2、政府公报公开": 15,
        "受理依申请公开信息总数": 12,
        "其中：1、当面申请数": 5,
        "2、网上申请数": 7,
        "3、信函申请数": 0,
        "行政复议数": 0,
        "行政诉讼数": 0,
    }
    assert r.legacy_units["主动公开文件数"] == "条"


NATIONAL_FLAT = (
    "示范市民政局2016年政府信息公开工作年度报告\n"
    "附表：政府信息公开情况统计表统计指标单位统计数一、主动公开情况——（一）主动公开政府信息数"
    "（不同渠道和方式公开相同信息计1条）条356其中：主动公开规范性文件数条4制发规范性文件总数件6"
    "（二）通过不同渠道和方式公开政府信息的情况——1.政府公报公开政府信息数条122.政府网站公开政府信息数条301"
    "3.政务微博公开政府信息数条43三、依申请公开情况——（一）收到申请数件91.当面申请数件22.传真申请数件0"
    "3.网络申请数件7四、行政复议数量件1七、依申请公开信息收取的费用万元0.5\n"
)


def test_flat_national_statistics_table() -> None:
    r = parse_report(NATIONAL_FLAT.encode(), "2016.txt")
    assert r.template == "legacy"
    rows = r.legacy_rows
    assert rows["（一）主动公开政府信息数"] == 356
    assert rows["制发规范性文件总数"] == 6
    assert rows["1.政府公报公开政府信息数"] == 12
    assert rows["2.政府网站公开政府信息数"] == 301
    assert rows["3.政务微博公开政府信息数"] == 43
    assert rows["（一）收到申请数"] == 9
    assert [rows["1.当面申请数"], rows["2.传真申请数"], rows["3.网络申请数"]] == [2, 0, 7]
    assert rows["四、行政复议数量"] == 1
    assert rows["七、依申请公开信息收取的费用"] == 0.5
    assert r.legacy_units["七、依申请公开信息收取的费用"] == "万元"


# --- class 5: a table that lost its blank column ------------------------------------------------


def test_block_whose_header_lost_the_blank_column() -> None:
    """A PDF-to-Markdown extraction dropped 本年废止件数 (blank all the way down) with its header."""
    md = (
        "# 示范区住房和城乡建设局2022年政府信息公开工作年度报告\n\n"
        "## 二、主动公开政府信息情况\n\n"
        "|第二十条第（一）项|||\n|---|---|---|\n"
        "|信息内容|本年制发件数|现行有效件数|\n|规章|0|0|\n|行政规范性文件|4|31|\n\n"
        "|第二十条第（五）项||\n|---|---|\n|信息内容|本年处理决定数量|\n|行政许可|2046|\n"
    )
    r = parse_report(md.encode(), "lost.md")
    v = r.values
    assert [v[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [4, None, 31]
    assert [v[f"active.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, None, 0]
    assert v["active.licensing.decisions"] == 2046


def test_block_that_lost_a_column_placed_by_the_prose() -> None:
    """Tab-separated PDF text: the 本年废止件数 cells were blank and vanished; the prose states
    the 制发 and 现行有效 figures, which fit one lost position only."""
    text = (
        "示范县退役军人事务局2023年政府信息公开工作年度报告\n"
        "一、总体情况\n本年度制发行政规范性文件3件，现行有效行政规范性文件17件。\n"
        "二、主动公开政府信息情况\n第二十条第（一）项\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t0\t0\n行政规范性文件\t3\t17\n"
        "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t12\n"
    )
    r = parse_report(text.encode(), "lost.txt")
    v = r.values
    assert [v[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [3, None, 17]
    assert r.sources["active.normative_documents.in_force"] == "stated"
    assert v["active.licensing.decisions"] == 12


def test_block_that_lost_a_column_and_nothing_places_it() -> None:
    text = (
        "示范县退役军人事务局2023年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n第二十条第（一）项\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t0\t0\n行政规范性文件\t3\t17\n"
    )
    r = parse_report(text.encode(), "lost.txt")
    assert [r.values[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [None] * 3


def test_flat_local_statistics_table_declines_what_nothing_decides() -> None:
    """网站公开 equals the total and 政府公报公开 is 0: 4|121648, 41|21648 and 412|1648 all
    add up, so the rows stay blank (with a warning) rather than take a guess."""
    text = (
        "示范乡人民政府2012年政府信息公开工作年度报告\n"
        "指标名称计量单位2012年度历年累计主动公开信息数条4121648其中：1.网站公开条41216482.政府公报公开条00"
        "行政复议数件00\n"
    )
    r = parse_report(text.encode(), "2012.txt")
    assert r.legacy_rows["主动公开信息数"] is None
    assert r.legacy_rows["其中：1.网站公开"] is None
    assert r.legacy_rows["2.政府公报公开"] == 0
    assert any("主动公开信息数" in w and "left blank" in w for w in r.warnings)


def test_request_table_whose_header_lost_a_blank_column() -> None:
    """PDF-to-Markdown output without the 科研机构 column (blank all the way down): the six
    numbers of each row go to the six columns the header names."""
    head = (
        "|（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|申请人情况||||||\n|---|---|---|---|---|---|---|\n"
        "||自然人|法人或其他组织||||总计|\n||商业企业|社会公益组织|法律服务机构|其他|||\n"
    )
    rows = [
        ("一、本年新收政府信息公开申请数量", "9|2|1|0|1|13"),
        ("二、上年结转政府信息公开申请数量", "1|0|0|0|0|1"),
        ("（一）予以公开", "5|1|0|0|1|7"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "2|1|1|0|0|4"),
        ("（七）总计", "9|2|1|0|1|13"),
        ("四、结转下年度继续办理", "1|0|0|0|0|1"),
    ]
    md = (
        "# 示范市人民政府办公室2023年政府信息公开工作年度报告\n\n## 三、收到和处理政府信息公开申请情况\n\n"
        + head
        + "".join(f"|{label}|{cells}|\n" for label, cells in rows)
        + "\n## 四、政府信息公开行政复议、行政诉讼情况\n"
    )
    r = parse_report(md.encode(), "lost3.md")
    v = r.values
    cols = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
    assert [v[f"requests.new_received.{c}"] for c in cols] == [9, 2, 0, 1, 0, 1, 13]
    assert [v[f"requests.partially_granted.{c}"] for c in cols] == [2, 1, 0, 1, 0, 0, 4]
    assert r.sources["requests.new_received.research"] == "repaired"
    assert r.sources["requests.new_received.social_welfare"] == "published"
