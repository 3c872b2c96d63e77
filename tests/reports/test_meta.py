"""Title, year, agency and template detection (crawler.reports.meta)."""

from __future__ import annotations

import pytest

from crawler.documents.model import Document
from crawler.reports import parse_report
from crawler.reports.meta import (
    agency_in_title,
    agency_with_source,
    detect_template,
    find_agency,
    find_title,
    find_year,
)


def _title(lines: list[str], meta_title: str | None = None) -> str | None:
    return find_title(Document("x", "text", (), title=meta_title), lines)


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ["", "# 金水区商务局2020年政府信息公开工作年度报告", "## 一、总体情况"],
            "金水区商务局2020年政府信息公开工作年度报告",
        ),
        (
            ["标题: 平潭综合实验区2019年度政府信息公开工作年度报告", "发布时间: 2020-01-20"],
            "平潭综合实验区2019年度政府信息公开工作年度报告",
        ),
        (
            ["正文", "2024 年上海市科委政府信息公开工作", "年度报告", "根据《条例》……"],
            "2024 年上海市科委政府信息公开工作年度报告",
        ),
    ],
)
def test_title_from_text(lines: list[str], title: str) -> None:
    assert _title(lines) == title


def test_title_prefers_article_meta() -> None:
    assert (
        _title(["首页 > 信息公开"], "某县民政局2021年政府信息公开工作年度报告")
        == "某县民政局2021年政府信息公开工作年度报告"
    )


@pytest.mark.parametrize(
    ("title", "text", "year"),
    [
        ("市商务局 2020 年政府信息公开年度报告", "", 2020),
        ("商务局政府信息公开工作年度报告", "2019年，商务局认真贯彻……2020年1月发布", 2019),
        (
            "某局政府信息公开年报",
            "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。2023年3月",
            2022,
        ),
        ("某市二〇一七年政府信息公开工作年度报告", "", 2017),
    ],
)
def test_year(title: str, text: str, year: int) -> None:
    assert find_year(title, text) == year


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("市商务局 2020 年政府信息公开年度报告", "市商务局"),
        ("2024年上海市科委政府信息公开工作年度报告", "上海市科委"),
        ("商务局政府信息公开工作年度报告", "商务局"),
        ("淮安市洪泽区人民政府2024年政府信息公开工作年度报告", "淮安市洪泽区人民政府"),
    ],
)
def test_agency(title: str, agency: str) -> None:
    assert find_agency(title, {}) == agency


@pytest.mark.parametrize(
    ("text", "year", "template"),
    [
        ("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", 2019, "2021"),  # headers beat the year
        ("信息内容\t本年新\n制作数量\t本年新公开数量", 2021, "2019"),
        ("统计指标\t单位\t统计数\n主动公开政府信息数\t条\t3", 2016, "legacy"),
        ("一、本年新收政府信息公开申请数量\t1\t0", 2022, "2021"),
        ("本年度未收到申请。", 2022, None),
    ],
)
def test_template(text: str, year: int, template: str | None) -> None:
    assert detect_template(text, year) == template


# Agencies of one county column, each named by its own title, 2008–2025.
@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("平潭综合实验区管委会2013年政府信息公开工作年度报告", "平潭综合实验区管委会"),
        ("平潭综合实验区地方税务局2013年政府信息公开工作年度报告", "平潭综合实验区地方税务局"),
        ("福清市国家税务局2013年政府信息公开工作年度报告", "福清市国家税务局"),
        ("闽侯县国税局2012年度政府信息公开工作年度报告", "闽侯县国税局"),
        ("国家税务总局福州市税务局2019年政府信息公开工作年度报告", "国家税务总局福州市税务局"),
        ("鼓楼区东街街道办事处2018年政府信息公开工作年度报告", "鼓楼区东街街道办事处"),
        ("福州高新区管委会 2025 年度政府信息公开工作年度报告", "福州高新区管委会"),
        ("闽清县人民政府2008年政府信息公开工作年度报告", "闽清县人民政府"),
        ("永泰县人民政府二〇一三年政府信息公开工作年度报告", "永泰县人民政府"),
        ("罗源县二○一○年度政府信息公开年报", "罗源县"),
        ("福清市国家税务局关于2015年度政府信息公开工作年度报告", "福清市国家税务局"),
        ("长乐区人民政府关于2014年政府信息公开工作的年度报告", "长乐区人民政府"),
        ("2013年度福清市国税局政府信息公开工作年度报告", "福清市国税局"),
        ("《连江县交通运输局2021年政府信息公开工作年度报告》", "连江县交通运输局"),
        ("福清市国家税务局2013年政府信息公开工作年度报告_平潭综合实验区门户网", "福清市国家税务局"),
        ("平潭门户网 - 平潭综合实验区地方税务局2014年政府信息公开工作年度报告", "平潭综合实验区地方税务局"),
        ("福州市机构编制委员会办公室2017年政府信息公开工作年度报告", "福州市机构编制委员会办公室"),
    ],
)
def test_agency_of_each_body_in_a_column(title: str, agency: str) -> None:
    assert agency_in_title(title) == agency
    assert find_agency(title, {"SiteName": "平潭综合实验区门户网"}) == agency


@pytest.mark.parametrize(
    "title",
    [
        "2013年政府信息公开工作年度报告",
        "二〇一三年度政府信息公开工作年度报告",
        "关于报送2013年政府信息公开工作年度报告的通知",
        "关于2014年度政府信息公开工作年度报告的函",
        "关于做好2016年政府信息公开工作年度报告编制工作的通知",
        "附件1",
        None,
    ],
)
def test_titles_naming_no_agency(title: str | None) -> None:
    assert agency_in_title(title) is None


_META = {"SiteName": "平潭综合实验区门户网", "ContentSource": "平潭综合实验区地方税务局"}
_INDEX_TABLE = "索引号：FJ-PT-2014-00123\t发布机构：福清市国家税务局\n生成日期：2014-03-20\n一、概述"


@pytest.mark.parametrize(
    ("title", "meta", "text", "agency", "source"),
    [
        ("福清市国家税务局2013年政府信息公开工作年度报告", _META, _INDEX_TABLE, "福清市国家税务局", "title"),
        ("2013年政府信息公开工作年度报告", _META, _INDEX_TABLE, "平潭综合实验区地方税务局", "meta"),
        (
            "2013年政府信息公开工作年度报告",
            {"SiteName": "平潭综合实验区门户网", "发布机构": "县国税局"},
            "",
            "县国税局",
            "meta",
        ),
        (
            "2013年政府信息公开工作年度报告",
            {"SiteName": "平潭综合实验区门户网"},
            _INDEX_TABLE,
            "福清市国家税务局",
            "page",
        ),
        (
            "2013年政府信息公开工作年度报告",
            {"SiteName": "平潭综合实验区门户网", "ContentSource": "本网"},
            "来源：本网\n发布时间：2014-01-20",
            "平潭综合实验区门户网",
            "portal",
        ),
        (
            "2013年政府信息公开工作年度报告",
            {},
            "来源：平潭综合实验区管委会\n",
            "平潭综合实验区管委会",
            "page",
        ),
        ("2013年政府信息公开工作年度报告", {}, "", None, None),
    ],
)
def test_agency_sources_in_order(
    title: str, meta: dict[str, str], text: str, agency: str | None, source: str | None
) -> None:
    assert agency_with_source(title, meta, text) == (agency, source)


@pytest.mark.parametrize(
    ("lines", "title", "agency"),
    [
        (
            ["洪泽区人民政府", "2023 年政府信息公开工作年度报告", "本报告由……编制。"],
            "洪泽区人民政府2023 年政府信息公开工作年度报告",
            "洪泽区人民政府",
        ),
        (
            ["福清市地方税务局", "二〇一三年政府信息公开工作年度报告"],
            "福清市地方税务局二〇一三年政府信息公开工作年度报告",
            "福清市地方税务局",
        ),
        (["目录", "2023 年政府信息公开工作年度报告"], "2023 年政府信息公开工作年度报告", None),
    ],
)
def test_agency_printed_above_a_year_first_title(lines: list[str], title: str, agency: str | None) -> None:
    found = _title(lines)
    assert found == title
    assert find_agency(found, {}) == agency


def test_parsed_page_names_its_publisher_not_the_portal() -> None:
    page = (
        '<html><head><meta name="SiteName" content="平潭综合实验区门户网">'
        "<title>2013年政府信息公开工作年度报告_平潭综合实验区门户网</title></head><body>"
        "<table><tr><td>索引号：</td><td>FJ-PT-2014-0012</td><td>发布机构：</td><td>平潭综合实验区地方税务局</td></tr>"
        "</table><h1>2013年政府信息公开工作年度报告</h1><p>根据《中华人民共和国政府信息公开条例》，现公布本局"
        "2013年度政府信息公开工作年度报告。</p></body></html>"
    ).encode()
    assert parse_report(page, "t20140120_1.htm").agency == "平潭综合实验区地方税务局"
