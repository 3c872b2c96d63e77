"""Slow and endless hosts cannot hold the crawl.

A host that trickles a byte a second would otherwise keep a download slot until the total
timeout (``timeout_s``), then again for every retry. Here:

- **minimum rate**: a download must receive ``min_rate_bps`` bytes a second over each window of
  ``rate_window_s`` seconds (measured from its headers, on Scrapy's ``bytes_received`` signal);
  a slower one is cut, logged (``slow``) and fails with :class:`TooSlow` (not retried);
- **timeouts**: a request that hits the total timeout is retried at most ``timeout_retries``
  times (Scrapy's retry then gives up);
- **back-off per host**: after ``host_timeouts`` timeouts or rate cuts in a row (any response
  from the host resets the count) the crawl stops sending requests to that host: one
  ``host-given-up`` line, then each of its requests fails at once with :class:`HostGivenUp`;
- **endless bodies**: a body that grows past the size limit (``max_download_mb``) without a
  Content-Length saying so is cut there, not thrown away: the bytes received are archived with
  ``WARC-Truncated: length`` (the archive middleware sees ``nianbao_truncated``), then the
  request fails with :class:`Truncated`, so nobody parses half a document. A response whose
  Content-Length already exceeds the limit is refused by Scrapy before its body is read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, StopDownload
from scrapy.http import Response
from twisted.internet.error import TCPTimedOutError
from twisted.internet.error import TimeoutError as ConnectTimeout

from crawler.context import CrawlContext, context_of

TRUNCATED_KEY = "nianbao_truncated"
"""Request meta: the ``WARC-Truncated`` reason of a response cut short (``length``)."""

_TIMEOUTS = (DownloadTimeoutError, ConnectTimeout, TCPTimedOutError)


class TooSlow(Exception):
    """A download stayed under the minimum rate for a whole window and was cut."""


class Truncated(Exception):
    """A body reached the size limit; what arrived is archived as truncated."""


class HostGivenUp(IgnoreRequest):
    """The host timed out too often in a row; the crawl sends it nothing more."""


@dataclass
class _Stream:
    """Progress of one download: bytes since the current window began."""

    total: int = 0
    window_start: float = 0.0
    window_bytes: int = 0


def too_slow(window_bytes: int, elapsed: float, min_rate: float) -> bool:
    """Whether ``window_bytes`` over ``elapsed`` seconds falls short of ``min_rate`` bytes/s."""
    return elapsed > 0 and window_bytes < min_rate * elapsed


class SlowHostMiddleware:
    """Downloader middleware (and signal handler): rate floor, timeout back-off, size cut."""

    def __init__(self, ctx: CrawlContext, crawler: Crawler) -> None:
        config = ctx.config
        self.ctx = ctx
        self.crawler = crawler
        self.min_rate = float(config.min_rate_bps)
        self.window = config.rate_window_s
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.host_timeouts = config.host_timeouts
        self.timeout_retries = config.timeout_retries
        self._streams: WeakKeyDictionary[Request, _Stream] = WeakKeyDictionary()
        self._strikes: dict[str, int] = {}
        self._given_up: set[str] = set()
        crawler.signals.connect(self._headers, signal=signals.headers_received)
        crawler.signals.connect(self._bytes, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SlowHostMiddleware:
        return cls(context_of(crawler), crawler)

    def process_request(self, request: Request) -> None:
        host = _host(request.url)
        if host in self._given_up:
            raise HostGivenUp(f"{host} given up after {self.host_timeouts} timeouts in a row")

    def process_response(self, request: Request, response: Response) -> Response:
        self._streams.pop(request, None)
        self._strikes.pop(_host(request.url), None)
        if request.meta.get(TRUNCATED_KEY) and "download_stopped" in response.flags:
            limit = request.meta.get("download_maxsize", self.maxsize)
            raise Truncated(f"body cut at the size limit ({limit} bytes): {len(response.body)} bytes archived "
                            "as truncated")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._streams.pop(request, None)
        slow = request.meta.pop("nianbao_slow", None) if isinstance(exception, StopDownload) else None
        if slow is None and not isinstance(exception, _TIMEOUTS):
            return
        self._strike(request, slow)
        if slow is not None:
            raise TooSlow(slow)
        if request.meta.get("retry_times", 0) >= self.timeout_retries or _host(request.url) in self._given_up:
            request.meta["dont_retry"] = True

    def _strike(self, request: Request, cut: str | None) -> None:
        """Count a timeout (``cut`` None; Scrapy's retry logs it) or a rate cut (``cut``: why)."""
        host = _host(request.url)
        strikes = self._strikes[host] = self._strikes.get(host, 0) + 1
        self.ctx.bump("timeouts")
        if cut is not None:
            self.ctx.log.write("slow", request.url, reason=cut, strikes=strikes)
        if strikes >= self.host_timeouts and host not in self._given_up:
            self._given_up.add(host)
            self.ctx.bump("hosts_given_up")
            self.ctx.log.write("host-given-up", f"{urlsplit(request.url).scheme}://{host}/",
                               reason=f"{strikes} timeouts or rate cuts in a row; its remaining requests are not sent")
            self._drop_queued(host)

    def _drop_queued(self, host: str) -> None:
        """Fail the host's requests already waiting in the downloader's slot queues: they passed
        :meth:`process_request` when they entered the downloader, before the host was given up.
        (Scrapy keeps them in ``Downloader.slots[key].queue`` as (request, deferred) pairs.)"""
        downloader = getattr(self.crawler.engine, "downloader", None)
        for slot in list(getattr(downloader, "slots", {}).values()):
            queue = getattr(slot, "queue", None)
            if not queue:
                continue
            for entry in [e for e in queue if _host(e[0].url) == host]:
                queue.remove(entry)
                entry[1].errback(HostGivenUp(f"{host} given up after {self.host_timeouts} timeouts in a row"))

    def _headers(self, request: Request, **_: object) -> None:
        self._streams[request] = _Stream(window_start=time.monotonic())

    def _bytes(self, data: bytes, request: Request, **_: object) -> None:
        stream = self._streams.get(request)
        now = time.monotonic()
        if stream is None:
            stream = self._streams[request] = _Stream(window_start=now)
        stream.total += len(data)
        stream.window_bytes += len(data)
        limit = request.meta.get("download_maxsize", self.maxsize)
        if limit and stream.total > limit:
            request.meta[TRUNCATED_KEY] = "length"
            raise StopDownload(fail=False)
        elapsed = now - stream.window_start
        if not self.min_rate or elapsed < self.window:
            return
        if too_slow(stream.window_bytes, elapsed, self.min_rate):
            request.meta["nianbao_slow"] = (f"under {self.min_rate:g} B/s: {stream.window_bytes} bytes in "
                                            f"{elapsed:.1f} s (after {stream.total} bytes)")
            raise StopDownload(fail=True)
        stream.window_start, stream.window_bytes = now, 0


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
