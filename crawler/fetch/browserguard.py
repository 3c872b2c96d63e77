"""The internal-address guard for the browser: scrapy-playwright's ``PLAYWRIGHT_ABORT_REQUEST``.

Chromium fetches on its own what a rendered page asks for — images, scripts, XHR and fetch()
calls, frames, navigations — so a page could point it at ``http://10.0.0.5/`` or at a name that
resolves to ``127.0.0.1``. Playwright routes every such request through scrapy-playwright's
handler, which asks this predicate first; a True answer aborts the request before Chromium
connects. The host is resolved (all its addresses: Chromium may pick any) and judged with
:func:`crawler.fetch.addresses.refusal`; answers are cached per host (bounded), refusals too.

Limits, documented: Chromium resolves the name again itself, so a name that answers a public
address to this check and an internal one to Chromium moments later (DNS rebinding with a zero
TTL) is not caught here — the plain-request guard, which checks the address actually connected
to, has no such gap. WebSocket connections are not routed through Playwright's interception.
"""

from __future__ import annotations

import asyncio
import socket
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from crawler.fetch.addresses import Allowlist, parse_ip, refusal

CACHE_SIZE = 4096
"""Hosts whose verdict is kept (oldest forgotten first)."""

Report = Callable[[str, str, str, str], None]
"""Called with (url, host, address, reason) for each refused browser request."""


class BrowserGuard:
    """Predicate for ``PLAYWRIGHT_ABORT_REQUEST``: True (abort) for requests to internal addresses.

    Built from plain values, because Scrapy copies its settings; the guard middleware sets
    :attr:`report` on the crawler's copy so refusals reach the crawl log.
    """

    def __init__(self, allow: tuple[str, ...] = (), hosts: Mapping[str, str] | None = None,
                 exempt: tuple[str, ...] = ()) -> None:
        self.allow_entries = allow
        self.hosts = dict(hosts or {})
        self.exempt = frozenset(h.lower() for h in exempt)
        self.report: Report | None = None
        self._allow: Allowlist | None = None
        self._verdicts: OrderedDict[str, tuple[str, str] | None] = OrderedDict()

    async def __call__(self, request: Any) -> bool:
        url = str(request.url)
        verdict = await self.verdict(url)
        if verdict is None:
            return False
        address, reason = verdict
        if self.report is not None:
            self.report(url, (urlsplit(url).hostname or "").lower(), address, reason)
        return True

    async def verdict(self, url: str) -> tuple[str, str] | None:
        """(address, reason) when a browser request to ``url`` must be refused, else None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "ws", "wss"):
            return None  # data:, blob:, about: — nothing leaves the browser
        host = (parts.hostname or "").lower().rstrip(".")
        if not host or host in self.exempt:
            return None
        if host in self._verdicts:
            self._verdicts.move_to_end(host)
            return self._verdicts[host]
        verdict = await self._judge(host)
        self._verdicts[host] = verdict
        while len(self._verdicts) > CACHE_SIZE:
            self._verdicts.popitem(last=False)
        return verdict

    async def _judge(self, host: str) -> tuple[str, str] | None:
        if self._allow is None:
            self._allow = Allowlist.parse(self.allow_entries)
        literal = parse_ip(host)
        if literal is not None:
            addresses = [str(literal)]
        elif host in self.hosts:
            addresses = [self.hosts[host]]
        else:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError):
                return None  # Chromium will not resolve it either: nothing to guard
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            reason = refusal(address, self._allow)
            if reason is not None:
                return address, reason
        return None
