"""The baseline for bench_crawl.py: a bare Scrapy spider that follows every same-host link and
does nothing else (no archive, no parsing, no database). Run as a script in its own process:

    python bench/bare_spider.py URL MAX_PAGES CONCURRENCY [tuned]

``tuned`` gives it what nianbao's crawl changes from Scrapy's defaults for speed: the settings
``CONCURRENT_ITEMS`` 8 and ``WARN_ON_GENERATOR_RETURN_VALUE`` off, and ``gc.freeze()`` of the
start-up objects; bench_crawl.py shows the ratio against a bare spider tuned that way too."""

from __future__ import annotations

import gc
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start: str, **kw: object) -> None:
        super().__init__(**kw)
        self.start_urls = [start]
        self.netloc = urlsplit(start).netloc
        self.links = LinkExtractor()

    def parse(self, response: scrapy.http.Response):  # type: ignore[no-untyped-def]
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for link in self.links.extract_links(response):
            if urlsplit(link.url).netloc == self.netloc:
                yield scrapy.Request(link.url, callback=self.parse)


def main() -> None:
    start, max_pages, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tuned = {"CONCURRENT_ITEMS": 8, "WARN_ON_GENERATOR_RETURN_VALUE": False} if sys.argv[4:] == ["tuned"] else {}
    process = CrawlerProcess(tuned | {
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "CLOSESPIDER_PAGECOUNT": max_pages,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor", "TELNETCONSOLE_ENABLED": False,
    })
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start=start)
    if tuned:
        gc.collect()
        gc.freeze()
    process.start()
    print(f"PAGES {crawler.stats.get_value('response_received_count', 0)}")


if __name__ == "__main__":
    main()
