"""Which column pages need the browser to find their way on, and reading the XHR answers a
rendered list received (pure functions, real-shaped markup)."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.discovery.explore import answer_links, explore_reason
from crawler.discovery.page import Hop, analyse

NETLOCS = frozenset({"www.qh.gov.cn"})
URL = "http://www.qh.gov.cn/zwgk/ndbg/index.html"


def _decide(body: str, head: str = ""):
    text = (f'<html><head><meta charset="utf-8"><title>政府信息公开年报</title>{head}</head>'
            f"<body>{body}</body></html>")
    return analyse(URL, text, Hop("column", 3, "HDC"), NETLOCS)


def test_a_list_filled_by_an_external_script_is_explored() -> None:
    d = _decide('<ul id="list"></ul><button type="button" id="more">加载更多</button>',
                '<script src="/js/column.js"></script>')
    assert d.explore and "加载更多" in d.explore


def test_an_empty_list_with_scripts_is_explored() -> None:
    d = _decide('<div class="list"></div>', '<script src="/js/app.js"></script>')
    assert d.explore == "no list items in the page; its list fills by script"


def test_items_whose_target_only_a_script_knows_are_explored() -> None:
    d = _decide('<ul><li onclick="showDoc(this)">清河县2024年政府信息公开工作年度报告</li>'
                '<li onclick="showDoc(this)">清河县2023年政府信息公开工作年度报告</li></ul>',
                '<script src="/js/list.js"></script>')
    assert d.explore and d.explore.startswith("2 report-like items with no readable target")


def test_items_the_static_reading_resolves_are_not_explored() -> None:
    # the handler is an inline function building the URL from a literal and its argument
    d = _decide('<ul><li><a href="javascript:void(0)" onclick="openArticle(\'2024\',\'3301\')">'
                '清河县2024年政府信息公开工作年度报告</a></li></ul>'
                "<script>function openArticle(y,id){window.open('/xxgk/nb/'+y+'/'+id+'.html')}</script>")
    assert [f.request.url for f in d.follows if f.hop.kind == "report"] == ["http://www.qh.gov.cn/xxgk/nb/2024/3301.html"]
    assert d.explore is None


def test_a_list_with_readable_items_and_plain_pager_stays_plain() -> None:
    d = _decide('<ul><li><a href="/zwgk/ndbg/202401/t20240115_1.html">清河县2023年政府信息公开工作年度报告</a></li></ul>'
                '<div class="page"><a href="index_1.html">下一页</a></div>',
                '<script src="/js/jquery.js"></script>')
    assert d.explore is None


def test_script_pager_year_tabs_and_year_selector_are_explored() -> None:
    item = '<ul><li><a href="/zwgk/ndbg/202401/t20240115_1.html">清河县2023年政府信息公开工作年度报告</a></li></ul>'
    assert "下一页" in (_decide(item + '<a href="javascript:;" onclick="goPage(2)">下一页</a>').explore or "")
    assert "year tab 2022年" in (_decide(item + '<span onclick="showYear(2022)">2022年</span>').explore or "")
    sel = '<select onchange="loadYear(this.value)"><option>2024</option><option>2023</option></select>'
    assert "year selector" in (_decide(item + sel).explore or "")


def test_only_column_pages_are_explored() -> None:
    text = '<html><head><title>政务公开</title><script src="/a.js"></script></head><body><ul id="x"></ul></body></html>'
    assert analyse(URL, text, Hop("disclosure", 2, "HD"), NETLOCS).explore is None


def test_a_page_whose_list_protocol_goes_on_is_not_explored() -> None:
    body = ('<ul><li><a href="./202401/t20240115_1.html">清河县2023年政府信息公开工作年度报告</a></li></ul>'
            '<script>var countPage = 3;createPageHTML(3, 0, "index", "html");</script>'
            '<a href="javascript:;">下一页</a>')
    assert _decide(body).explore is None


def test_answer_links_reads_json_jsonp_and_fragments() -> None:
    items, stated = answer_links(
        "http://www.qh.gov.cn/api/list?page=1", "application/json",
        '{"total": 12, "data": [{"title": "2024年年报", "link": "/a/1.html"}, {"title": "2023年年报", "link": "/a/2.html"}]}')
    assert items == [("http://www.qh.gov.cn/a/1.html", "2024年年报"), ("http://www.qh.gov.cn/a/2.html", "2023年年报")]
    assert stated is not None and stated.items == 12
    items, _ = answer_links("http://www.qh.gov.cn/api/x", "text/javascript",
                            'cb({"rows": [{"url": "/b/1.html", "title": "年报"}]})')
    assert items == [("http://www.qh.gov.cn/b/1.html", "年报")]
    items, stated = answer_links("http://www.qh.gov.cn/api/frag", "text/html",
                                 '<li><a href="/c/1.html" title="清河县2022年政府信息公开工作年度报告">清河县2022…</a></li>共 5 条')
    assert items == [("http://www.qh.gov.cn/c/1.html", "清河县2022年政府信息公开工作年度报告")]
    assert stated is not None and stated.items == 5
    assert answer_links("http://www.qh.gov.cn/api", "application/json", "{not json") == ([], None)


def test_explore_reason_is_pure_on_markup() -> None:
    root = lxml_html.fromstring('<html><body><ul></ul><script>init()</script></body></html>')
    assert explore_reason(root, []) == "no list items in the page; its list fills by script"
    assert explore_reason(root, [("list", None)]) is None


def test_a_plain_pager_of_a_column_with_an_unknown_slug_is_followed() -> None:
    d = analyse("http://www.qh.gov.cn/xxgk/bmnb/index.html",
                '<html><head><title>部门年报</title></head><body><ul><li><a href="/xxgk/bmnb/2024/1.html">'
                '清河县教育局2023年政府信息公开工作年度报告</a></li></ul><a href="index_1.html">下一页</a>'
                '<a href="/news/index_1.html">下一页</a></body></html>', Hop("column", 3, "HDC"), NETLOCS)
    assert [f.request.url for f in d.follows if f.hop.kind == "list"] == ["http://www.qh.gov.cn/xxgk/bmnb/index_1.html"]
