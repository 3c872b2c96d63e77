"""The crawl's DNS resolver: the only place plain requests learn where to connect, so the
internal-address guard checks the very address the connection is made to.

Scrapy's HTTP client asks the reactor's resolver for each host it connects to
(``TWISTED_DNS_RESOLVER``). :class:`GuardedResolver` is Scrapy's caching resolver with two
additions: the operator's fixed answers (``resolve``, ``name=address`` like curl's
``--resolve``), and a check of every answer it hands out with
:func:`crawler.fetch.addresses.refusal`. An internal answer fails the lookup, so there is
nothing to connect to — a name that answers a public address first and ``127.0.0.1`` later
(DNS rebinding) is refused at the moment it answers the internal one, and Scrapy's cache keeps
the first answer it checked for the rest of the crawl.

Twisted reduces a failed lookup to "no results for hostname lookup"; the resolver keeps the
latest refusal per name (:meth:`GuardedResolver.refused`) so the guard middleware can log the
reason. The configured proxy's own host is exempt: the operator named it, and with a proxy the
crawl connects to nothing else.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from crawler.fetch.addresses import Allowlist, refusal

_REMEMBERED = 1024
"""Refusals kept per name for the guard middleware's log (oldest forgotten first)."""


class InternalAddress(DNSLookupError):
    """A lookup answered an internal address: refused, nothing to connect to."""

    def __init__(self, name: str, address: str, reason: str) -> None:
        super().__init__(f"{name} resolves to {reason}")
        self.name, self.address, self.reason = name, address, reason


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching threaded resolver, answering fixed names first and refusing internal answers."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, allow: Allowlist | None = None,
                 hosts: Mapping[str, str] | None = None, exempt: Iterable[str] = ()) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allow = allow or Allowlist()
        self.hosts = dict(hosts or {})
        self.exempt = frozenset(n.lower() for n in exempt)
        self._refused: OrderedDict[str, InternalAddress] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"),
                   Allowlist.parse(settings.getlist("NIANBAO_ALLOW_INTERNAL")),
                   settings.getdict("NIANBAO_RESOLVE"), settings.getlist("NIANBAO_RESOLVER_EXEMPT"))

    def lookup(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        """The address ``name`` resolves to (fixed answer, cache or system resolver), unchecked."""
        fixed = self.hosts.get(name.lower().rstrip("."))
        if fixed is not None:
            return defer.succeed(fixed)
        return super().getHostByName(name, timeout)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        return self.lookup(name, timeout).addCallback(self._checked, name)

    def _checked(self, address: str, name: str) -> str:
        if name.lower() in self.exempt:
            return address
        reason = refusal(address, self.allow)
        if reason is None:
            return address
        refused = InternalAddress(name, address, reason)
        self._refused[name.lower()] = refused
        self._refused.move_to_end(name.lower())
        while len(self._refused) > _REMEMBERED:
            self._refused.popitem(last=False)
        raise refused

    def refused(self, name: str) -> InternalAddress | None:
        """The latest refusal of an answer for ``name`` (None if none was refused)."""
        return self._refused.get(name.lower())


def installed_resolver() -> GuardedResolver | None:
    """The reactor's resolver when it is the guarded one (it is in every nianbao crawl)."""
    from twisted.internet import reactor

    resolver = getattr(reactor, "resolver", None)
    return resolver if isinstance(resolver, GuardedResolver) else None
