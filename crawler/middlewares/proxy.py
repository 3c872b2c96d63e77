"""Sends plain requests through the configured forward proxy (``--proxy``/``NIANBAO_PROXY`` or
the standard ``https_proxy``/``http_proxy``), except to the hosts of ``no_proxy``.

Sets ``request.meta["proxy"]`` on every request, the proxy's URL or ``None`` (direct), so
Scrapy's HttpProxyMiddleware, which comes after, applies exactly this decision and never its
own reading of the environment. The browser gets the same proxy at launch (crawler/settings.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler

from crawler.context import context_of


def bypassed(url: str, no_proxy: str) -> bool:
    """Whether ``url``'s host is one ``no_proxy`` names: an exact host, a domain suffix
    (``.gov.cn`` or ``gov.cn``), ``host:port``, or ``*`` for every host (curl's rules)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = str(parts.port or (443 if parts.scheme == "https" else 80))
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, want_port = entry.partition(":") if entry.count(":") == 1 else (entry, "", "")
        if want_port and want_port != port:
            continue
        name = name.lstrip("*").lstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False


def proxy_for(url: str, proxy: str, no_proxy: str) -> str | None:
    """The proxy a request to ``url`` goes through (None: direct)."""
    if not proxy or bypassed(url, no_proxy):
        return None
    return proxy


class ProxyMiddleware:
    """Downloader middleware: decides each plain request's proxy from the crawl's config."""

    def __init__(self, proxy: str, no_proxy: str) -> None:
        self.proxy = proxy
        self.no_proxy = no_proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyMiddleware:
        config = context_of(crawler).config
        return cls(config.proxy, config.no_proxy)

    def process_request(self, request: Request) -> None:
        request.meta["proxy"] = proxy_for(request.url, self.proxy, self.no_proxy)
