"""The one place that decides which requests go through the browser (conventions §10).

Every URL is fetched plainly first. A JavaScript challenge (瑞数, 加速乐, 安全狗) or a script
shell is fetched again through Chromium (scrapy-playwright); after a challenge the browser's
cookies are handed to the plain cookie jar, so the following requests to that host go
plainly until the cookie expires. Parsers see the same kind of response either way; the
archive records whether it was rendered.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.context import CrawlContext, context_of
from crawler.fetch import header
from crawler.fetch.detect import PageState, page_state
from crawler.middlewares.cookiejar import plain_jar

BROWSER_COOKIES = object()
"""Signal sent with ``cookies`` (Playwright cookie dicts) after a page passed a challenge."""

_MAX_RENDERS = 2
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
        meta: dict[str, Any] = {
            **request.meta,
            "playwright": True,
            "playwright_include_page": True,
            "playwright_context": "challenge" if state is PageState.CHALLENGE else "default",
            # Broken chains, expired and self-signed certificates are common on government portals:
            # the crawl records them (crawler/middlewares/tls.py) but must not stop at them.
            "playwright_context_kwargs": {"user_agent": self.ctx.config.user_agent, "ignore_https_errors": True},
            "nianbao_renders": renders + 1,
        }
        return request.replace(meta=meta, dont_filter=True)


class SettleMiddleware:
    """For a browser response: wait for the real page, hand its cookies to the plain jar.

    Sits closer to the downloader than the archive, so what is archived as the rendered DOM is
    the page after the challenge, not the challenge itself.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SettleMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        if "playwright" not in response.flags:
            return response
        page = request.meta.pop("playwright_page", None)
        if page is None:
            return response
        try:
            response = await self._settle(page, response)
            cookies = await page.context.cookies()
        finally:
            await page.close()
        await self.crawler.signals.send_catch_log_async(BROWSER_COOKIES, cookies=cookies, url=response.url)
        return response

    async def _settle(self, page: Any, response: Response) -> Response:
        """Wait until a challenge has reloaded into the real page (or a shell has filled in),
        then answer with the final document: its DOM, or its text for a non-HTML document."""
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
        status = response.status if state is PageState.CHALLENGE else 200
        if ctype and "html" not in ctype:
            body = (await page.inner_text("body")).encode("utf-8")
            headers = {"Content-Type": f"{ctype}; charset=utf-8"}
        else:
            body = html.encode("utf-8")
            headers = {"Content-Type": "text/html; charset=utf-8"}
        response.meta["nianbao_state"] = rendered_state(state)
        return response.replace(body=body, status=status, headers=headers, cls=_response_class(ctype))


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
