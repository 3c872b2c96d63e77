"""Scrapy requests survive the trip through a frontier row: URL, method, body, headers,
priority, callback and errback, and the meta the spider reads."""

from __future__ import annotations

from typing import Any

import pytest
import scrapy

from crawler.frontier.requests import continuation, from_frontier, to_frontier
from storage.models import FrontierEntry, FrontierState


class _Spider(scrapy.Spider):
    name = "t"

    def parse_list(self, response: Any) -> None: ...

    def failed(self, failure: Any) -> None: ...


def _entry(fr: Any) -> FrontierEntry:
    return FrontierEntry(run_id=1, fingerprint=fr.key(), url=fr.url, method=fr.method, body=fr.body,
                         priority=fr.priority, depth=fr.depth, meta=dict(fr.meta), state=fr.state)


def test_a_dataproxy_post_round_trips() -> None:
    spider = _Spider()
    hop = {"kind": "list", "depth": 3, "path": "HDCX", "from": "http://a.gov.cn/col/index.html"}
    request = scrapy.Request(
        "http://a.gov.cn/module/jpage/dataproxy.jsp?startrecord=1", method="POST", body=b"col=1&webid=2",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Two": ["a", "b"]}, priority=70,
        callback=spider.parse_list, errback=spider.failed,
        meta={"nianbao": hop, "depth": 3, "nianbao_seen": 15, "download_slot": "a.gov.cn", "playwright": True,
              "nianbao_answer": "search-json"},
    )
    row = to_frontier(request, "fp1", spider)
    assert (row.depth, row.discovered_from, row.fingerprint) == (3, hop["from"], "fp1")
    back = from_frontier(_entry(row), spider)
    assert (back.url, back.method, back.body, back.priority) == (request.url, "POST", b"col=1&webid=2", 70)
    assert back.callback == spider.parse_list and back.errback == spider.failed
    assert back.headers.getlist("X-Two") == [b"a", b"b"]
    assert back.headers.get("Content-Type") == b"application/x-www-form-urlencoded"
    # Only what the spider reads travels (which reader the answer needs, too); download state is
    # rebuilt by the middlewares.
    assert back.meta == {"nianbao": hop, "depth": 3, "nianbao_seen": 15, "nianbao_answer": "search-json"}
    assert not back.dont_filter


def test_a_seed_keeps_dont_filter_and_default_callback() -> None:
    spider = _Spider()
    back = from_frontier(_entry(to_frontier(scrapy.Request("http://a.gov.cn/", dont_filter=True), "s", spider)),
                         spider)
    assert back.dont_filter and back.callback is None


def test_a_callback_the_spider_cannot_name_is_refused() -> None:
    spider = _Spider()
    with pytest.raises(ValueError, match="not a method of spider"):
        to_frontier(scrapy.Request("http://a.gov.cn/", callback=lambda r: None), "x", spider)


def test_a_continuation_is_recorded_done_with_its_origin() -> None:
    row = continuation(scrapy.Request("http://a.gov.cn/new"), "fp-new", "fp-old")
    assert row.state is FrontierState.DONE and row.meta == {"continues": "fp-old"}
