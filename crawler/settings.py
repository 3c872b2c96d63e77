"""Scrapy settings for nianbao crawls, derived from one validated :class:`CrawlConfig`.

``scrapy.cfg`` points here so ``scrapy list`` works; a crawl is started by
:func:`crawler.runner.run_crawl`, which calls :func:`scrapy_settings` with its context.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.config import CHROMIUM_ARGS, CrawlConfig
from crawler.fetch.addresses import parse_hosts
from crawler.fetch.browserguard import BrowserGuard

BOT_NAME = "nianbao"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def scrapy_settings(config: CrawlConfig) -> dict[str, Any]:
    """The full settings dictionary of a crawl process."""
    return {
        "BOT_NAME": BOT_NAME,
        "SPIDER_MODULES": SPIDER_MODULES,
        "TWISTED_REACTOR": TWISTED_REACTOR,
        "USER_AGENT": config.user_agent,
        "ROBOTSTXT_OBEY": config.obey_robots,
        "ROBOTSTXT_PARSER": "scrapy.robotstxt.ProtegoRobotParser",
        "CONCURRENT_REQUESTS": config.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.per_host,
        "DOWNLOAD_DELAY": config.download_delay,
        "AUTOTHROTTLE_ENABLED": config.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(config.download_delay, 0.05),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(config.per_host),
        "DOWNLOAD_TIMEOUT": config.timeout_s,
        "DOWNLOAD_MAXSIZE": config.max_download_mb * 2**20,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": config.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        # The internal-address guard: every DNS answer a plain request connects to is judged
        # (crawler/fetch/resolver.py), and so is every request of a rendered page.
        "TWISTED_DNS_RESOLVER": "crawler.fetch.resolver.GuardedResolver",
        "NIANBAO_ALLOW_INTERNAL": list(config.allow_internal),
        "NIANBAO_RESOLVE": parse_hosts(config.resolve),
        "NIANBAO_RESOLVER_EXEMPT": _proxy_hosts(config),
        "PLAYWRIGHT_ABORT_REQUEST": BrowserGuard(config.allow_internal, parse_hosts(config.resolve),
                                                 tuple(_proxy_hosts(config))),
        "REDIRECT_MAX_TIMES": 10,
        "DEPTH_LIMIT": 0,
        "CLOSESPIDER_PAGECOUNT": config.max_pages,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy starts CONCURRENT_ITEMS + 1 asyncio tasks for the output of every response
        # (requests and items alike); a nianbao callback yields at most one item, so 100 (the
        # default) costs ~1.3 ms a page for nothing. Pipeline work still overlaps across responses.
        "CONCURRENT_ITEMS": 8,
        # Scrapy re-reads a callback's source on every response to warn about generators that
        # return a value (its cache misses for decorated methods); tests/crawl/test_spider_callbacks.py
        # makes the same check once, at test time.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "LOG_LEVEL": "WARNING",
        "LOG_INSTALL_ROOT_HANDLER": True,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,  # scope is decided per site, by host:port
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middlewares.retry.PoliteRetryMiddleware": 550,
            "crawler.middlewares.proxy.ProxyMiddleware": 740,  # decides; HttpProxyMiddleware (750) applies
            "crawler.middlewares.guard.AddressGuardMiddleware": 50,  # before robots.txt (100) is asked for
            "crawler.middlewares.slow.SlowHostMiddleware": 958,  # a size cut fails after the archive wrote it
            "crawler.middlewares.tls.TlsCheckMiddleware": 945,
            "crawler.middlewares.render.BrowserCookiesMiddleware": 701,
            "crawler.middlewares.cookiejar.CookieJarKeeper": 699,  # restores the jar before Scrapy adds cookies
            "crawler.middlewares.conditional.ConditionalMiddleware": 940,
            "crawler.middlewares.render.RenderMiddleware": 950,
            "crawler.frontier.replay.ReplayMiddleware": 955,
            "crawler.middlewares.archive.ArchiveMiddleware": 960,
            "crawler.middlewares.render.SettleMiddleware": 970,
        },
        # The frontier scheduler records every request in the database and filters duplicates
        # itself (by Scrapy's fingerprint), so a killed crawl can resume (crawler/frontier).
        "SCHEDULER": "crawler.frontier.scheduler.FrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "ITEM_PIPELINES": {"crawler.pipelines.reports.ReportsPipeline": 300},
        "EXTENSIONS": {"scrapy.extensions.telnet.TelnetConsole": None},
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": _launch_options(config),
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": config.browser_pages,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": config.timeout_s * 1000,
        "PLAYWRIGHT_MAX_CONTEXTS": 2,
        # The browser keeps its own headers and cookies (a challenge's reload must carry the cookie
        # its script just computed), but speaks with the crawler's User-Agent (the render
        # middleware opens its contexts with it): 瑞数-style cookies are bound to the UA, so the
        # plain requests that reuse them must present the same one. No startup contexts: the
        # browser is launched on first need, so a crawl that needs none never starts it.
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": None,
    }


def _launch_options(config: CrawlConfig) -> dict[str, Any]:
    """Chromium's launch options: the crawl's proxy too, so rendered pages travel the same way as
    plain ones (a portal that answers only through the proxy answers the browser too)."""
    options: dict[str, Any] = {"executable_path": config.chromium_path, "headless": True,
                               "args": list(CHROMIUM_ARGS)}
    if config.resolve:  # the same fixed DNS answers as plain requests
        rules = ", ".join(f"MAP {name} {f'[{ip}]' if ':' in ip else ip}"
                          for name, ip in parse_hosts(config.resolve).items())
        options["args"].append(f"--host-resolver-rules={rules}")
    if config.proxy:
        parts = urlsplit(config.proxy)
        proxy: dict[str, str] = {"server": f"{parts.scheme}://{parts.hostname}:{parts.port}"}
        if parts.username:
            proxy["username"] = unquote(parts.username)
            proxy["password"] = unquote(parts.password or "")
        bypass = ",".join(e.strip() for e in config.no_proxy.split(",") if e.strip())
        if bypass:
            proxy["bypass"] = bypass
        options["proxy"] = proxy
    return options


def _proxy_hosts(config: CrawlConfig) -> list[str]:
    """The configured proxy's host: exempt from the internal-address guard (the operator named it)."""
    host = urlsplit(config.proxy).hostname if config.proxy else None
    return [host.lower()] if host else []
