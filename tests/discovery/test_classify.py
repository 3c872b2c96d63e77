"""Link and title classification (crawler.discovery.classify)."""

from __future__ import annotations

import pytest

from crawler.discovery.classify import LinkKind, classify, is_attachment_url, is_notice_title, is_report_title


@pytest.mark.parametrize(
    "title",
    [
        "平潭综合实验区2019年度政府信息公开工作年度报告",
        "市商务局 2020 年政府信息公开年度报告",
        "2024年上海市科委政府信息公开工作年度报告",
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告（全文）",
        "某县民政局2021年政府信息公开工作年度报告.pdf",
        "示范市2016年政府信息公开年报",
        "示范市审计局2023年度政府信息公开工作年度报告",
        "商务局政府信息公开工作年度报告",
    ],
)
def test_report_titles(title: str) -> None:
    assert is_report_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "2024年示范市政府工作报告",
        "示范市2023年国民经济和社会发展统计公报",
        "示范市财政局2024年部门预算公开",
        "示范市2023年法治政府建设年度报告",
        "示范市2023年度本级预算执行和其他财政收支的审计工作报告",
        "关于做好2023年政府信息公开工作年度报告编制工作的通知",
        "我局召开政府信息公开年报编制培训会",
        "政府信息公开指南",
        "政府信息公开工作年度报告",
        "信息公开年报",
        "",
    ],
)
def test_noise_titles(title: str) -> None:
    assert not is_report_title(title)


@pytest.mark.parametrize(
    ("url", "text", "kind"),
    [
        ("http://x.gov.cn/zwgk/zfxxgk/zfxxgknb/", "政府信息公开年报", LinkKind.REPORT_COLUMN),
        ("http://x.gov.cn/col/col1229214366/index.html", "公开年报", LinkKind.REPORT_COLUMN),
        ("http://x.gov.cn/gkmlpt/annualreport#2629", "", LinkKind.REPORT_COLUMN),
        ("http://x.gov.cn/zwgk/", "政府信息公开", LinkKind.DISCLOSURE),
        ("http://x.gov.cn/bm/jtj/", "市交通运输局", LinkKind.DEPARTMENT),
        (
            "http://x.gov.cn/zwgk/zfxxgknb/202401/t20240112_4756014.html",
            "市交通运输局2023年政府信息公开工作年度报告",
            LinkKind.REPORT,
        ),
        ("http://x.gov.cn/zwgk/zfxxgknb/202401/P020240112511.pdf", "附件", LinkKind.ATTACHMENT),
        (
            "http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2ab3.pdf",
            "附件：年报",
            LinkKind.ATTACHMENT,
        ),
        ("http://x.gov.cn/zwgk/tjgb/t1.html", "2023年统计公报", LinkKind.OTHER),
        ("http://x.gov.cn/news/", "新闻动态", LinkKind.OTHER),
    ],
)
def test_classify(url: str, text: str, kind: LinkKind) -> None:
    assert classify(url, text) is kind


def test_title_attribute_beats_truncated_text() -> None:
    assert (
        classify(
            "http://x.gov.cn/art/2024/1/23/art_1_2.html",
            "示范市交通运输局2023年政府信息公开...",
            "示范市交通运输局2023年政府信息公开工作年度报告",
        )
        is LinkKind.REPORT
    )


@pytest.mark.parametrize(
    ("url", "yes"),
    [
        ("http://x/a/P020240112.PDF", True),
        ("http://x/down.jsp?name=%E5%B9%B4%E6%8A%A5.docx", True),
        ("http://x/a/t2024.html", False),
        ("http://x/art/2024/1/2/art_1_2.html", False),
    ],
)
def test_attachment_urls(url: str, yes: bool) -> None:
    assert is_attachment_url(url) is yes


# Reports of several bodies as an older county annual-report column lists them side by side,
# 2008–2025, Arabic and Chinese-numeral years, with and without 关于.
@pytest.mark.parametrize(
    "title",
    [
        "平潭综合实验区管委会2013年政府信息公开工作年度报告",
        "平潭综合实验区地方税务局2013年政府信息公开工作年度报告",
        "福清市国家税务局2013年政府信息公开工作年度报告",
        "福清市地方税务局2014年度政府信息公开工作年度报告",
        "闽侯县国税局2012年政府信息公开工作年度报告",
        "国家税务总局福州市税务局2019年政府信息公开工作年度报告",
        "国家税务总局平潭综合实验区税务局2025年政府信息公开工作年度报告",
        "鼓楼区东街街道办事处2018年政府信息公开工作年度报告",
        "仓山区城门镇人民政府2016年政府信息公开工作年度报告",
        "福州高新区管委会2015年度政府信息公开工作年度报告",
        "闽清县人民政府2008年政府信息公开工作年度报告",
        "连江县二〇〇九年政府信息公开工作年度报告",
        "永泰县人民政府二〇一三年政府信息公开工作年度报告",
        "罗源县二○一○年度政府信息公开年报",
        "福清市国家税务局关于2015年度政府信息公开工作年度报告",
        "长乐区人民政府关于2014年政府信息公开工作的年度报告",
        "福州市机构编制委员会办公室2017年政府信息公开工作年度报告",
        "福州市人民检察院2020年政府信息公开工作年度报告",
        "2013年度福清市国税局政府信息公开工作年度报告",
        "平潭综合实验区2024年政府信息公开工作年度报告（全文）",
        "2021年度连江县交通运输局政府信息公开工作年度报告.pdf",
    ],
)
def test_report_titles_of_several_agencies(title: str) -> None:
    assert is_report_title(title)
    assert not is_notice_title(title)
    assert classify("http://x.gov.cn/zwgk/zfxxgknb/201401/t20140120_1.htm", title) is LinkKind.REPORT


# Letters and notices about reports that the same columns list among the reports.
@pytest.mark.parametrize(
    "title",
    [
        "关于报送2013年政府信息公开工作年度报告的通知",
        "关于2014年度政府信息公开工作年度报告的函",
        "平潭综合实验区管委会办公室关于报送2015年度政府信息公开工作年度报告的通知",
        "福清市人民政府办公室关于做好2016年政府信息公开工作年度报告编制和发布工作的通知",
        "关于2013年度政府信息公开工作年度报告督查情况的通报",
        "2012年政府信息公开工作年度报告督查情况通报",
        "关于对2017年度政府信息公开工作年度报告进行评议的通知",
        "2018年度政府信息公开工作年度报告社会评议结果",
        "福州市国家税务局关于报送2013年政府信息公开工作年度报告",
        "关于公布2019年政府信息公开工作年度报告的公告",
        "关于2020年政府信息公开工作年度报告的复函",
        "关于印发2021年政府信息公开工作年度报告编制指引的通知",
        "县政务公开办关于催报二〇一三年政府信息公开工作年度报告的函",
        "关于2022年度政府信息公开工作年度报告抽查情况的通报",
    ],
)
def test_notices_about_reports_are_noise(title: str) -> None:
    assert is_notice_title(title)
    assert not is_report_title(title)
    assert classify("http://x.gov.cn/zwgk/zfxxgknb/201401/t20140120_2.htm", title) is LinkKind.NOISE


def test_notice_only_when_it_is_about_reports() -> None:
    assert not is_notice_title("关于开展2024年政务公开培训的通知")  # noise of another kind, not this rule's
    assert not is_notice_title("")


def test_columns_of_departments_and_towns_are_report_columns() -> None:
    for text in ("部门年报", "部门公开年报", "镇街年报"):
        assert classify("/xxgk/bmnb/index.html", text) is LinkKind.REPORT_COLUMN, text
