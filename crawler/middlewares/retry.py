"""Retries that respect the server: Retry-After on 429/503, exponential back-off otherwise."""

from __future__ import annotations

import asyncio

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

from crawler.middlewares.encoding import CUT_FLAG, CUT_KEY

MAX_WAIT = 120.0


class CutStream(Exception):
    """An answer's Content-Encoding stream ended early on every try (crawler/middlewares/encoding.py)."""


_BROWSER_TRANSIENT = ("CONNECTION_RESET", "CONNECTION_CLOSED", "CONNECTION_ABORTED", "EMPTY_RESPONSE",
                      "CONTENT_LENGTH_MISMATCH", "CONTENT_DECODING_FAILED", "INCOMPLETE_CHUNKED_ENCODING")


def browser_network_error(exception: Exception) -> bool:
    """A browser navigation that failed on the network (``net::ERR_CONNECTION_RESET``, a
    Content-Length mismatch, a body that does not decode…): the same transient failure a plain
    request is retried for, raised by Playwright instead. (Aborted requests — the address
    guard's refusals — are not among them.)"""
    return isinstance(exception, PlaywrightError) and any(f"net::ERR_{c}" in str(exception)
                                                          for c in _BROWSER_TRANSIENT)


def browser_goto_timeout(exception: Exception) -> bool:
    """A navigation whose load never came. Chromium commits a page whose document then fails
    mid-body (reset, Content-Length mismatch) and never fires ``load``, so Playwright's goto
    times out instead of failing: retried like a timeout (at most ``timeout_retries`` times)."""
    return isinstance(exception, PlaywrightTimeoutError) and "Page.goto" in str(exception)


def retry_after(response: Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form), capped; None when absent."""
    raw = response.headers.get(b"Retry-After")
    if not raw:
        return None
    try:
        return min(max(float(raw.decode("latin-1").strip()), 0.0), MAX_WAIT)
    except ValueError:
        return None


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting as long as the server asks (Retry-After) or backing off."""

    crawler: Crawler

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        cut = request.meta.pop(CUT_KEY, None)
        if CUT_FLAG in response.flags:
            return await self._cut(request, response, cut or "encoded stream cut short")
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        tries = request.meta.get("retry_times", 0)
        wait = retry_after(response)
        if wait is None:
            wait = min(0.5 * 2**tries, 8.0)
        retry = self._retry(request, f"HTTP {response.status}")
        ctx = getattr(self.crawler.spider, "ctx", None)
        if ctx is not None:
            ctx.log.write("retry" if retry else "failed", response.url, status=response.status,
                          reason=f"HTTP {response.status}" + ("" if retry else f", gave up after {tries} retries"),
                          wait=wait if retry else None)
        if retry is None:
            return response
        await asyncio.sleep(wait)
        return retry

    async def _cut(self, request: Request, response: Response, why: str) -> Request:
        """An answer whose encoded stream ends early (archived as truncated): asked again, or,
        once the retries are spent, a failure — half a page is never handed on as the page."""
        tries = request.meta.get("retry_times", 0)
        retry = None if request.meta.get("dont_retry") else self._retry(request, why)
        ctx = getattr(self.crawler.spider, "ctx", None)
        if ctx is not None:
            ctx.log.write("retry" if retry else "failed", response.url, status=response.status,
                          reason=why + ("" if retry else f", gave up after {tries} retries"))
        if retry is None:
            raise CutStream(f"{why} ({len(response.body)} bytes received, archived as truncated)")
        await asyncio.sleep(min(0.5 * 2**tries, 8.0))
        return retry

    def process_exception(self, request: Request, exception: Exception) -> Request | None:  # type: ignore[override]
        retry = super().process_exception(request, exception)
        ctx = getattr(self.crawler.spider, "ctx", None)
        browser = browser_network_error(exception)
        if browser_goto_timeout(exception):
            browser = True
            limit = ctx.config.timeout_retries if ctx is not None else 1
            if request.meta.get("retry_times", 0) >= limit:
                request.meta["dont_retry"] = True
        if browser and not request.meta.get("dont_retry"):
            retry = self._retry(request, exception)
        if ctx is not None and (browser or isinstance(exception, self.exceptions_to_retry)):
            reason = f"{type(exception).__name__}: {str(exception)[:120]}"
            ctx.log.write("retry" if retry else "failed", request.url, reason=reason)
        return retry  # type: ignore[return-value]
