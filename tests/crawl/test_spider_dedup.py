"""The spider does not rebuild a plain GET request it has yielded (the scheduler would drop it),
but never takes a POST or a request with its own headers for a repeat of another one."""

from __future__ import annotations

from typing import Any, cast

from crawler.discovery.pagination import PageRequest
from spiders.reports import ReportsSpider


def _spider() -> ReportsSpider:
    return ReportsSpider(ctx=cast(Any, None))


def test_a_plain_get_is_built_once() -> None:
    spider = _spider()
    first = PageRequest("http://a.gov.cn/list/index_2.html")
    assert not spider._yielded_before(first)
    spider._mark_yielded(first)
    assert spider._yielded_before(PageRequest("http://a.gov.cn/list/index_2.html", kind="list"))
    assert not spider._yielded_before(PageRequest("http://a.gov.cn/list/index_3.html"))


def test_posts_and_requests_with_headers_are_left_to_the_scheduler() -> None:
    spider = _spider()
    url = "http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45"
    spider._mark_yielded(PageRequest(url))
    for other in (
        PageRequest(url, "POST", "col=1&webid=1&columnid=2", kind="datastore"),
        PageRequest(url, "POST", "col=1&webid=1&columnid=3", kind="datastore"),
        PageRequest(url, headers={"X-Requested-With": "XMLHttpRequest"}, kind="json"),
    ):
        assert not spider._yielded_before(other), other
        spider._mark_yielded(other)
    assert not spider._yielded_before(PageRequest(url, "POST", "col=1&webid=1&columnid=2", kind="datastore"))
