"""Which agency a report of a mixed column is attributed to (crawler.pipelines.choose)."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.discovery.page import page_title
from crawler.pipelines.choose import choose_agency, notice_title
from crawler.reports import parse_report

_PORTAL = "平潭综合实验区门户网"


@pytest.mark.parametrize(
    ("titles", "meta", "read", "agency", "source"),
    [
        # the title beats the publisher metadata, which beats what the parser read
        (
            ["福清市国家税务局2013年政府信息公开工作年度报告"],
            {"SiteName": _PORTAL, "ContentSource": "平潭综合实验区管委会"},
            ["平潭综合实验区管委会"],
            "福清市国家税务局",
            "title",
        ),
        # the page names no agency, the list link does
        (
            ["2013年政府信息公开工作年度报告", "平潭综合实验区地方税务局2013年政府信息公开工作年度报告"],
            {"SiteName": _PORTAL},
            [_PORTAL],
            "平潭综合实验区地方税务局",
            "title",
        ),
        (
            ["2013年政府信息公开工作年度报告"],
            {"SiteName": _PORTAL, "ContentSource": "县国税局"},
            [_PORTAL],
            "县国税局",
            "meta",
        ),
        (
            ["2013年政府信息公开工作年度报告"],
            {"SiteName": _PORTAL},
            [_PORTAL, "福清市地方税务局"],
            "福清市地方税务局",
            "document",
        ),
        (["2013年政府信息公开工作年度报告"], {"SiteName": _PORTAL}, [_PORTAL], _PORTAL, "portal"),
        (["2013年政府信息公开工作年度报告"], {}, [None], "平潭综合实验区", "portal"),
    ],
)
def test_agency_of_a_report_in_a_mixed_column(
    titles: list[str], meta: dict[str, str], read: list[str | None], agency: str, source: str
) -> None:
    assert choose_agency(titles, meta, read, "平潭综合实验区") == (agency, source)


def test_no_agency_at_all() -> None:
    assert choose_agency([], {}, [], None) == (None, None)


@pytest.mark.parametrize(
    ("titles", "notice"),
    [
        (
            [None, "关于报送2013年政府信息公开工作年度报告的通知"],
            "关于报送2013年政府信息公开工作年度报告的通知",
        ),
        (["关于2014年度政府信息公开工作年度报告的函", None], "关于2014年度政府信息公开工作年度报告的函"),
        (["福清市国家税务局关于2015年度政府信息公开工作年度报告"], None),
        (["福清市国家税务局2013年政府信息公开工作年度报告", None], None),
    ],
)
def test_notice_titles(titles: list[str | None], notice: str | None) -> None:
    assert notice_title(titles) == notice


def _page(title: str, publisher: str | None, body: str) -> bytes:
    source = f'<meta name="ContentSource" content="{publisher}">' if publisher else ""
    return (
        f'<html><head><meta name="SiteName" content="{_PORTAL}">{source}'
        f"<title>{title}_{_PORTAL}</title></head><body><h1>{title}</h1>{body}</body></html>"
    ).encode()


_BODY = (
    "<p>根据《中华人民共和国政府信息公开条例》要求，特向社会公布2013年度政府信息公开工作年度报告。</p>"
    "<table><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>"
    "<tr><td>主动公开政府信息数</td><td>条</td><td>35</td></tr></table>"
)


@pytest.mark.parametrize(
    ("title", "publisher", "agency", "source"),
    [
        ("平潭综合实验区管委会2013年政府信息公开工作年度报告", None, "平潭综合实验区管委会", "title"),
        (
            "平潭综合实验区地方税务局2013年政府信息公开工作年度报告",
            _PORTAL,
            "平潭综合实验区地方税务局",
            "title",
        ),
        ("2013年政府信息公开工作年度报告", "县国税局", "县国税局", "meta"),
        ("2013年政府信息公开工作年度报告", None, _PORTAL, "portal"),
    ],
)
def test_pages_of_one_column_each_get_their_own_agency(
    title: str, publisher: str | None, agency: str, source: str
) -> None:
    """The same steps as the reports pipeline: parse the page, read its meta, choose."""
    body = _page(title, publisher, _BODY)
    result = parse_report(body, "t20140120_1.htm")
    _, meta = page_title(lxml_html.fromstring(body.decode()))
    assert notice_title([result.title, meta.get("ArticleTitle")]) is None
    assert choose_agency([result.title], meta, [result.agency], "平潭综合实验区") == (agency, source)


def test_a_notice_attaching_a_report_form_is_no_report() -> None:
    body = _page(
        "关于报送2013年政府信息公开工作年度报告的通知",
        "平潭综合实验区管委会办公室",
        "<p>各单位：请于1月31日前报送。</p><p>附件：政府信息公开工作年度报告格式</p>" + _BODY,
    )
    result = parse_report(body, "t20140105_9.htm")
    assert result.template == "legacy"  # the attached form has the table a report has …
    assert notice_title([result.title], [result]) == result.title  # … but the page says it is a notice


_ROWS = ["主动公开政府信息数", "其中：主动公开规范性文件数", "制发规范性文件总数", "政府公报公开政府信息数",
         "政府网站公开政府信息数", "政务微博公开政府信息数", "收到申请数", "当面申请数", "传真申请数",
         "网络申请数", "信函申请数", "同意公开答复数"]  # fmt: skip


def test_a_report_published_as_a_notice_is_a_report() -> None:
    """关于印发XX县2014年…年度报告的通知 whose body is the report: its filled table makes it one."""
    table = "".join(f"<tr><td>{name}</td><td>条</td><td>{i + 3}</td></tr>" for i, name in enumerate(_ROWS))
    body = _page("闽清县人民政府办公室关于印发闽清县2014年政府信息公开工作年度报告的通知", None,
                 "<p>各乡镇人民政府，县直各单位：现将报告印发给你们。</p>"
                 f"<table><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>{table}</table>")  # fmt: skip
    result = parse_report(body, "t20150120_3.htm")
    assert len(result.legacy_rows) >= 10
    assert notice_title([result.title]) == result.title
    assert notice_title([result.title], [result]) is None
