"""What a rendered page did: every XHR/fetch exchange it made, every navigation it tried and
every window it opened.

Installed on a page before its first navigation (scrapy-playwright's page init callback). Until
it is *armed* the page loads as it likes; once armed (the behaviours have started), a navigation
of the main frame is recorded and stopped — the page stays put, the URL goes to the plain
crawler — unless the tap is *following* (a pager control was clicked: the list goes on in the
browser). ``window.open`` is replaced by a recorder, so a click handler that opens a report in a
new window hands over its URL instead. Exchanges are kept for the archive (each becomes its own
WARC record linked to the page), bounded in number and size.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

INIT_SCRIPT = r"""
(() => {
  if (window.__nianbao) return;
  const opened = [];
  window.__nianbao = {opened: opened};
  const push = (u) => { try { opened.push(String(new URL(String(u), location.href))); } catch (e) {} };
  const fake = () => {
    const loc = {assign: push, replace: push};
    Object.defineProperty(loc, "href", {set: push, get: () => "about:blank"});
    const w = {closed: false, close() {}, focus() {}, blur() {}, opener: window,
               document: {write() {}, writeln() {}, open() {}, close() {}}};
    Object.defineProperty(w, "location", {get: () => loc, set: push});
    return w;
  };
  window.open = function (u) { if (u) push(u); return fake(); };
})();
"""
"""Replaces window.open with a recorder (before any page script runs)."""

CAPTURED_TYPES = frozenset({"xhr", "fetch"})
MAX_EXCHANGES = 300
MAX_BODY_BYTES = 8 * 1024 * 1024
_DECODED = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class Exchange:
    """One request the page made and the answer it got, as the browser saw them."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    resource_type: str
    at: datetime


@dataclass(frozen=True)
class Attempt:
    """A URL the page tried to go to (a navigation or a window it opened) and what led there."""

    url: str
    method: str = "GET"
    body: str | None = None
    label: str | None = None
    """Text of the element whose click (or option) caused it."""
    via: str = "browser-click"
    """``browser-click`` (a navigation stopped), ``browser-open`` (window.open), ``browser-page``
    (a pager navigation the browser followed)."""


@dataclass
class PageTap:
    """Collects a page's exchanges and attempts; see the module docstring."""

    max_exchanges: int = MAX_EXCHANGES
    max_body_bytes: int = MAX_BODY_BYTES
    exchanges: list[Exchange] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    armed: bool = False
    following: bool = False
    label: str | None = None
    inflight: int = 0
    navigations: int = 0
    dropped: list[str] = field(default_factory=list)
    """Why exchanges were not kept (bounds hit), once per reason."""
    failed: list[str] = field(default_factory=list)
    """URLs of XHR/fetch requests that got no answer (reset, refused)."""
    _page: Any = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def attach(self, page: Any) -> None:
        self._page = page
        await page.add_init_script(INIT_SCRIPT)
        await page.route("**/*", self._route)
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)
        page.on("popup", self._on_popup)

    async def _route(self, route: Any, request: Any) -> None:
        page = self._page
        if (self.armed and page is not None and request.is_navigation_request()
                and request.frame == page.main_frame):
            if self.following:
                self.navigations += 1
                self.attempts.append(Attempt(request.url, request.method, request.post_data, self.label,
                                             "browser-page"))
            else:
                self.attempts.append(Attempt(request.url, request.method, request.post_data, self.label))
                await route.abort("aborted")
                return
        await route.fallback()

    def _on_request(self, request: Any) -> None:
        self.inflight += 1

    def _on_done(self, request: Any) -> None:
        self.inflight = max(0, self.inflight - 1)

    def _on_failed(self, request: Any) -> None:
        self._on_done(request)
        if request.resource_type in CAPTURED_TYPES:
            self.failed.append(request.url)

    def _on_response(self, response: Any) -> None:
        request = response.request
        kind = request.resource_type
        page = self._page
        wanted = kind in CAPTURED_TYPES or (
            self.armed and kind == "document" and page is not None and request.frame == page.main_frame)
        if not wanted:
            return
        if len(self.exchanges) + len(self._tasks) >= self.max_exchanges:
            self._drop(f"more than {self.max_exchanges} XHR/fetch answers on one page")
            return
        task = asyncio.ensure_future(self._keep(response, kind))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _keep(self, response: Any, kind: str) -> None:
        request = response.request
        try:
            body = await response.body()
            # the browser hands over the body decoded: the headers must say so
            resp_headers = [(h["name"], h["value"]) for h in await response.headers_array()
                            if h["name"].lower() not in _DECODED]
            resp_headers.append(("Content-Length", str(len(body))))
            req_headers = [(h["name"], h["value"]) for h in await request.headers_array()]
        except Exception:  # the page closed, or the answer was a redirect without a body
            return
        if len(body) > self.max_body_bytes:
            self._drop(f"an XHR/fetch answer larger than {self.max_body_bytes} bytes")
            return
        self.exchanges.append(Exchange(
            response.url, request.method, req_headers, request.post_data_buffer or b"", response.status,
            resp_headers, body, kind, datetime.now(UTC)))

    def _on_popup(self, popup: Any) -> None:
        task = asyncio.ensure_future(self._popup(popup))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _popup(self, popup: Any) -> None:
        """A window opened by a link's target (window.open itself is recorded by the init script):
        note where it went and close it."""
        with contextlib.suppress(Exception):
            for _ in range(20):
                if popup.url and popup.url != "about:blank":
                    break
                await asyncio.sleep(0.1)
            if popup.url and popup.url != "about:blank":
                self.attempts.append(Attempt(popup.url, label=self.label, via="browser-open"))
            await popup.close()

    async def opened(self) -> None:
        """Move the URLs the page passed to window.open into the attempts."""
        page = self._page
        if page is None:
            return
        with contextlib.suppress(Exception):
            urls = await page.evaluate("() => (window.__nianbao ? window.__nianbao.opened.splice(0) : [])")
            for url in urls or []:
                self.attempts.append(Attempt(str(url), label=self.label, via="browser-open"))

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait (bounded) for the answers still being read."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def _drop(self, reason: str) -> None:
        if reason not in self.dropped:
            self.dropped.append(reason)


async def install_tap(page: Any, request: Any) -> None:
    """scrapy-playwright page init callback: attach a fresh tap, kept in the request's meta."""
    tap = PageTap()
    request.meta["nianbao_tap"] = tap
    await tap.attach(page)
