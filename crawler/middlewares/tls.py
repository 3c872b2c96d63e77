"""Records, once per HTTPS host, whether its certificate verified (crawl log ``event: "tls"``).

The crawl itself never verifies (a broken chain must not stop it); this middleware checks each
``host:port`` the first time a response from it arrives, in a thread, with
:func:`crawler.fetch.tls.certificate_problem`, and writes one line: ``verified`` true or false,
and the ``reason``. Unverified hosts are counted (``tls_unverified``).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.context import CrawlContext, context_of
from crawler.fetch.tls import certificate_problem
from crawler.middlewares.proxy import proxy_for


class TlsCheckMiddleware:
    """Downloader middleware: one certificate check per HTTPS host, logged."""

    def __init__(self, ctx: CrawlContext) -> None:
        self.ctx = ctx
        self.seen: set[tuple[str, int]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TlsCheckMiddleware:
        return cls(context_of(crawler))

    async def process_response(self, request: Request, response: Response) -> Response:
        parts = urlsplit(request.url)
        if parts.scheme != "https" or not parts.hostname:
            return response
        key = (parts.hostname, parts.port or 443)
        if key in self.seen:
            return response
        self.seen.add(key)
        config = self.ctx.config
        proxy = proxy_for(request.url, config.proxy, config.no_proxy)
        address = str(response.ip_address) if response.ip_address and not proxy else None
        problem = await asyncio.to_thread(certificate_problem, key[0], key[1], proxy,
                                          min(config.timeout_s, 15.0), None, address)
        origin = f"https://{key[0]}:{key[1]}/"
        self.ctx.log.write("tls", origin, verified=problem is None, reason=problem or "certificate verified")
        if problem is not None:
            self.ctx.bump("tls_unverified")
        return response
