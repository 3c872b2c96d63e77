"""The one place that decides which requests go through the browser (conventions §10).

Every URL is fetched plainly first. A JavaScript challenge (瑞数, 加速乐, 安全狗) or a script
shell is fetched again through Chromium (scrapy-playwright); after a challenge the browser's
cookies are handed to the plain cookie jar, so the following requests to that host go
plainly until the cookie expires. Parsers see the same kind of response either way; the
archive records whether it was rendered.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.browser.behaviours import Bounds, explore
from crawler.browser.tap import CAPTURED_TYPES, PageTap, install_tap
from crawler.context import CrawlContext, context_of
from crawler.fetch import header
from crawler.fetch.detect import PageState, page_state
from crawler.middlewares.cookiejar import plain_jar

BROWSER_COOKIES = object()
"""Signal sent with ``cookies`` (Playwright cookie dicts) after a page passed a challenge."""

_MAX_RENDERS = 2
_ERRORS = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
_SETTLE_POLLS = 40
_SETTLE_STEP = 0.25


def _response_class(ctype: str) -> type[Response]:
    from scrapy.http import HtmlResponse, TextResponse

    return HtmlResponse if not ctype or "html" in ctype else TextResponse


def rendered_state(state: PageState) -> str:
    """What a rendered page counts as: still a challenge, or content (a shell has filled in)."""
    return state.value if state is PageState.CHALLENGE else PageState.CONTENT.value


class RenderMiddleware:
    """Re-issues challenge and shell pages through the browser; records why."""

    def __init__(self, ctx: CrawlContext, crawler: Crawler) -> None:
        self.ctx = ctx
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderMiddleware:
        return cls(context_of(crawler), crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if "playwright" in response.flags:
            return response
        ctype = header(response, b"Content-Type")
        state = page_state(response.status, response.body, ctype)
        request.meta["nianbao_state"] = state.value
        if state not in (PageState.CHALLENGE, PageState.SHELL):
            return response
        hop = request.meta.get("nianbao", {})
        if not self.ctx.config.browser:
            self.ctx.log.write("skipped", response.url, reason=f"{state.value} page needs a browser (--no-browser)",
                               kind=hop.get("kind"))
            return response
        renders = request.meta.get("nianbao_renders", 0)
        if renders >= _MAX_RENDERS:
            self.ctx.log.write("failed", response.url, reason=f"still a {state.value} after {renders} renders")
            self.ctx.bump("challenge_failed")
            return response
        self.ctx.log.write("render", response.url, reason=state.value, kind=hop.get("kind"))
        self.ctx.bump(f"render_{state.value}")
        meta = {**request.meta, **self._browser_meta("challenge" if state is PageState.CHALLENGE else "default"),
                "nianbao_renders": renders + 1}
        return request.replace(meta=meta, dont_filter=True)

    def process_request(self, request: Request) -> None:
        """A column page the spider asked to explore (its hop says why) goes to the browser."""
        hop = request.meta.get("nianbao") or {}
        if hop.get("explore") and not request.meta.get("playwright") and self.ctx.config.browser:
            request.meta.update(self._browser_meta("default"))
            request.meta["nianbao_explore"] = hop["explore"]
            self.ctx.log.write("render", request.url, reason=f"explore: {hop['explore']}", kind=hop.get("kind"))
            self.ctx.bump("render_explore")

    def _browser_meta(self, context: str) -> dict[str, Any]:
        return {
            "playwright": True,
            "playwright_include_page": True,
            "playwright_context": context,
            # Broken chains, expired and self-signed certificates are common on government portals:
            # the crawl records them (crawler/middlewares/tls.py) but must not stop at them.
            "playwright_context_kwargs": {"user_agent": self.ctx.config.user_agent, "ignore_https_errors": True},
        }


class SettleMiddleware:
    """For a browser response: wait for the real page, explore it when asked, keep what it
    fetched by script, hand its cookies to the plain jar.

    Sits closer to the downloader than the archive, so what is archived as the rendered DOM is
    the page after the challenge (and after the behaviours), not the challenge itself; the page's
    XHR/fetch exchanges go to the archive with it (``nianbao_xhr``).
    """

    def __init__(self, ctx: CrawlContext, crawler: Crawler) -> None:
        self.ctx = ctx
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SettleMiddleware:
        return cls(context_of(crawler), crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("playwright"):
            request.meta["playwright_page_init_callback"] = install_tap

    async def process_exception(self, request: Request, exception: Exception) -> None:
        """A browser download that failed (connection reset, Content-Length mismatch, a body that
        does not decode) leaves its page open: scrapy-playwright hands the page to whoever asked
        for it (``playwright_include_page``) even on failure. An open page holds one of its
        context's PLAYWRIGHT_MAX_PAGES_PER_CONTEXT slots for good — four such failures and every
        later render waits forever (found by the farm's chaos mode). Close it, and drop it from
        the meta a retry copies."""
        page = request.meta.pop("playwright_page", None)
        request.meta.pop("playwright_page_init_callback", None)
        request.meta.pop("nianbao_tap", None)
        if page is not None:
            try:
                await page.close()
            except Exception:  # already closed with its context or browser
                pass

    async def process_response(self, request: Request, response: Response) -> Response:
        if "playwright" not in response.flags:
            return response
        page = request.meta.pop("playwright_page", None)
        request.meta.pop("playwright_page_init_callback", None)
        if page is None:
            return response
        tap: PageTap | None = request.meta.pop("nianbao_tap", None)
        try:
            response = await self._settle(page, response)
            if request.meta.get("nianbao_explore") and tap is not None:
                response = await self._explore(page, tap, response)
            cookies = await page.context.cookies()
            if tap is not None:
                await tap.drain()
                request.meta["nianbao_xhr"] = list(tap.exchanges)
        finally:
            await page.close()
        await self.crawler.signals.send_catch_log_async(BROWSER_COOKIES, cookies=cookies, url=response.url)
        return response

    async def _settle(self, page: Any, response: Response) -> Response:
        """Wait until a challenge has reloaded into the real page (or a shell has filled in),
        then answer with the final document: its DOM, or its text for a non-HTML document."""
        from scrapy.http import TextResponse

        if not isinstance(response, TextResponse):
            # The browser passed the challenge and received a file (a PDF or DOCX attachment
            # whose URL was challenged): that file is the answer, as it came.
            response.meta["nianbao_state"] = PageState.CONTENT.value
            return response
        html = response.text
        for _ in range(_SETTLE_POLLS):
            state = page_state(200, html, "text/html")
            if state is not PageState.CHALLENGE:
                break
            await asyncio.sleep(_SETTLE_STEP)
            try:
                html = await page.content()
            except Exception:  # the page is navigating (the challenge reloads it): look again
                continue
        try:
            await page.wait_for_load_state("networkidle", timeout=5000)
            html = await page.content()
            ctype = await page.evaluate("document.contentType")
        except Exception:
            ctype = "text/html"
        state = page_state(200, html, "text/html")
        # A challenge that reloaded into the page answered 412/521 first: the page is a 200. A
        # server error the browser met (5xx, 429) stays one, so that it is retried, not parsed.
        status = response.status if state is PageState.CHALLENGE or response.status in _ERRORS else 200
        if ctype and "html" not in ctype:
            body = (await page.inner_text("body")).encode("utf-8")
            headers = {"Content-Type": f"{ctype}; charset=utf-8"}
        else:
            body = html.encode("utf-8")
            headers = {"Content-Type": "text/html; charset=utf-8"}
        response.meta["nianbao_state"] = rendered_state(state)
        return response.replace(body=body, status=status, headers=headers, cls=_response_class(ctype))


    async def _explore(self, page: Any, tap: PageTap, response: Response) -> Response:
        """Run the bounded behaviours; answer with the final DOM, what the page tried to open and
        every state it showed (``nianbao_explored``)."""
        config = self.ctx.config
        done = await explore(page, tap, Bounds(config.explore_clicks, config.explore_seconds))
        final = done.snapshots[-1] if done.snapshots else response.text
        response.meta["nianbao_explored"] = {
            **done.as_meta(),
            "states": done.snapshots,
            "attempts": [asdict(a) for a in tap.attempts],
            "dropped": list(tap.dropped),
            # answers the page's script did not get: its list may have stopped there
            "xhr_failed": list(tap.failed) + [e.url for e in tap.exchanges
                                              if e.resource_type in CAPTURED_TYPES and (e.status >= 500 or e.status == 429)],
        }
        return response.replace(body=final.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"})


class BrowserCookiesMiddleware:
    """Adds cookies a browser earned to the plain cookie jar of Scrapy's CookiesMiddleware."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self._on_cookies, signal=BROWSER_COOKIES)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserCookiesMiddleware:
        return cls(crawler)

    def _on_cookies(self, cookies: list[dict[str, Any]], url: str) -> None:
        from http.cookiejar import Cookie

        jar = plain_jar(self.crawler)
        if jar is None:
            return
        for c in cookies:
            jar.set_cookie(Cookie(
                0, c["name"], c["value"], None, False, c.get("domain", ""), True,
                c.get("domain", "").startswith("."), c.get("path", "/"), True, bool(c.get("secure")),
                int(c["expires"]) if c.get("expires", -1) and c.get("expires", -1) > 0 else None,
                False, None, None, {},
            ))
