"""A live progress display for interactive crawls: pages, captures, reports and errors per host."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.internet.task import LoopingCall

from crawler.context import context_of


class ProgressExtension:
    """Refreshes a rich table twice a second while the crawl runs."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.ctx = context_of(crawler)
        self.hosts: Counter[str] = Counter()
        self.host_errors: Counter[str] = Counter()
        self.live = Live(self._table(), console=Console(stderr=True), refresh_per_second=4, transient=False)
        self.loop = LoopingCall(self._refresh)
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)
        crawler.signals.connect(self._response, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        return cls(crawler)

    def _opened(self) -> None:
        self.live.start()
        self.loop.start(0.5)

    def _closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self._refresh()
        self.live.stop()

    def _response(self, response: Response) -> None:
        host = urlsplit(response.url).netloc
        self.hosts[host] += 1
        if response.status >= 400:
            self.host_errors[host] += 1

    def _refresh(self) -> None:
        self.live.update(self._table())

    def _table(self) -> Table:
        c = self.ctx.counts
        t = Table(title=f"run {self.ctx.run_id}: pages {sum(self.hosts.values())}  captures {c.get('captures', 0)}  "
                        f"rendered {c.get('rendered', 0)}  reports {c.get('reports', 0)}  errors {c.get('errors', 0)}")
        t.add_column("host")
        t.add_column("pages", justify="right")
        t.add_column("HTTP errors", justify="right")
        for host, n in self.hosts.most_common(12):
            t.add_row(host, str(n), str(self.host_errors[host]))
        return t
