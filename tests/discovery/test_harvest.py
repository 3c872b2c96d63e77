"""Static harvesting of every way a page leads on (crawler.discovery.harvest, with its script
reading in crawler.discovery.scriptnav and URL shapes in crawler.discovery.targets), on markup
shaped like real TRS, Hanweb and county portal pages."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.discovery.harvest import MAX_ITEMS, Harvested, form_request, harvest
from crawler.discovery.scriptnav import handler_targets, script_functions, script_lists, script_navigations
from crawler.discovery.targets import viewer_documents

PAGE = "http://www.xxx.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html"


def _harvest(markup: str, url: str = PAGE) -> list[Harvested]:
    return harvest(url, lxml_html.fromstring(markup), markup)


def _by_url(markup: str, url: str = PAGE) -> dict[str, Harvested]:
    return {h.url: h for h in _harvest(markup, url)}


def test_links_resolve_as_before_and_skip_scripts_mail_and_anchors() -> None:
    found = _harvest("""<html><body><ul class="list">
<li><a href="./202403/t20240308_87885.htm" title="平潭综合实验区2023年政府信息公开工作年度报告">平潭综合实验区2023年政府…</a>
<span>2024-03-08</span></li>
<li><a href="javascript:void(0)">打印</a> <a href="mailto:zwgk@xxx.gov.cn">联系</a> <a href="#top">顶部</a></li>
<li><a href="/zwgk/">政务公开</a><a href="/zwgk/">政务公开（重复）</a></li></ul></body></html>""")
    assert [(h.url, h.via) for h in found] == [
        ("http://www.xxx.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm", "a"),
        ("http://www.xxx.gov.cn/zwgk/", "a"),
    ]
    assert found[0].title == "平潭综合实验区2023年政府信息公开工作年度报告"
    assert found[1].text == "政务公开"


def test_frames_iframes_and_image_maps() -> None:
    found = _by_url("""<html><frameset cols="200,*"><frame src="left.html" name="left">
<frame src="/zwgk/zfxxgknb/list.html" name="main"></frameset></html>""")
    assert {u: h.via for u, h in found.items()} == {
        "http://www.xxx.gov.cn/zwgk/zfxxgk/zfxxgknb/left.html": "frame",
        "http://www.xxx.gov.cn/zwgk/zfxxgknb/list.html": "frame",
    }
    found = _by_url("""<html><body><iframe src="about:blank"></iframe>
<iframe src="/col/col1229214366/index.html" title="政府信息公开年报"></iframe>
<img src="/images/map.png" usemap="#m"><map name="m">
<area shape="rect" coords="0,0,80,20" href="/xxgk/bm/czj/" alt="县财政局">
<area shape="rect" coords="0,20,80,40" href="javascript:;" alt="无"></map></body></html>""")
    assert {u: (h.via, h.text or h.title) for u, h in found.items()} == {
        "http://www.xxx.gov.cn/col/col1229214366/index.html": ("iframe", "政府信息公开年报"),
        "http://www.xxx.gov.cn/xxgk/bm/czj/": ("area", "县财政局"),
    }


def test_a_trs_viewer_iframe_yields_the_original_pdf() -> None:
    found = _by_url("""<html><body><div class="qzb">
<iframe src="/generic2/web/viewer.html?file=/zwgk/zfxxgknb/202403/P020240308原件.pdf"></iframe>
<iframe src="/generic2/web/viewer.html?file={{qzbFile}}"></iframe></div></body></html>""")
    assert {u: h.via for u, h in found.items()} == {
        "http://www.xxx.gov.cn/generic2/web/viewer.html?file=/zwgk/zfxxgknb/202403/P020240308原件.pdf": "iframe",
        "http://www.xxx.gov.cn/zwgk/zfxxgknb/202403/P020240308原件.pdf": "viewer",
    }


def test_viewer_documents_reads_file_url_and_src_parameters() -> None:
    assert viewer_documents("http://a.gov.cn/pdfjs/web/viewer.html?file=%2Fupload%2F2023nb.pdf") == [
        "http://a.gov.cn/upload/2023nb.pdf"
    ]
    assert viewer_documents("http://a.gov.cn/preview.jsp?url=http://a.gov.cn/files/nb.docx&t=1") == [
        "http://a.gov.cn/files/nb.docx"
    ]
    assert viewer_documents("http://a.gov.cn/viewer/index.html?src=../doc/2022.ofd") == ["http://a.gov.cn/doc/2022.ofd"]
    assert viewer_documents("http://a.gov.cn/list.jsp?file=readme&page=2") == []  # no document, no viewer
    assert viewer_documents("http://a.gov.cn/zwgk/index.html") == []


def test_a_get_form_becomes_a_url_with_its_fields() -> None:
    markup = """<html><body><form action="/module/xxgk/xxgkAnnualReport.jsp" method="get">
<select name="fbtime"><option value="2024">2024年</option><option value="2023" selected>2023年</option></select>
<input type="hidden" name="area" value="113325000026455663">
<input type="checkbox" name="all" value="1"><input type="submit" value="查看年报"></form></body></html>"""
    (h,) = _harvest(markup)
    assert h == Harvested(
        "http://www.xxx.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2023&area=113325000026455663",
        "查看年报", None, "form-get",
    )


def test_a_post_form_keeps_its_fields_as_the_body() -> None:
    form = lxml_html.fromstring("""<form action="search.jsp?currpage=1" method="post" name="xxgkform">
<input type="hidden" name="infotypeId" value="A0102"><input type="hidden" name="area" value="11330100002">
<input type="text" name="vc_title" placeholder="请输入标题"><textarea name="vc_all"></textarea>
<input type="radio" name="texttype" value="0" checked><input type="radio" name="texttype" value="1">
<input type="text" name="disabled_one" value="x" disabled><button type="submit">查询</button></form>""")
    assert form_request("http://www.zj.gov.cn/col/col1525479/index.html", form) == Harvested(
        "http://www.zj.gov.cn/col/col1525479/search.jsp?currpage=1", "查询", "xxgkform", "form-post", "POST",
        "infotypeId=A0102&area=11330100002&vc_title=&vc_all=&texttype=0",
    )


def test_bare_search_boxes_logins_and_script_forms_are_not_sent() -> None:
    for markup in (
        '<form action="/jsearchfront/search.do"><input name="q" placeholder="请输入关键字"><input type="submit" value="搜索"></form>',
        '<form action="/login.do" method="post"><input type="hidden" name="t" value="1">'
        '<input name="u"><input type="password" name="p"></form>',
        '<form action="javascript:doSearch()"><input type="hidden" name="col" value="1"></form>',
    ):
        assert form_request(PAGE, lxml_html.fromstring(markup)) is None, markup
    # a site search box with preset hidden fields is sent empty: list filters ask for everything so
    form = lxml_html.fromstring('<form action="/jsearchfront/search.do"><input type="hidden" name="websiteid"'
                                ' value="330100000000000"><input name="q"></form>')
    assert form_request(PAGE, form) == Harvested(
        "http://www.xxx.gov.cn/jsearchfront/search.do?websiteid=330100000000000&q=", None, None, "form-get"
    )


def test_data_attributes_holding_urls_but_not_images_or_codes() -> None:
    found = _by_url("""<html><body><ul>
<li class="item" data-href="/zwgk/zfxxgknb/202401/t20240115_1.html"><span>2023年度政府信息公开工作年度报告</span>
<span>2024-01-15</span></li>
<li><button data-url="../bmgk/sjj/nb2023.pdf" title="审计局2023年政府信息公开工作年度报告">下载</button></li>
<li><img data-src="/upload/lazy/photo1" src="/img/blank.gif"><div data-original="/img/x.jpg" data-id="10032"
data-appendix="true" data-link="http://www.xxx.gov.cn/art/2024/1/2/art_1229_99.html">2022年年报</div></li></ul></body></html>""")
    assert {u: (h.via, h.text, h.title) for u, h in found.items()} == {
        "http://www.xxx.gov.cn/zwgk/zfxxgknb/202401/t20240115_1.html": ("data-attr", "2023年度政府信息公开工作年度报告", None),
        "http://www.xxx.gov.cn/zwgk/zfxxgk/bmgk/sjj/nb2023.pdf": (
            "data-attr", "下载", "审计局2023年政府信息公开工作年度报告"),
        "http://www.xxx.gov.cn/art/2024/1/2/art_1229_99.html": ("data-attr", "2022年年报", None),
    }


def test_navigation_selects_options() -> None:
    found = _by_url("""<html><head><script>
function goYear(y) { if (y) { location.href = "/zwgk/zfxxgknb/" + y + "/index.html"; } }
</script></head><body>
<select onchange="goYear(this.value)"><option value="">选择年份</option><option value="2023">2023年</option>
<option value="2022">2022年</option></select>
<select name="links" onchange="window.open(this.options[this.selectedIndex].value)">
<option value="0">--部门网站--</option><option value="http://czj.xxx.gov.cn/">县财政局</option></select>
<select name="type"><option value="1">标题</option><option value="2">全文</option></select>
</body></html>""")
    assert {u: (h.via, h.text) for u, h in found.items()} == {
        "http://www.xxx.gov.cn/zwgk/zfxxgknb/2023/index.html": ("option", "2023年"),
        "http://www.xxx.gov.cn/zwgk/zfxxgknb/2022/index.html": ("option", "2022年"),
        "http://czj.xxx.gov.cn/": ("option", "县财政局"),
    }


COUNTY_LIST = """<html><head><title>政府信息公开年报</title>
<script type="text/javascript">
function openDoc(id){ window.location.href = "/zwgk/nb/" + id + ".html"; }
var showNb = function (year, docId) {
    var url = "/zwgk/zfxxgknb/" + year + "/" + docId + ".shtml";
    window.open(url, "_blank");
};
function track(x) { var u = getBase() + x; location.href = u; }
</script></head><body><div class="list"><ul>
<li onclick="openDoc('12345')"><span class="t">某某县2023年政府信息公开工作年度报告</span><span class="d">2024-01-20</span></li>
<li><a href="javascript:showNb('2022', 'a1b2c3')" title="某某县2022年政府信息公开工作年度报告">某某县2022年政府…</a></li>
<li><a href="javascript:;" onclick="window.open('/zwgk/nb/2021.pdf')">某某县2021年政府信息公开工作年度报告</a></li>
<tr onclick="location.href='/zwgk/nb/2020.html'"><td>1</td><td>某某县2020年政府信息公开工作年度报告</td></tr>
<li onclick="track('99')">无法读出</li>
<li><a href="javascript:void(0)" onclick="openDoc(getId())">无法读出</a></li>
</ul></div></body></html>"""


def test_click_handlers_whose_target_the_page_spells_out() -> None:
    found = _by_url(COUNTY_LIST)
    assert {u: (h.via, h.text, h.title) for u, h in found.items()} == {
        "http://www.xxx.gov.cn/zwgk/nb/12345.html": ("onclick", "某某县2023年政府信息公开工作年度报告", None),
        "http://www.xxx.gov.cn/zwgk/zfxxgknb/2022/a1b2c3.shtml": (
            "js-href", "某某县2022年政府…", "某某县2022年政府信息公开工作年度报告"),
        "http://www.xxx.gov.cn/zwgk/nb/2021.pdf": ("onclick", "某某县2021年政府信息公开工作年度报告", None),
        "http://www.xxx.gov.cn/zwgk/nb/2020.html": ("onclick", "某某县2020年政府信息公开工作年度报告", None),
    }


def test_script_functions_and_handler_targets() -> None:
    funcs = script_functions("""
function openDoc(id){ window.location.href = "/zwgk/nb/" + id + ".html"; }
function viewInfo(chnl, id) { document.location.assign('/xxgk/' + chnl + '/content_' + id + '.html'); }
var obj = { show: function(p) { top.location.replace("./detail.jsp?id=" + p); } };
function noNav(a) { return a + 1; }""")
    assert sorted(funcs) == ["openDoc", "show", "viewInfo"]
    assert handler_targets("openDoc('7');return false;", funcs) == ["/zwgk/nb/7.html"]
    assert handler_targets('viewInfo("zfxxgknb", 1024)', funcs) == ["/xxgk/zfxxgknb/content_1024.html"]
    assert handler_targets("obj.show('5')", funcs) == ["./detail.jsp?id=5"]
    assert handler_targets("noNav('1')", funcs) == []
    assert handler_targets("openDoc(this.value)", funcs) == []  # no value to stand for this.value
    assert handler_targets("openDoc(this.value)", funcs, "9") == ["/zwgk/nb/9.html"]
    assert handler_targets("window.location.href = 'list_' + page + '.html'", funcs) == []


def test_script_navigations_of_literals_only() -> None:
    code = """if (isMobile()) { window.location.href = "/m/index.html"; }
setTimeout(function(){ self.location = '/zwgk/index.html'; }, 100);
window.open("/zwgk/tz/" + id + ".html");  xhr.open("GET", "/api/list.json");
location.href = "/static/app.js"; location.hash = "#top"; if (location.href == "/x.html") {}"""
    assert list(script_navigations(code)) == [("/m/index.html", "location"), ("/zwgk/index.html", "location")]
    assert list(script_navigations('window.open("/zwgk/nb/2023.pdf", "_blank")')) == [
        ("/zwgk/nb/2023.pdf", "window-open")
    ]


def test_script_variable_lists_with_nested_json_strings() -> None:
    code = """var itemObj = [{"aT": "国家疾病预防控制局2023年政府信息公开工作年度报告", "aPd": "2024-01-20 17:00",
"aU": "{\\"common\\": \\"/jbkzzx/c100/202401/t20240120_1001.html\\"}"},
{"aT": "关于印发工作要点的通知", "aPd": "2023-05-01 09:00", "aU": "{\\"common\\": \\"/jbkzzx/c100/202305/t20230501_900.html\\"}"}];
var cfg = {"theme": "blue", "logo": "/images/logo.png"};
var pics = [{"src": "/upload/a.jpg", "title": "图片"}];"""
    assert list(script_lists(code)) == [
        ("/jbkzzx/c100/202401/t20240120_1001.html", "国家疾病预防控制局2023年政府信息公开工作年度报告", "script-list"),
        ("/jbkzzx/c100/202305/t20230501_900.html", "关于印发工作要点的通知", "script-list"),
    ]


def test_jsonp_lists_in_scripts_and_as_the_page() -> None:
    code = """jQuery1830_1700000000({"total": 2, "data": {"list": [
{"title": "2023年度报告", "url": "http://www.xxx.gov.cn/zwgk/nb/2023.html"},
{"title": "2022年度报告", "linkurl": "/zwgk/nb/2022.html"}]}});"""
    assert [(u, t, v) for u, t, v in script_lists(code)] == [
        ("http://www.xxx.gov.cn/zwgk/nb/2023.html", "2023年度报告", "jsonp"),
        ("/zwgk/nb/2022.html", "2022年度报告", "jsonp"),
    ]
    found = _by_url(code, "http://www.xxx.gov.cn/api/list.jsonp?callback=jQuery1830_1700000000")
    assert {u: (h.via, h.text) for u, h in found.items()} == {
        "http://www.xxx.gov.cn/zwgk/nb/2023.html": ("jsonp", "2023年度报告"),
        "http://www.xxx.gov.cn/zwgk/nb/2022.html": ("jsonp", "2022年度报告"),
    }


def test_a_whole_portal_page_mixes_everything_and_dedupes() -> None:
    markup = COUNTY_LIST.replace("</ul>", """<li><a href="/zwgk/nb/12345.html">重复：2023年报</a></li></ul>
<script>var itemObj = [{"aT": "2019年报", "aU": "{\\"common\\": \\"/zwgk/nb/2019.html\\"}"}];</script>
<script type="text/xml"><datastore><record><![CDATA[<li><a href="/art/2024/1/1/art_1_1.html">x</a></li>]]></record>
</datastore></script><script src="/js/jquery.js"></script>""")
    found = _harvest(markup)
    urls = [h.url for h in found]
    assert len(urls) == len(set(urls))
    assert "http://www.xxx.gov.cn/zwgk/nb/2019.html" in urls
    assert not any(u.endswith(".js") or "art_1_1" in u for u in urls)  # the datastore is pagination's job
    first = next(h for h in found if h.url.endswith("/zwgk/nb/12345.html"))
    assert first.via == "a" and first.text == "重复：2023年报"


def test_work_is_bounded_on_huge_pages() -> None:
    rows = "".join(f'<li><a href="/zwgk/{i}.html">第{i}条</a></li>' for i in range(MAX_ITEMS + 500))
    assert len(_harvest(f"<html><body><ul>{rows}</ul></body></html>")) == MAX_ITEMS
    filler = "var x = 1;\n" * 50_000  # 550 000 characters of script before the navigation
    markup = f'<html><head><script>{filler}location.href = "/late.html";</script></head><body></body></html>'
    assert _harvest(markup) == []
    unclosed = '<html><head><script>var list = [{"url": "/a.html", "title": "x"' + " " * 400_000 + "</script></head></html>"
    assert _harvest(unclosed) == []


def test_analyse_follows_harvested_items_with_how_they_were_found() -> None:
    from crawler.discovery.page import Hop, analyse

    markup = COUNTY_LIST.replace("</ul>", """</ul>
<form action="/module/xxgk/search.jsp" method="post"><input type="hidden" name="infotypeId" value="A0102">
<input type="hidden" name="area" value="11330100002"><input type="submit" value="政府信息公开年报"></form>
<iframe src="/generic2/web/viewer.html?file=/zwgk/nb/2019原件.pdf" title="某某县2019年政府信息公开工作年度报告"></iframe>""")
    decision = analyse(PAGE, markup, Hop("column", 2, "HDC"), frozenset({"www.xxx.gov.cn"}))
    follows = {f.request.url: f for f in decision.follows}
    # (list protocols may add their own requests for the same page: only these are harvest's)
    assert {u: (f.hop.kind, f.hop.via) for u, f in follows.items()}.items() >= {
        "http://www.xxx.gov.cn/zwgk/nb/12345.html": ("report", "onclick"),
        "http://www.xxx.gov.cn/zwgk/zfxxgknb/2022/a1b2c3.shtml": ("report", "js-href"),
        "http://www.xxx.gov.cn/zwgk/nb/2021.pdf": ("attachment", "onclick"),
        "http://www.xxx.gov.cn/zwgk/nb/2020.html": ("report", "onclick"),
        "http://www.xxx.gov.cn/module/xxgk/search.jsp": ("column", "form-post"),
        "http://www.xxx.gov.cn/zwgk/nb/2019原件.pdf": ("attachment", "viewer"),
    }.items()
    assert {s.url: s.reason for s in decision.skips}[
        "http://www.xxx.gov.cn/generic2/web/viewer.html?file=/zwgk/nb/2019原件.pdf"
    ] == "document viewer: its document is followed instead"
    post = follows["http://www.xxx.gov.cn/module/xxgk/search.jsp"]
    assert (post.request.method, post.request.body) == ("POST", "infotypeId=A0102&area=11330100002")
    assert post.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert post.hop.as_meta()["via"] == "form-post"
    report = follows["http://www.xxx.gov.cn/zwgk/nb/12345.html"]
    assert report.request.method == "GET" and report.hop.link_title == "某某县2023年政府信息公开工作年度报告"


def test_a_menu_written_from_a_hand_written_script_array_is_read() -> None:
    """Inline menus are JavaScript, not JSON: bare and single-quoted keys, trailing commas."""
    from crawler.discovery.scriptnav import script_lists

    code = ("var navData=[{name:\"政府信息公开指南\",url:'/xxgk/zn/index.html'},"
            "{name:'政府信息公开年报',url:\"/xxgk/nb/index.html\"},];"
            "for(var i=0;i<navData.length;i++){html+='<li>'+navData[i].name+'</li>'}")
    assert [(u, t) for u, t, _ in script_lists(code)] == [
        ("/xxgk/zn/index.html", "政府信息公开指南"), ("/xxgk/nb/index.html", "政府信息公开年报")]


LIST_DO = """<html><head><title>信息公开年报</title><script type="text/javascript">
function goPage(n){
  var f = document.getElementById("pageForm");
  f.pageNo.value = n;
  f.submit();
}
function jump(p){ $("#pn").val(p); document.forms["qf"].submit(); }
</script></head><body>
<ul><li><a href="/a/1.html">某县2024年政府信息公开工作年度报告</a></li></ul>
<div class="pagination"><span>共7条 共3页 当前第1页</span>
<a href="javascript:void(0);" onclick="goPage(1)">首页</a>
<a href="javascript:void(0);" onclick="goPage(2)">下一页</a>
<a href="javascript:void(0);" onclick="goPage(3)">尾页</a></div>
<form id="pageForm" name="pageForm" method="post" action="/search/list.do">
<input type="hidden" name="columnId" value="3106"><input type="hidden" name="pageNo" value="1">
<input type="hidden" name="pageSize" value="3"><select name="year"><option value="">全部</option><option>2024</option></select>
</form>
<form name="qf" method="post" action="/xxgk/search.jsp"><input type="hidden" id="pn" name="page" value="1">
<input type="hidden" name="unit" value="12"></form><a href="#" onclick="jump(4)">4</a>
</body></html>"""


def test_script_pagers_that_submit_a_form_are_read_as_that_form_posted() -> None:
    url = "http://www.example.gov.cn/search/list.do"
    found = [(h.url, h.body, h.text, h.via) for h in harvest(url, lxml_html.fromstring(LIST_DO), LIST_DO)
             if h.via == "form-script"]
    # (首页 sends the form as it stands: that request is the form's own, harvested as form-post)
    assert found == [
        (url, "columnId=3106&pageNo=2&pageSize=3&year=", "下一页", "form-script"),
        (url, "columnId=3106&pageNo=3&pageSize=3&year=", "尾页", "form-script"),
        ("http://www.example.gov.cn/xxgk/search.jsp", "page=4&unit=12", None, "form-script"),
    ]


def test_a_function_submitting_a_form_it_did_not_find_itself_is_left_out() -> None:
    from crawler.discovery.formnav import form_functions

    assert form_functions("function go(f, n){ f.page.value = n; f.submit(); }") == {}
    assert form_functions("function go(n){ var f = document.getElementById('x'); f.page.value = next(n); f.submit(); }")["go"].fields == ()
