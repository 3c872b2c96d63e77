"""No request to an internal address, and no redirect out of the crawl's scope.

Every plain request passes here before it is downloaded, first of all downloader middlewares
(before robots.txt is asked for a host the request must not reach):

- a redirect (``redirect_urls`` in meta) to a host outside the scope of the portal its chain
  began on (the portal's ``netlocs``: its own host and ``extra_domains``) is not followed;
  the 3xx itself was archived on its way back (crawl log ``redirect-out-of-scope``);
- an IP-literal URL is judged at once (:func:`crawler.fetch.addresses.refusal`);
- a host name is resolved through the crawl's resolver (one cache with the connection's own
  lookup, so both see the same answer) and judged. Direct connections are checked once more
  by the resolver itself when the connection asks for the address
  (:mod:`crawler.fetch.resolver`): that check is the guarantee, this one gives the clear log.

With a proxy, the proxy resolves names and connects; the crawl still refuses IP literals and
names that resolve to internal addresses *here*. A name this machine cannot resolve is left to
the proxy (portals reachable only through it are why it is there), and what the proxy's own
DNS answers is beyond this check: the proxy's policy must refuse internal targets itself.

Each refusal is one crawl-log line (``refused``: url, host, address, reason) and counts in
``refused``; the request ends in its errback with :class:`Refused` (never retried, nothing
archived: nothing was sent).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from crawler.context import CrawlContext, context_of
from crawler.fetch.addresses import Allowlist, parse_ip, refusal
from crawler.fetch.browserguard import BrowserGuard
from crawler.fetch.resolver import GuardedResolver, installed_resolver
from crawler.middlewares.proxy import proxy_for

_UNRESOLVED_MAX = 10000


class Refused(IgnoreRequest):
    """A request the crawl declined on principle (internal address, redirect out of scope):
    logged where it was decided, never sent."""


class AddressGuardMiddleware:
    """Downloader middleware: refuses internal addresses and out-of-scope redirects."""

    def __init__(self, ctx: CrawlContext, allow: Allowlist, resolver: GuardedResolver | None) -> None:
        self.ctx = ctx
        self.allow = allow
        self.resolver = resolver
        self._unresolved: set[str] = set()
        """Hosts of proxied requests this machine could not resolve (left to the proxy)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        ctx = context_of(crawler)
        guard = cls(ctx, Allowlist.parse(ctx.config.allow_internal), None)
        predicate = crawler.settings.get("PLAYWRIGHT_ABORT_REQUEST")
        if isinstance(predicate, BrowserGuard):  # the crawler's own copy, the one the handler calls
            predicate.report = guard.browser_refused
        return guard

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        if not host:
            return
        self._check_redirect(request, parts.netloc.lower())
        literal = parse_ip(host)
        if literal is not None:
            self._judge(request, host, str(literal))
            return
        resolver = self._resolver()
        if resolver is None or host in self._unresolved:
            return
        try:
            address = await maybe_deferred_to_future(resolver.lookup(host))
        except DNSLookupError as e:
            if not self.proxied(request.url):
                raise CannotResolveHostError(str(e)) from e  # as Scrapy's own download would
            # The proxy may resolve what this machine cannot (a network whose only way out is the
            # proxy has no DNS of its own): asked once per host, not for every request.
            if len(self._unresolved) < _UNRESOLVED_MAX:
                self._unresolved.add(host)
            return
        self._judge(request, host, address)

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A connection whose lookup the resolver refused (Twisted reports only "no results")."""
        resolver = self._resolver()
        if not isinstance(exception, (DNSLookupError, CannotResolveHostError)) or resolver is None:
            return
        refused = resolver.refused(urlsplit(request.url).hostname or "")
        if refused is not None:
            self._refuse(request, refused.name, refused.address, refused.reason)

    def proxied(self, url: str) -> bool:
        """Whether the request goes through the crawl's proxy (the proxy middleware's decision)."""
        return proxy_for(url, self.ctx.config.proxy, self.ctx.config.no_proxy) is not None

    def _resolver(self) -> GuardedResolver | None:
        """The crawl's resolver (installed on the reactor when the crawl starts, after the
        middlewares are built)."""
        if self.resolver is None:
            self.resolver = installed_resolver()
        return self.resolver

    def browser_refused(self, url: str, host: str, address: str, reason: str) -> None:
        """A request of a rendered page aborted by :class:`~crawler.fetch.browserguard.BrowserGuard`."""
        self.ctx.log.write("refused", url, host=host, address=address, reason=reason, rendered=True)
        self.ctx.bump("refused")

    def _check_redirect(self, request: Request, netloc: str) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain:
            return
        target = self.ctx.target_for(chain[0])
        if target is None or netloc in target.netlocs:
            return
        hop = request.meta.get("nianbao", {})
        reason = f"redirect from {chain[-1]} leaves the scope of {target.key} ({netloc})"
        self.ctx.log.write("redirect-out-of-scope", request.url, reason=reason, discovered_from=chain[-1],
                           kind=hop.get("kind"), path=hop.get("path"))
        self.ctx.bump("redirects_out_of_scope")
        raise Refused(reason)

    def _judge(self, request: Request, host: str, address: str) -> None:
        reason = refusal(address, self.allow)
        if reason is not None:
            self._refuse(request, host, address, reason)

    def _refuse(self, request: Request, host: str, address: str, reason: str) -> None:
        hop: dict[str, Any] = request.meta.get("nianbao", {})
        chain = request.meta.get("redirect_urls") or ()
        self.ctx.log.write("refused", request.url, host=host, address=address, reason=reason,
                           kind=hop.get("kind"), discovered_from=chain[-1] if chain else hop.get("from"),
                           rendered=bool(request.meta.get("playwright")) or None)
        self.ctx.bump("refused")
        raise Refused(f"{host}: {reason}")
