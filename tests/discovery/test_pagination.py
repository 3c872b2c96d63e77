"""List-page pagination styles (crawler.discovery.pagination)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from crawler.discovery.pagination import (
    datastore_records,
    datastore_total,
    gkmlpt_requests,
    jcms_requests,
    json_list,
    record_links,
    trs_pages,
)


def test_trs_create_page_html() -> None:
    page = '<ul>…</ul><script>createPageHTML(4, 0, "index", "html");</script>'
    urls = [r.url for r in trs_pages("http://x.gov.cn/zwgk/zfxxgknb/index.html", page)]
    assert urls == [
        "http://x.gov.cn/zwgk/zfxxgknb/index.html",
        "http://x.gov.cn/zwgk/zfxxgknb/index_1.html",
        "http://x.gov.cn/zwgk/zfxxgknb/index_2.html",
        "http://x.gov.cn/zwgk/zfxxgknb/index_3.html",
    ]


def test_trs_create_page_html_with_variables() -> None:
    page = '<script>var currentPage = 0;//所在页从0开始\nvar countPage = 3//共多少页\ncreatePageHTML(countPage, currentPage, "index", "shtml");</script>'
    urls = [r.url for r in trs_pages("http://x.gov.cn/a/", page)]
    assert urls == ["http://x.gov.cn/a/index.shtml", "http://x.gov.cn/a/index_1.shtml", "http://x.gov.cn/a/index_2.shtml"]


def test_trs_count_page_variable_and_no_pager() -> None:
    assert len(trs_pages("http://x.gov.cn/a/", "<script>var countPage = 3;</script>")) == 3
    assert trs_pages("http://x.gov.cn/a/", "<p>no pager</p>") == []


JCMS = """<div id="212860"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=33718&unitid=212860"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2026/1/11/art_33718_1.html' title='示范市2025年政府信息公开工作年度报告' target="_blank">示范市2025年政府信息...</a><span>2026-01-11</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2025/1/20/art_33718_2.html' title='示范市2024年政府信息公开工作年度报告'>示范市2024年</a></li>]]></record>
</recordset></datastore></script></div>
<script>var param_212860 = {col:1,appid:1,webid:1,path:'/',columnid:33718,sourceContentType:1,unitid:'212860',webname:'示范市人民政府',permissiontype:0};
$('#212860').jpage({ proxyUrl:'/module/web/jpage/dataproxy.jsp', totalRecord:50, perPage:15, groupSize:3 });</script>"""


def test_jcms_embedded_records_and_dataproxy_posts() -> None:
    records = datastore_records(JCMS)
    assert len(records) == 2
    links = record_links(records[0], "http://x.gov.cn/col/col33718/index.html")
    assert links == [
        ("http://x.gov.cn/art/2026/1/11/art_33718_1.html", "示范市2025年政府信息公开工作年度报告")
    ]
    reqs = jcms_requests("http://x.gov.cn/col/col33718/index.html", JCMS)
    ranges = [parse_qs(urlsplit(r.url).query) for r in reqs]
    assert [(q["startrecord"][0], q["endrecord"][0], q["perpage"][0]) for q in ranges] == [
        ("3", "47", "15"),
        ("48", "50", "15"),
    ]
    assert all(r.method == "POST" and r.kind == "datastore" for r in reqs)
    form = parse_qs(reqs[0].body or "")
    assert (
        form["columnid"] == ["33718"]
        and form["unitid"] == ["212860"]
        and form["webname"] == ["示范市人民政府"]
    )
    assert reqs[0].headers["Referer"] == "http://x.gov.cn/col/col33718/index.html"


def test_dataproxy_answer() -> None:
    xml = (
        "<datastore><totalrecord>940</totalrecord><totalpage>63</totalpage><recordset>"
        '<record><![CDATA[ <li><a href="/art/2026/6/10/art_6278_1.html" title="t">t</a></li> ]]></record>'
        "</recordset></datastore>"
    )
    assert datastore_total(xml) == 940
    assert len(datastore_records(xml)) == 1


def test_gkmlpt_api_and_json_paging() -> None:
    reqs = gkmlpt_requests("http://x.gov.cn/gkmlpt/annualreport#2629", "var SID: '755031'")
    assert [r.url for r in reqs] == ["http://x.gov.cn/gkmlpt/api/all/2629?page=1&sid=755031"]
    body = json.dumps(
        {
            "total": 3,
            "articles": [
                {"url": "/gkmlpt/content/1/1/post_1.html", "title": "a"},
                {"url": "http://x.gov.cn/gkmlpt/content/1/1/post_2.html", "title": "b"},
            ],
        }
    )
    page = json_list(reqs[0].url, body)
    assert page.items[0] == ("http://x.gov.cn/gkmlpt/content/1/1/post_1.html", "a")
    assert page.next is not None and "page=2" in page.next.url
    last = json_list(
        page.next.url, json.dumps({"total": 3, "articles": [{"url": "/p3.html", "title": "c"}]}), 2
    )
    assert last.next is None
