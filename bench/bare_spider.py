"""The baseline for bench_crawl.py: a bare Scrapy spider that follows every same-host link and
does nothing else (no archive, no parsing, no database). Run as a script in its own process."""

from __future__ import annotations

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
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "CLOSESPIDER_PAGECOUNT": max_pages,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor", "TELNETCONSOLE_ENABLED": False,
    })
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start=start)
    process.start()
    print(f"PAGES {crawler.stats.get_value('response_received_count', 0)}")


if __name__ == "__main__":
    main()
