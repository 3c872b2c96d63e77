"""Scrapy's check for generator callbacks that return a value, made once here.

The crawl turns Scrapy's per-response check off (``WARN_ON_GENERATOR_RETURN_VALUE``: it re-reads
the callback's source on every response), so this test keeps what the check guards: a value
returned from a generator callback is silently dropped by Scrapy.
"""

from __future__ import annotations

import inspect

import pytest
from scrapy.utils.misc import is_generator_with_return_value

from crawler.config import CrawlConfig
from crawler.settings import scrapy_settings
from spiders.reports import ReportsSpider

CALLBACKS = sorted(
    name for name, fn in vars(ReportsSpider).items()
    if inspect.isfunction(fn) and inspect.isgeneratorfunction(inspect.unwrap(fn))
)


def test_the_spider_has_generator_callbacks() -> None:
    assert {"parse_page", "parse_datastore", "parse_json", "failed"} <= set(CALLBACKS)


@pytest.mark.parametrize("name", CALLBACKS)
def test_no_generator_callback_returns_a_value(name: str) -> None:
    fn = vars(ReportsSpider)[name]
    assert not is_generator_with_return_value(inspect.unwrap(fn)), f"ReportsSpider.{name} returns a value"


def test_the_check_finds_a_returned_value() -> None:
    def callback(response: object):  # type: ignore[no-untyped-def]
        yield response
        return 1

    assert is_generator_with_return_value(callback)


def test_crawl_settings_turn_the_per_response_check_off_and_items_down() -> None:
    settings = scrapy_settings(CrawlConfig())
    assert settings["WARN_ON_GENERATOR_RETURN_VALUE"] is False
    assert 1 <= settings["CONCURRENT_ITEMS"] < 100
