"""List protocols of CMS families (crawler.discovery.protocols): plans, answers, stated sizes."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from crawler.discovery.protocols import (
    MAX_PAGES,
    MAX_RECORDS,
    READERS,
    Stated,
    plan_list,
    read_answer,
    stated_size,
)

# --- TRS 动静结合 ---------------------------------------------------------------------------------
DONGJING = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>政府信息公开年报_平潭综合实验区管委会</title>
<script type="text/javascript">
var SiteInfo = {
    siteId: 1,
    siteName: "平潭综合实验区管委会",
    searchId: 200210, // 检索库
    searchUrl: "/fjdzapp/search",
    webSite: "http://www.pingtan.gov.cn"
};
</script>
<script src="/images/listModel.js"></script>
</head><body>
<div class="gl_list"><ul id="list">
<li><a href="./202601/t20260120_4801.htm" title="平潭综合实验区2025年政府信息公开工作年度报告">平潭综合实验区2025年政府信息公开工作年度报告</a><span>2026-01-20</span></li>
<li><a href="./202501/t20250118_4302.htm" title="平潭综合实验区2024年政府信息公开工作年度报告">平潭综合实验区2024年政府信息公开工作年度报告</a><span>2025-01-18</span></li>
</ul><div id="pagebar"></div></div>
<script>
listModel({
    quickMode: "动静结合", /* 首页静态，其余走检索 */
    maxStaticIndex: 1,
    listArgs: {
        channelid: SiteInfo.searchId,
        classsql: "chnlid=1813",
        sortfield: "-docorderpri,-docreltime"
    },
    pagebar: { prepage: 10, recordCount: '20', pgTemp: "pgBar_xxgk.html" }
});
</script></body></html>"""


def test_dongjing_plan_posts_the_pages_past_the_static_ones() -> None:
    url = "http://www.pingtan.gov.cn/jdzx/zwgk/zfxxgkzl/zfxxgknb/"
    plan = plan_list(url, DONGJING)
    assert plan.family == "trs-dongjing"
    assert plan.stated == Stated(20, 2, "recordCount: '20'")
    assert len(plan.requests) == 1
    req = plan.requests[0]
    assert (req.method, req.kind, req.url) == ("POST", "search-json", "http://www.pingtan.gov.cn/fjdzapp/search")
    assert req.body is not None
    body = parse_qs(req.body)
    assert body == {"channelid": ["200210"], "classsql": ["chnlid=1813"], "sortfield": ["-docorderpri,-docreltime"],
                    "page": ["2"], "prepage": ["10"]}
    assert req.headers["Referer"] == url
    assert req.kind in READERS


def test_dongjing_endpoint_default_and_static_pages() -> None:
    page = DONGJING.replace('searchUrl: "/fjdzapp/search",', "").replace("maxStaticIndex: 1", "maxStaticIndex: 2")
    page = page.replace("recordCount: '20'", "recordCount: '45'")
    plan = plan_list("http://x.gov.cn/zwgk/nb/index.html", page)
    assert [r.url for r in plan.requests if r.kind == "list"] == ["http://x.gov.cn/zwgk/nb/index_1.html"]
    posts = [r for r in plan.requests if r.kind == "search-json"]
    assert {r.url for r in posts} == {"http://x.gov.cn/was5/web/search"}
    assert [parse_qs(r.body or "")["page"][0] for r in posts] == ["3", "4", "5"]


def test_dongjing_without_siteinfo_plans_no_post() -> None:
    page = DONGJING.replace("var SiteInfo", "var OtherInfo")
    plan = plan_list("http://x.gov.cn/a/", page)
    assert plan.family == "trs-dongjing" and plan.requests == []
    assert plan.stated is not None and plan.stated.items == 20


def test_dongjing_answer_liberal_keys() -> None:
    answer = json.dumps({"code": 0, "data": {"total": 20, "docs": [
        {"DOCTITLE": "平潭综合实验区2015年政府信息公开工作年度报告", "DOCPUBURL": "/jdzx/zwgk/201603/t20160330_1.htm"},
        {"title": "<em>平潭</em>综合实验区2014年政府信息公开工作年度报告", "chnldocurl": "http://www.pingtan.gov.cn/a/t2015_2.htm"},
        {"doctitle": "无链接", "docid": 3},
    ]}}, ensure_ascii=False).replace(",", ",\r\n", 2)
    got = read_answer("search-json", "http://www.pingtan.gov.cn/fjdzapp/search", answer)
    assert got.items == [
        ("http://www.pingtan.gov.cn/jdzx/zwgk/201603/t20160330_1.htm", "平潭综合实验区2015年政府信息公开工作年度报告"),
        ("http://www.pingtan.gov.cn/a/t2015_2.htm", "平潭综合实验区2014年政府信息公开工作年度报告"),
    ]
    assert got.stated is not None and got.stated.items == 20


def test_dongjing_answer_as_html_or_garbage() -> None:
    got = read_answer("search-json", "http://x.gov.cn/fjdzapp/search",
                      '<li><a href="/a/t1.htm" title="2013年年报">2013年年报</a></li><p>共 12 条</p>')
    assert got.items == [("http://x.gov.cn/a/t1.htm", "2013年年报")]
    assert got.stated is not None and got.stated.items == 12
    assert read_answer("search-json", "http://x.gov.cn/s", "{not json").items == []


# --- Hanweb 信息公开目录 search.jsp ----------------------------------------------------------------
XXGK_PAGE = """<html><head><meta charset="utf-8"><title>政府信息公开年报 衢州市人民政府</title></head><body>
<div class="xxgk_right">
<form id="searchform" name="searchform" action="/module/xxgk/search.jsp" method="post" target="_self">
  <input type="hidden" name="infotypeId" value="A0102">
  <input type="hidden" name="jdid" value="3084">
  <input type="hidden" name="area" value="11330800002576871D">
  <input type="hidden" name="divid" value="div1525479">
  <input type="hidden" name="sortfield" value=",createdatetime:0,orderid:0">
  <input type="text" name="vc_title" value="">
  <select name="texttype"><option value="">全部</option><option value="1" selected>年报</option></select>
  <input type="submit" value="搜索">
</form>
<div id="div1525479"></div>
<script>
$(function(){
  $("#div1525479").load("/module/xxgk/search.jsp?standardXxgk=1&currpage=1", {vc_all: "", fbtime: ""});
});
</script></div></body></html>"""

XXGK_ANSWER = """<table class="tb_list">
<tr class="tr_main_value_odd"><td><a href="http://www.qz.gov.cn/art/2026/1/15/art_1525479_59001.html" class="bt_link" title="衢州市2025年政府信息公开工作年度报告" target="_blank">衢州市2025年政府信息公开工作年度报告</a></td><td>2026-01-15</td></tr>
<tr class="tr_main_value_even"><td><a href="/art/2025/1/14/art_1525479_58002.html" class="bt_link" title="衢州市2024年政府信息公开工作年度报告">衢州市2024年政府信息...</a></td><td>2025-01-14</td></tr>
</table>
<div class="page">&nbsp;&nbsp;共3页&nbsp;&nbsp;<a href="javascript:void(0)" onclick="searchsubmit(1)">首页</a>
<a href="javascript:void(0)" onclick="searchsubmit(2)">下一页</a> 共 28 条记录</div>"""


def test_xxgk_plan_reads_form_and_script_fields() -> None:
    url = "http://www.qz.gov.cn/col/col1525479/index.html"
    plan = plan_list(url, XXGK_PAGE)
    assert plan.family == "hanweb-xxgk-search"
    assert plan.stated is None
    [req] = plan.requests
    assert (req.method, req.kind) == ("POST", "xxgk-fragment")
    parts = urlsplit(req.url)
    assert parts.path == "/module/xxgk/search.jsp" and parts.netloc == "www.qz.gov.cn"
    assert parse_qs(parts.query)["currpage"] == ["1"]
    body = parse_qs(req.body or "", keep_blank_values=True)
    assert body["infotypeId"] == ["A0102"] and body["area"] == ["11330800002576871D"]
    assert body["divid"] == ["div1525479"] and body["sortfield"] == [",createdatetime:0,orderid:0"]
    assert body["texttype"] == ["1"] and body["standardXxgk"] == ["1"] and body["vc_all"] == [""]
    assert "currpage" not in body


def test_xxgk_answer_items_pages_and_the_rest() -> None:
    plan = plan_list("http://www.qz.gov.cn/col/col1525479/index.html", XXGK_PAGE)
    first = plan.requests[0]
    got = read_answer(first.kind, first.url, XXGK_ANSWER)
    assert got.items == [
        ("http://www.qz.gov.cn/art/2026/1/15/art_1525479_59001.html", "衢州市2025年政府信息公开工作年度报告"),
        ("http://www.qz.gov.cn/art/2025/1/14/art_1525479_58002.html", "衢州市2024年政府信息公开工作年度报告"),
    ]
    assert got.stated is not None and (got.stated.items, got.stated.pages) == (28, 3)
    assert [parse_qs(urlsplit(r.url).query)["currpage"] for r in got.next] == [["2"], ["3"]]
    assert all(r.method == "POST" and r.body == first.body for r in got.next)
    # a later page's answer asks for nothing more
    assert read_answer("xxgk-fragment", got.next[0].url, XXGK_ANSWER).next == []


def test_jcms_column_with_a_link_to_the_xxgk_search_stays_jpage() -> None:
    from tests.discovery.test_pagination import JCMS

    nav = '<a href="/module/xxgk/search.jsp?infotypeId=A01&divid=div1">信息公开目录检索</a>'
    assert plan_list("http://x.gov.cn/col/col33718/index.html", nav + JCMS).family == "hanweb-jpage"
    assert plan_list("http://x.gov.cn/col/col1/index.html", nav).family is None


def test_xxgk_page_that_states_its_pages_plans_every_page() -> None:
    plan = plan_list("http://x.gov.cn/col/col1/index.html", XXGK_PAGE.replace("</form>", "</form><span>共4页</span>"))
    assert [parse_qs(urlsplit(r.url).query)["currpage"][0] for r in plan.requests] == ["1", "2", "3", "4"]


# --- TRS WAS5 ----------------------------------------------------------------------------------
WAS5_PAGE = """<html><head><meta charset="utf-8"><title>政府信息公开年度报告 - 中华人民共和国教育部</title></head><body>
<ul class="list">
<li><a href="./202601/t20260115_1190001.html">教育部2025年政府信息公开工作年度报告</a><span>2026-01-15</span></li>
</ul>
<div class="scy_page">
<script type="text/javascript">
var currentPage = 0; // 当前页
var countPage = 25;  // 静态页数
var pageCount = 30;  // 共多少页
function goPage(page) {
    if (page > 25) {
        window.location.href = "/was5/web/search?channelid=254874&chnlid=271&page=" + page;
    } else {
        window.location.href = page == 1 ? "index.html" : "index_" + (page - 1) + ".html";
    }
}
createPageHTML(countPage, currentPage, "index", "html");
</script></div></body></html>"""


def test_was5_plan_static_then_search_fragments() -> None:
    plan = plan_list("http://www.moe.gov.cn/jyb_xxgk/xxgk_ndbg/", WAS5_PAGE)
    assert plan.family == "trs-was5"
    lists = [r.url for r in plan.requests if r.kind == "list"]
    assert len(lists) == 25 and lists[-1] == "http://www.moe.gov.cn/jyb_xxgk/xxgk_ndbg/index_24.html"
    frags = [r.url for r in plan.requests if r.kind == "fragment"]
    assert frags[0] == "http://www.moe.gov.cn/was5/web/search?channelid=254874&chnlid=271&page=26"
    assert len(frags) == 5 and frags[-1].endswith("page=30")
    assert plan.stated is not None and plan.stated.pages == 30


def test_was5_fragment_answer_implies_next_while_non_empty() -> None:
    url = "http://www.moe.gov.cn/was5/web/search?channelid=254874&chnlid=271&page=26"
    frag = ('<li><a href="http://www.moe.gov.cn/jyb_xxgk/xxgk_ndbg/201601/t20160120_1.html" '
            'title="教育部2015年政府信息公开工作年度报告">教育部2015年政府信息公开...</a><span>2016-01-20</span></li>')
    got = read_answer("fragment", url, frag)
    assert got.items == [("http://www.moe.gov.cn/jyb_xxgk/xxgk_ndbg/201601/t20160120_1.html",
                          "教育部2015年政府信息公开工作年度报告")]
    assert [r.url for r in got.next] == [url.replace("page=26", "page=27")]
    assert read_answer("fragment", url, "<ul></ul>").next == []
    last = url.replace("page=26", f"page={MAX_PAGES}")
    assert read_answer("fragment", last, frag).next == []


# --- base64 pager (Yunnan) ----------------------------------------------------------------------
def _b64_page(pager_html: str) -> str:
    blob = base64.b64encode(quote(pager_html).encode()).decode()
    return f"""<html><head><meta charset="utf-8"><title>政府信息公开年报-云南省人力资源和社会保障厅</title></head><body>
<ul class="list"><li><a href="/zfxxgk/ndbg/202601/t20260118_1.html">云南省人力资源和社会保障厅2025年政府信息公开工作年度报告</a></li></ul>
<div id="pages">{blob}</div>
<script>
var p = document.getElementById("pages");
p.innerHTML = decodeURIComponent(window.atob(p.innerHTML.trim()));
</script></body></html>"""


def test_b64_pager_decoded_and_filled_in() -> None:
    pager = ('<span>共5页</span><a class="cur">1</a><a href="index_1.html">2</a><a href="index_2.html">3</a>'
             '<a href="index_1.html">下一页</a><a href="index_4.html">尾页</a>')
    plan = plan_list("http://hrss.yn.gov.cn/zfxxgk/ndbg/index.html", _b64_page(pager))
    assert plan.family == "b64-pager"
    assert [r.url.rsplit("/", 1)[1] for r in plan.requests] == [
        "index_1.html", "index_2.html", "index_4.html", "index_3.html"]
    assert plan.stated is not None and plan.stated.pages == 5


def test_b64_holder_without_atob_is_not_a_pager() -> None:
    page = _b64_page('<a href="index_1.html">2</a>').replace("window.atob", "show")
    assert plan_list("http://x.gov.cn/a/index.html", page).family is None


# --- the families pagination.py already knew ----------------------------------------------------
def test_trs_static_and_jpage_and_gkmlpt_through_the_registry() -> None:
    trs = '<script>var countPage = 3;var dataCount = "52";\ncreatePageHTML(countPage, 0, "index", "shtml");</script>'
    plan = plan_list("http://x.gov.cn/zwgk/nb/", trs)
    assert plan.family == "trs-static" and len(plan.requests) == 3
    assert plan.stated is not None and (plan.stated.items, plan.stated.pages) == (52, 3)

    from tests.discovery.test_pagination import JCMS

    plan = plan_list("http://x.gov.cn/col/col33718/index.html", JCMS)
    assert plan.family == "hanweb-jpage" and plan.requests and plan.requests[0].kind == "datastore"
    assert plan.stated is not None and plan.stated.items == 50
    proxy = ("<datastore><totalrecord>50</totalrecord><recordset><record><![CDATA[<li><a href='/art/2020/1/2/art_33718_9.html' "
             "title='示范市2019年政府信息公开工作年度报告'>示范市2019年</a></li>]]></record></recordset></datastore>")
    got = read_answer("datastore", plan.requests[0].url, proxy)
    assert got.items == [("http://x.gov.cn/art/2020/1/2/art_33718_9.html", "示范市2019年政府信息公开工作年度报告")]
    assert got.stated == Stated(50, None, "<totalrecord>50</totalrecord>")

    plan = plan_list("http://www.gd.gov.cn/gkmlpt/annualreport#2629", "<script>SID: '2'</script>")
    assert plan.family == "gkmlpt" and plan.requests[0].kind == "json"
    rows = [{"title": f"第{i}份", "url": f"/gkmlpt/content/1/{i}/post_{i}.html"} for i in range(100)]
    got = read_answer("json", plan.requests[0].url, json.dumps({"total": 150, "articles": rows}, ensure_ascii=False))
    assert len(got.items) == 100 and [r.url for r in got.next] == ["http://www.gd.gov.cn/gkmlpt/api/all/2629?page=2&sid=2"]
    assert read_answer("json", got.next[0].url, json.dumps({"total": 150, "articles": rows[:50]})).next == []
    arts = {"total": 250, "articles": rows}
    assert [r.url[-13:] for r in read_answer("json", plan.requests[0].url, json.dumps(arts)).next] == [
        "?page=2&sid=2", "?page=3&sid=2"]


def test_unrecognised_page_and_unknown_kind() -> None:
    plan = plan_list("http://x.gov.cn/a/", "<ul><li><a href='/b'>年报</a></li></ul><p>共19条</p>")
    assert plan.family is None and plan.requests == []
    assert plan.stated == Stated(19, None, "共19条")
    assert read_answer("list", "http://x.gov.cn/a/", "<p>共 2 页</p>").items == []


# --- stated sizes -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "items", "pages"),
    [
        ("pagebar: { prepage: 10, recordCount: '20' }", 20, None),
        ("<script>var countPage = 9; var dataCount = \"180\";</script>", 180, 9),
        ("$('#1').jpage({ totalRecord:50, perPage:15 })", 50, None),
        ('{"total": 120, "articles": []}', 120, None),
        ("<datastore><totalrecord>37</totalrecord></datastore>", 37, None),
        ('createPageHTML(7, 0, "index", "html");', None, 7),
        ("<div>共19条</div>", 19, None),
        ("<div>&nbsp;&nbsp;共3页&nbsp;</div>", None, 3),
        ("<span>共 36 条记录</span> <span>第1页/共4页</span>", 36, 4),
        ("<p>总数：20</p>", 20, None),
        ("<p>共有 8 条信息，每页显示 15 条</p>", 8, None),
        ("<p>当前 1/12 页</p>", None, 12),
        ("var totalPage = 5;", None, 5),
    ],
)
def test_stated_size(text: str, items: int | None, pages: int | None) -> None:
    got = stated_size(text)
    assert got is not None
    assert (got.items, got.pages) == (items, pages)
    assert got.evidence and len(got.evidence) <= 130


def test_stated_size_evidence_caps_and_nothing() -> None:
    got = stated_size("pagebar: { prepage: 10, recordCount: '20' }")
    assert got is not None and got.evidence == "recordCount: '20'"
    huge = stated_size("<p>共 9999999 条记录，共 500000 页</p>")
    assert huge is not None and (huge.items, huge.pages) == (MAX_RECORDS, MAX_PAGES)
    assert stated_size("<p>2025年政府信息公开工作年度报告</p>") is None
    assert stated_size("var totalItems2 = 5; subtotal: 4") is None


def test_dongjing_bounds() -> None:
    page = DONGJING.replace("recordCount: '20'", "recordCount: '99999999'")
    plan = plan_list("http://x.gov.cn/a/", page)
    assert len(plan.requests) == MAX_PAGES - 1 and plan.stated is not None
    assert plan.stated.items == MAX_RECORDS and plan.stated.pages == MAX_PAGES


# --- shared readers and the registry ------------------------------------------------------------
def test_js_object_helpers() -> None:
    from crawler.discovery.protocols.base import balanced, js_pairs, with_query

    js = 'x = {a: "}", b: {c: \'http://h.gov.cn/s\' /* 注释 */, d: 3}, // 行注释\n e: SiteInfo.id}; y'
    obj = balanced(js, 0)
    assert obj is not None and obj.endswith("SiteInfo.id}")
    assert js_pairs(obj) == {"a": "}", "c": "http://h.gov.cn/s", "d": "3", "e": "SiteInfo.id"}
    assert with_query("http://h/s?page=1&a=2", page=5, b=1) == "http://h/s?page=5&a=2&b=1"


def test_was5_limit_only_beside_the_was_url() -> None:
    far = "<script>function f(num){ if (num > 0) return 1; }</script>" + "<p>…</p>" * 80
    page = far + WAS5_PAGE.replace("if (page > 25)", "if (page >= 26)")
    plan = plan_list("http://www.moe.gov.cn/jyb_xxgk/xxgk_ndbg/", page)
    assert len([r for r in plan.requests if r.kind == "list"]) == 25  # createPageHTML's count, not 0


def test_registry_families_and_kinds() -> None:
    from crawler.discovery.protocols import FAMILIES

    names = [m.FAMILY for m in FAMILIES]
    assert len(set(names)) == len(names) and names[-1] == "trs-static"
    assert set(READERS) == {"datastore", "json", "search-json", "xxgk-fragment", "fragment"}
