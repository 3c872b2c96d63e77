"""The crawl's resolver refuses internal answers (the connection then has no address to go to),
answers fixed names first, remembers why it refused, and lets the proxy's own host through;
the browser guard judges every address of a host and caches its verdicts."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from twisted.internet.testing import MemoryReactorClock
from twisted.python.failure import Failure

from crawler.fetch.addresses import Allowlist
from crawler.fetch.browserguard import BrowserGuard
from crawler.fetch.resolver import GuardedResolver, InternalAddress
from crawler.middlewares.slow import too_slow

HOSTS = {"evil.test": "127.0.0.2", "portal.test": "127.0.0.1", "metadata.test": "169.254.169.254",
         "public.test": "202.96.134.133", "proxy.test": "10.0.0.5"}


def _outcome(resolver: GuardedResolver, name: str) -> str | Failure:
    results: list[str | Failure] = []
    resolver.getHostByName(name).addBoth(results.append)
    assert results, "fixed answers are synchronous"
    return results[0]


def _resolver() -> GuardedResolver:
    # fixed answers never reach the reactor's thread pool: an unstarted memory reactor will do
    return GuardedResolver(MemoryReactorClock(), 0, 5.0, Allowlist.parse(["127.0.0.1/32"]), HOSTS,
                           exempt=["proxy.test"])


def test_internal_answers_fail_the_lookup() -> None:
    resolver = _resolver()
    for name, kind in (("evil.test", "loopback"), ("metadata.test", "link-local")):
        failure = _outcome(resolver, name)
        assert isinstance(failure, Failure) and failure.check(InternalAddress)
        refused = resolver.refused(name.upper())
        assert refused is not None and kind in refused.reason and refused.address == HOSTS[name]
    assert resolver.refused("portal.test") is None


def test_allowed_public_and_exempt_answers_pass() -> None:
    resolver = _resolver()
    assert _outcome(resolver, "portal.test") == "127.0.0.1"  # allowed
    assert _outcome(resolver, "public.test") == "202.96.134.133"
    assert _outcome(resolver, "proxy.test") == "10.0.0.5"  # the operator's proxy
    assert _outcome(resolver, "Portal.Test.") == "127.0.0.1"


def test_lookup_is_unchecked_for_the_middleware_to_judge() -> None:
    results: list[str] = []
    _resolver().lookup("evil.test").addCallback(results.append)
    assert results == ["127.0.0.2"]


def test_browser_guard_judges_hosts() -> None:
    reports: list[tuple[str, str, str, str]] = []
    guard = BrowserGuard(("127.0.0.1/32",), HOSTS, ("proxy.test",))
    guard.report = lambda *args: reports.append(args)

    class _Request:
        def __init__(self, url: str) -> None:
            self.url = url

    async def run() -> list[bool]:
        urls = ["http://127.0.0.2:8080/pixel.png", "http://evil.test/api", "http://portal.test/", "data:image/png;base64,AA",
                "http://proxy.test/", "http://[::1]/x", "http://[::ffff:10.0.0.1]/x", "http://localhost:9/"]
        return [await guard(_Request(u)) for u in urls]

    # localhost resolves (system resolver, /etc/hosts) to 127.0.0.1, which is allowed here
    assert asyncio.run(run()) == [True, True, False, False, False, True, True, False]
    assert [r[1] for r in reports] == ["127.0.0.2", "evil.test", "::1", "::ffff:10.0.0.1"]
    assert all("refused" in r[3] for r in reports)
    assert "localhost" in guard._verdicts  # cached per host
    strict = BrowserGuard()
    verdict = asyncio.run(strict.verdict("http://localhost:9/"))
    assert verdict is not None and "loopback" in verdict[1]


@pytest.mark.parametrize(("received", "seconds", "floor", "slow"),
                         [(2, 2.0, 50, True), (100, 2.0, 50, False), (99, 2.0, 50, True), (0, 0.0, 50, False)])
def test_minimum_rate(received: int, seconds: float, floor: float, slow: bool) -> None:
    assert too_slow(received, seconds, floor) is slow


_CONNECT = textwrap.dedent("""
    import json
    import sys
    from twisted.internet import asyncioreactor
    asyncioreactor.install()
    from twisted.internet import reactor
    from twisted.web.client import Agent
    from crawler.fetch.addresses import Allowlist
    from crawler.fetch.resolver import GuardedResolver

    port = sys.argv[1]
    resolver = GuardedResolver(reactor, 100, 5.0, Allowlist.parse(["127.0.0.1/32"]),
                               {"portal.test": "127.0.0.1", "rebind.test": "202.96.134.133"})
    resolver.install_on_reactor()
    outcomes = {}

    def fetch(name, host):
        d = Agent(reactor).request(b"GET", f"http://{host}:{port}/".encode())
        d.addCallbacks(lambda r: outcomes.__setitem__(name, r.code),
                       lambda f: outcomes.__setitem__(name, f.type.__name__))
        return d

    def run():
        first = []
        resolver.lookup("rebind.test").addCallback(first.append)  # a public answer, as a guard would see
        resolver.hosts["rebind.test"] = "127.0.0.2"  # and the internal one the connection gets next
        outcomes["first answer"] = first[0]
        from twisted.internet.defer import DeferredList
        d = DeferredList([fetch("allowed", "portal.test"), fetch("literal", "127.0.0.2"),
                          fetch("rebound", "rebind.test")])
        d.addBoth(lambda _: reactor.stop())

    reactor.callWhenRunning(run)
    reactor.run()
    print(json.dumps(outcomes))
""")


def test_connections_go_only_to_checked_addresses() -> None:
    """Twisted's HTTP client (Scrapy's) connects where the installed resolver says: an internal
    answer leaves it nothing to connect to, even when an earlier lookup of the name was public
    (DNS rebinding); 127.0.0.2 receives no TCP connection at all."""
    connections: dict[str, int] = {"127.0.0.1": 0, "127.0.0.2": 0}

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    class Counting(ThreadingHTTPServer):
        daemon_threads = True

        def verify_request(self, request: Any, client_address: Any) -> bool:
            connections[self.server_address[0]] += 1  # type: ignore[index]
            return True

    allowed = Counting(("127.0.0.1", 0), Ok)
    internal = Counting(("127.0.0.2", allowed.server_address[1]), Ok)
    for server in (allowed, internal):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = subprocess.run([sys.executable, "-c", _CONNECT, str(allowed.server_address[1])],
                              capture_output=True, text=True, timeout=60)
    finally:
        for server in (allowed, internal):
            server.shutdown()
            server.server_close()
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout.strip().splitlines()[-1])
    assert outcomes["first answer"] == "202.96.134.133"
    assert outcomes["allowed"] == 204
    assert outcomes["rebound"] == outcomes["literal"] == "DNSLookupError"
    assert connections == {"127.0.0.1": 1, "127.0.0.2": 0}
