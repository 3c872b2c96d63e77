"""Every shell and challenge marker of crawler.fetch.detect, in any letter case, and where in a
page each one counts."""

from __future__ import annotations

import pytest

from crawler.fetch.detect import PageState, page_state

SHELLS = [
    "<ul><li v-for=\"a in list\">{{ a.title }}</li></ul>",
    "<ul><li V-FOR=\"a in list\"></li></ul>",
    "<ul><li ng-repeat=\"a in list\"></li></ul>",
    "<ul><li NG-Repeat=\"a in list\"></li></ul>",
    "<div DATA-SRC='/api/list'></div>",
    "<script>Fetch( '/gkmlpt/api/all/2629')</script>",
    "<DIV class='x' ID=\"root\" >\n</DIV>",
    "<script type='text/template'>{{=it.title}}</script>",
]


@pytest.mark.parametrize("marker", SHELLS)
def test_shell_markers_in_any_case(marker: str) -> None:
    page = f"<html><head><title>列表</title></head><body>{marker}<p>加载中</p></body></html>"
    assert page_state(200, page, "text/html") is PageState.SHELL
    assert page_state(200, page.encode("utf-8"), "text/html; charset=utf-8") is PageState.SHELL


@pytest.mark.parametrize("near_miss", ["v-form=", "data-src='/img/a.png'", "fetch('/x/list')", "<div id='app'>正文</div>"])
def test_near_misses_are_content(near_miss: str) -> None:
    page = f"<html><body><p>{near_miss}</p></body></html>"
    assert page_state(200, page, "text/html") is PageState.CONTENT


def test_soft_404_and_blocked_words_only_count_in_a_small_page() -> None:
    small = "<html><body><p>对不起，您访问的页面不存在</p></body></html>"
    large = "<html><body>" + "<p>正文内容。</p>" * 1000 + "<p>页面不存在</p><p>访问异常</p></body></html>"
    assert page_state(200, small, "text/html") is PageState.SOFT_404
    assert page_state(200, "<html><body>访问异常，请稍后再试</body></html>", "text/html") is PageState.BLOCKED
    assert page_state(200, large, "text/html") is PageState.CONTENT


def test_a_challenge_marker_past_the_first_20000_characters_does_not_count() -> None:
    page = "<html><body>" + "<p>正文</p>" * 3000 + "<script>$_ts=window['$_ts'];</script></body></html>"
    assert page_state(200, page, "text/html") is PageState.CONTENT
    assert page_state(200, page[-200:], "text/html") is PageState.CHALLENGE
