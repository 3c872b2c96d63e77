"""Challenge, shell and soft-404 detection (crawler.fetch.detect)."""

from __future__ import annotations

from crawler.fetch.detect import PageState, page_state

RUISHU = """<html><head><meta id="9DhefwqGPrzJ" content="ZfkOaH3JmQ" r='m'>
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=52206;$_ts.cd="qtJDrp";</script>
<script type="text/javascript" charset="utf-8" src="/Ux8t3ZxN/c.FxJzG50F.dfe1675.js" r='m'></script></head></html>
<script>_$gW();</script>"""
JSL = "<script>document.cookie=('_')+('_jsl_clearance_s=')+(1649676858)+('|0|x');location.href=location.pathname+location.search</script>"
ARTICLE = (
    "<html><head><title>示范市2023年政府信息公开工作年度报告</title></head><body><div class='TRS_Editor'>"
    + "<p>根据《中华人民共和国政府信息公开条例》……</p>" * 40
    + "</div></body></html>"
)
SHELL = (
    "<html><head><script>var SID: '755031'</script><script src='/gkmlpt/static/app.js'></script></head>"
    "<body><div id='app'></div></body></html>"
)


def test_ruishu_412_is_a_challenge() -> None:
    assert page_state(412, RUISHU, "text/html") is PageState.CHALLENGE


def test_ruishu_200_with_ts_is_a_challenge() -> None:
    assert page_state(200, RUISHU, "text/html") is PageState.CHALLENGE


def test_jiasule_521_is_a_challenge() -> None:
    assert page_state(521, JSL, "text/html") is PageState.CHALLENGE


def test_article_is_content_even_with_scripts() -> None:
    page = ARTICLE.replace("</body>", "<script>window.location.reload()</script></body>")
    assert page_state(200, ARTICLE, "text/html; charset=utf-8") is PageState.CONTENT
    assert page_state(200, page, "text/html") is PageState.CONTENT


def test_script_shell() -> None:
    assert page_state(200, SHELL, "text/html") is PageState.SHELL


def test_portal_page_linking_to_a_script_platform_is_content() -> None:
    page = ("<html><head><title>政务公开</title></head><body><div class='nav'><a href='/gkmlpt/index'>信息公开目录</a>"
            "</div><ul><li><a href='/gkmlpt/annualreport#2629'>政府信息公开年报</a></li></ul></body></html>")
    assert page_state(200, page, "text/html") is PageState.CONTENT


def test_article_filled_by_script_is_a_shell() -> None:
    page = ("<html><head><title>南湾区人民政府门户网站</title></head><body><div id=\"content\"></div>"
            "<script>window._CONFIG = {\"DETAIL\": {\"content\": \"\\u003cp\\u003e…\"}};</script>"
            "<script src=\"/gkmlpt/static/js/detail.js\"></script></body></html>")
    assert page_state(200, page, "text/html") is PageState.SHELL


def test_soft_404() -> None:
    assert (
        page_state(200, "<html><body><h1>对不起，您访问的页面不存在！</h1></body></html>", "text/html")
        is PageState.SOFT_404
    )


def test_binary_is_content() -> None:
    assert page_state(200, b"%PDF-1.7 \x00\x01", "application/pdf") is PageState.CONTENT
    assert page_state(200, b"%PDF-1.7 \x00\x01", "application/octet-stream") is PageState.CONTENT
