"""The internal-address guard, scope through redirects, slow and endless hosts, end to end on loopback.

A county portal on 127.0.0.1 whose annual-report links lead, directly and by redirect, to
127.0.0.2 and to ``evil.test`` (a name the crawl's fixed DNS answers resolve to 127.0.0.2, as a
hostile or split-horizon DNS answer would); one report page is a script shell that the browser
renders, with an ``<img>`` and a ``fetch()`` to 127.0.0.2. The internal host is put in the
portal's scope (``NIANBAO_EXTRA_DOMAINS``) so that only the guard stands between the crawl and
it. With only 127.0.0.1 allowed, the server on 127.0.0.2 (which counts what it gets) receives
nothing and every refusal is in the crawl log; with ``--allow-internal 127.0.0.2/32`` it is
reached, plain and rendered alike.

The same portal redirects one report off its scope (archived, not followed), redirects one
within it (followed, discovery path kept), trickles one at a byte a second (cut by the
minimum rate within its window while the crawl goes on) and streams one without end (cut at
the size limit, archived with ``WARC-Truncated: length``).

Names: ``evil.test``/``offsite.test`` (RFC 2606 ``.test``, never delegated) resolve only through
``NIANBAO_RESOLVE`` — no hosts file, no DNS query leaves the machine.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AGENCY = "清河县人民政府"
WINDOW = 2.0
"""Seconds of the minimum-rate window in these crawls (NIANBAO_RATE_WINDOW_S)."""


def _page(title: str, body: str, head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body>{body}</body></html>").encode()


def _report(year: int) -> bytes:
    title = f"{AGENCY}{year}年政府信息公开工作年度报告"
    return _page(title, f"<h1>{title}</h1><p>本报告根据《中华人民共和国政府信息公开条例》编制。"
                        f"一、总体情况 {year}年，{AGENCY}认真贯彻落实政府信息公开工作。</p>")


@dataclass
class Seen:
    """What a test server received: (path, time) per request, and the trickle's held seconds."""

    requests: list[tuple[str, float]] = field(default_factory=list)
    held: list[float] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    """The Host header of each request."""
    connections: int = 0
    """TCP connections accepted (a connection that sends no request counts too)."""

    @property
    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


class _CountingServer(ThreadingHTTPServer):
    """Counts every accepted connection in ``seen``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], seen: Seen) -> None:
        super().__init__(address, handler)
        self.seen = seen

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.seen.connections += 1
        return True


def _handler(seen: Seen, routes: Any) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.requests.append((self.path, time.monotonic()))
            seen.hosts.append(self.headers.get("Host", ""))
            routes(self)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _send(h: BaseHTTPRequestHandler, body: bytes, status: int = 200, ctype: str = "text/html; charset=utf-8",
          **headers: str) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in headers.items():
        h.send_header(k.replace("_", "-"), v)
    h.end_headers()
    h.wfile.write(body)


@dataclass
class Farm:
    portal: ThreadingHTTPServer
    internal: ThreadingHTTPServer
    portal_seen: Seen
    internal_seen: Seen

    @property
    def home(self) -> str:
        return f"http://127.0.0.1:{self.portal.server_address[1]}/"

    @property
    def inner(self) -> int:
        return int(self.internal.server_address[1])


def _portal_routes(seen: Seen, inner_port: int) -> Any:
    inner = f"127.0.0.2:{inner_port}"

    def routes(h: BaseHTTPRequestHandler) -> None:
        port = cast("tuple[str, int]", h.server.server_address)[1]
        links = {
            f"http://{inner}/zwgk/2023.html": 2023,
            f"http://evil.test:{inner_port}/zwgk/2022.html": 2022,
            "/zwgk/ndbg/2021.html": 2021, "/zwgk/ndbg/2020.html": 2020, "/zwgk/ndbg/2019.html": 2019,
            "/zwgk/ndbg/2018.html": 2018, "/zwgk/ndbg/2017.html": 2017, "/zwgk/ndbg/2016.html": 2016,
            "/zwgk/ndbg/2015.html": 2015, "/zwgk/ndbg/2024.html": 2024,
            "/zwgk/ndbg/2014.html": 2014, "/zwgk/ndbg/2013.html": 2013,
        }
        path = h.path
        if path == "/":
            items = "".join(f'<li><a href="{u}">{AGENCY}{y}年政府信息公开工作年度报告</a></li>' for u, y in links.items())
            _send(h, _page(AGENCY, f"<h1>{AGENCY}</h1><ul>{items}</ul>"))
        elif path == "/robots.txt":
            _send(h, b"User-agent: *\nAllow: /\n", ctype="text/plain")
        elif path in ("/zwgk/ndbg/2024.html", "/zwgk/ndbg/2015/report.html"):
            _send(h, _report(2024 if "2024" in path else 2015))
        elif path == "/zwgk/ndbg/2021.html":
            _send(h, b"", 302, Location=f"http://{inner}/secret/2021.html")
        elif path == "/zwgk/ndbg/2020.html":
            _send(h, b"", 302, Location=f"http://evil.test:{inner_port}/secret/2020.html")
        elif path == "/zwgk/ndbg/2019.html":
            _send(h, b"", 302, Location=f"http://offsite.test:{port}/moved/2019.html")
        elif path == "/zwgk/ndbg/2015.html":
            _send(h, b"", 301, Location="/zwgk/ndbg/2015/report.html")
        elif path == "/zwgk/ndbg/2018.html":
            # a script shell: the browser renders it, and its image and fetch() go to the internal host
            _send(h, _page(f"{AGENCY}2018年政府信息公开工作年度报告", (
                f'<div id="app"></div><img src="http://{inner}/pixel.png" alt="">'
                f'<img src="http://evil.test:{inner_port}/named.png" alt="">'
                f'<script>fetch("http://{inner}/api/secret.json").catch(function(){{}});'
                f'document.getElementById("app").innerHTML="<h1>{AGENCY}2018年政府信息公开工作年度报告</h1>";</script>')))
        elif path == "/zwgk/ndbg/2017.html":
            _trickle(h, seen)
        elif path == "/zwgk/ndbg/2016.html":
            _endless(h)
        elif path in ("/zwgk/ndbg/2014.html", "/zwgk/ndbg/2013.html"):
            # a gateway passing on a cut upstream answer: a gzip stream without its end, with an
            # honest Content-Length; 2014 only on every other request (a retry gets it whole)
            body = gzip.compress(_report(int(path[-9:-5])))
            cut = path.endswith("2013.html") or seen.paths.count(path) % 2 == 1
            _send(h, body[: len(body) // 2] if cut else body, Content_Encoding="gzip")
        else:
            _send(h, _page("页面不存在", "<p>404</p>"), 404)

    return routes


def _trickle(h: BaseHTTPRequestHandler, seen: Seen) -> None:
    """A byte a second, for up to a minute (the client's cut ends it sooner)."""
    start = time.monotonic()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", "60")
    h.end_headers()
    try:
        for _ in range(60):
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(1.0)
    except OSError:
        pass
    seen.held.append(time.monotonic() - start)


def _endless(h: BaseHTTPRequestHandler) -> None:
    """A body without a Content-Length that never ends (until the client hangs up)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.end_headers()
    chunk = ("<p>" + "政府信息公开" * 1000 + "</p>\n").encode()
    try:
        h.wfile.write(_page(f"{AGENCY}2016年政府信息公开工作年度报告", "")[:-14])
        for _ in range(2000):  # ~36 MB at most
            h.wfile.write(chunk)
    except OSError:
        pass


def _internal_routes(h: BaseHTTPRequestHandler) -> None:
    year = next((y for y in range(2015, 2025) if str(y) in h.path), 2023)
    _send(h, _report(year))


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    internal_seen, portal_seen = Seen(), Seen()
    internal = _CountingServer(("127.0.0.2", 0), _handler(internal_seen, _internal_routes), internal_seen)
    routes = _portal_routes(portal_seen, int(internal.server_address[1]))
    portal = _CountingServer(("127.0.0.1", 0), _handler(portal_seen, routes), portal_seen)
    for server in (internal, portal):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Farm(portal, internal, portal_seen, internal_seen)
    for server in (internal, portal):
        server.shutdown()
        server.server_close()


@dataclass
class Crawl:
    exit_code: int
    output: str
    log: list[dict[str, Any]]
    warc: Path
    seconds: float
    internal_paths: list[str]
    portal_paths: list[str]
    held: list[float]
    portal_hosts: list[str]
    internal_connections: int

    def events(self, event: str) -> list[dict[str, Any]]:
        return [line for line in self.log if line["event"] == event]


def _crawl(farm: Farm, folder: Path, *extra: str) -> Crawl:
    farm.internal_seen.requests.clear()
    farm.internal_seen.connections = 0
    farm.portal_seen.requests.clear()
    farm.portal_seen.held.clear()
    farm.portal_seen.hosts.clear()
    port, inner = farm.portal.server_address[1], farm.inner
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
    env.update(
        NIANBAO_LOG_DIR=str(folder / "logs"), NIANBAO_ALLOW_INTERNAL="127.0.0.1/32",
        NIANBAO_RESOLVE="evil.test=127.0.0.2 offsite.test=127.0.0.1",
        NIANBAO_EXTRA_DOMAINS=f"127.0.0.2:{inner} evil.test:{inner}",
        NIANBAO_MIN_RATE_BPS="50", NIANBAO_RATE_WINDOW_S=str(WINDOW), NIANBAO_TIMEOUT_S="30",
        NIANBAO_MAX_DOWNLOAD_MB="1", NIANBAO_RETRIES="1", NIANBAO_OPERATOR="pytest",
    )
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", farm.home, "--db", f"sqlite:///{folder / 'n.sqlite'}",
         "--archive", str(folder / "warc"), "--quiet", *extra],
        capture_output=True, text=True, timeout=600, env=env, cwd=folder,
    )
    seconds = time.monotonic() - start
    for _ in range(50):  # the trickle's server thread notices the hang-up at its next writes
        if farm.portal_seen.held:
            break
        time.sleep(0.1)
    log_file = next((folder / "logs").glob("crawl-*.jsonl"))
    log = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert port == farm.portal.server_address[1]
    return Crawl(proc.returncode, proc.stdout + proc.stderr, log, folder / "warc", seconds,
                 farm.internal_seen.paths, farm.portal_seen.paths, list(farm.portal_seen.held),
                 list(farm.portal_seen.hosts), farm.internal_seen.connections)


@pytest.fixture(scope="module")
def guarded(farm: Farm, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return _crawl(farm, tmp_path_factory.mktemp("guarded"))


@pytest.fixture(scope="module")
def allowed(farm: Farm, tmp_path_factory: pytest.TempPathFactory, guarded: Crawl) -> Crawl:
    return _crawl(farm, tmp_path_factory.mktemp("allowed"), "--allow-internal", "127.0.0.1/32",
                  "--allow-internal", "127.0.0.2/32")


def _records(folder: Path) -> list[tuple[str, str, dict[str, str], int]]:
    """(type, target URI, WARC headers, payload length) of every record of the crawl's WARC files."""
    out = []
    for path in sorted(folder.glob("*.warc.gz")):
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                headers = dict(rec.rec_headers.headers)
                out.append((rec.rec_type, headers.get("WARC-Target-URI", ""), headers, len(rec.content_stream().read())))
    return out


def test_the_internal_host_receives_no_request(guarded: Crawl, farm: Farm) -> None:
    assert guarded.exit_code in (0, 4, 5), guarded.output
    assert guarded.internal_paths == []
    assert guarded.internal_connections == 0  # not even a TCP connection
    assert "Traceback" not in guarded.output


def test_each_refusal_is_in_the_crawl_log(guarded: Crawl, farm: Farm) -> None:
    inner = farm.inner
    refused = {line["url"]: line for line in guarded.events("refused")}
    expected = [
        f"http://127.0.0.2:{inner}/zwgk/2023.html",  # an IP-literal link
        f"http://evil.test:{inner}/zwgk/2022.html",  # a name that resolves there
        f"http://127.0.0.2:{inner}/secret/2021.html",  # a redirect to the address
        f"http://evil.test:{inner}/secret/2020.html",  # a redirect to the name
    ]
    for url in expected:
        assert url in refused, sorted(refused)
        line = refused[url]
        assert line["address"] == "127.0.0.2" and "loopback" in line["reason"] and "--allow-internal" in line["reason"]
    assert refused[expected[2]]["discovered_from"].endswith("/zwgk/ndbg/2021.html")
    rendered = {u for u, line in refused.items() if line.get("rendered")}
    assert {f"http://127.0.0.2:{inner}/pixel.png", f"http://evil.test:{inner}/named.png",
            f"http://127.0.0.2:{inner}/api/secret.json"} <= rendered, sorted(refused)
    assert not any(line["event"] == "failed" and line["url"] in expected for line in guarded.log)
    assert not any(line["event"] == "retry" and line["url"] in expected for line in guarded.log)
    assert not any(line["event"] == "fetched" and "127.0.0.2" in line["url"] for line in guarded.log)
    assert not [r for r in _records(guarded.warc) if f":{inner}/" in r[1]], "nothing fetched, nothing archived"


def test_allowed_internal_network_is_reached(allowed: Crawl, farm: Farm) -> None:
    assert allowed.exit_code in (0, 4, 5), allowed.output
    paths = set(allowed.internal_paths)
    assert {"/zwgk/2023.html", "/zwgk/2022.html", "/secret/2021.html", "/secret/2020.html"} <= paths
    assert {"/pixel.png", "/named.png", "/api/secret.json"} <= paths  # the browser's requests too
    assert not [line for line in allowed.events("refused") if ":" + str(farm.inner) in line["url"]]


def test_redirect_out_of_scope_is_archived_not_followed(guarded: Crawl, farm: Farm) -> None:
    port = farm.portal.server_address[1]
    out = guarded.events("redirect-out-of-scope")
    assert [line["url"] for line in out] == [f"http://offsite.test:{port}/moved/2019.html"]
    assert out[0]["discovered_from"] == f"{farm.home}zwgk/ndbg/2019.html"
    # offsite.test is this very server: never asked, not even for its robots.txt
    assert "/moved/2019.html" not in guarded.portal_paths
    assert not [h for h in guarded.portal_hosts if h.startswith("offsite.test")]
    responses = [(uri, h) for kind, uri, h, _ in _records(guarded.warc) if kind == "response"]
    assert f"{farm.home}zwgk/ndbg/2019.html" in [u for u, _ in responses]


def test_redirect_in_scope_keeps_the_discovery_path(guarded: Crawl, farm: Farm) -> None:
    fetched = {line["url"]: line for line in guarded.events("fetched")}
    first, then = fetched[f"{farm.home}zwgk/ndbg/2015.html"], fetched[f"{farm.home}zwgk/ndbg/2015/report.html"]
    assert first["status"] == 301 and then["status"] == 200
    assert then["path"] == first["path"] == "HR"
    assert then["discovered_from"] == farm.home


def test_a_trickling_host_is_cut_within_the_window(guarded: Crawl, farm: Farm) -> None:
    url = f"{farm.home}zwgk/ndbg/2017.html"
    slow = [line for line in guarded.events("slow") if line["url"] == url]
    assert len(slow) == 1, guarded.events("slow")
    assert slow[0]["reason"].startswith("under 50 B/s")
    failed = [line for line in guarded.events("failed") if line["url"] == url]
    assert failed and "TooSlow" in failed[0]["reason"]
    assert guarded.held and max(guarded.held) <= WINDOW + 4.0, guarded.held  # not 60 s, and not retried
    assert guarded.portal_paths.count("/zwgk/ndbg/2017.html") == 1
    assert f"{farm.home}zwgk/ndbg/2024.html" in {line["url"] for line in guarded.events("fetched")}
    assert any(line["event"] == "report" for line in guarded.log) or guarded.events("fetched")


def test_an_endless_body_is_archived_truncated(guarded: Crawl, farm: Farm) -> None:
    url = f"{farm.home}zwgk/ndbg/2016.html"
    records = [(h, n) for kind, uri, h, n in _records(guarded.warc) if kind == "response" and uri == url]
    assert len(records) == 1
    headers, size = records[0]
    assert headers.get("WARC-Truncated") == "length"
    assert 2**20 < size < 2**20 + 2**17
    fetched = [line for line in guarded.events("fetched") if line["url"] == url]
    assert fetched and fetched[0]["truncated"] == "length"
    failed = [line for line in guarded.events("failed") if line["url"] == url]
    assert failed and "Truncated" in failed[0]["reason"] and "archived as truncated" in failed[0]["reason"]


def test_a_cut_gzip_stream_is_archived_truncated_and_asked_again(guarded: Crawl, farm: Farm) -> None:
    once, always = f"{farm.home}zwgk/ndbg/2014.html", f"{farm.home}zwgk/ndbg/2013.html"
    answers = {u: [h.get("WARC-Truncated") for kind, uri, h, _ in _records(guarded.warc) if kind == "response" and uri == u]
               for u in (once, always)}
    assert answers[once] == ["unspecified", None]  # cut, then whole on the retry
    assert answers[always] == ["unspecified", "unspecified"]  # NIANBAO_RETRIES=1
    retried = [line for line in guarded.events("retry") if line["url"] in (once, always)]
    assert sorted(line["url"] for line in retried) == [always, once]
    assert all(line["reason"] == "gzip stream ends before its trailer" for line in retried)
    failed = [line for line in guarded.events("failed") if line["url"] == always]
    assert len(failed) == 2 and "gave up after 1 retries" in failed[0]["reason"]
    assert "CutStream" in failed[1]["reason"] and "archived as truncated" in failed[1]["reason"]
    # the whole retry is parsed as the report; half a page never is
    documents = {line["url"] for line in guarded.events("report")}
    assert once in documents and always not in documents, sorted(documents)


class _Stall(BaseHTTPRequestHandler):
    """Reads the request, then answers nothing for a minute (the client's timeout ends it)."""

    def do_GET(self) -> None:
        self.server.seen.requests.append((self.path, time.monotonic()))  # type: ignore[attr-defined]
        time.sleep(60)

    def log_message(self, *args: object) -> None:
        pass


def _stall_home(port: int) -> type[BaseHTTPRequestHandler]:
    items = "".join(f'<li><a href="http://127.0.0.1:{port}/zwgk/{y}.html">{AGENCY}{y}年政府信息公开工作年度报告</a></li>'
                    for y in range(2013, 2025))
    home = _page(AGENCY, f"<ul>{items}</ul><a href='/zwgk/ndbg/2024.html'>{AGENCY}2024年政府信息公开工作年度报告</a>")

    class Home(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            _send(self, home if self.path == "/" else _report(2024))

        def log_message(self, *args: object) -> None:
            pass

    return Home


def test_a_host_that_keeps_timing_out_is_given_up(tmp_path: Path) -> None:
    """Twelve report links to a host that never answers: after two timeouts in a row the crawl
    sends it nothing more, the rest of the portal is crawled, and the run ends long before
    twelve timeouts (with their retries) would have."""
    stall_seen = Seen()
    stall = _CountingServer(("127.0.0.1", 0), _Stall, stall_seen)
    home = ThreadingHTTPServer(("127.0.0.1", 0), _stall_home(int(stall.server_address[1])))
    home.daemon_threads = True
    for server in (stall, home):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = dict(os.environ, NIANBAO_LOG_DIR=str(tmp_path / "logs"), NIANBAO_ALLOW_INTERNAL="127.0.0.1/32",
                   NIANBAO_EXTRA_DOMAINS=f"127.0.0.1:{stall.server_address[1]}", NIANBAO_TIMEOUT_S="2",
                   NIANBAO_HOST_TIMEOUTS="2", NIANBAO_TIMEOUT_RETRIES="1", NIANBAO_PER_HOST="2",
                   NIANBAO_OBEY_ROBOTS="0")
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", f"http://127.0.0.1:{home.server_address[1]}/",
             "--db", f"sqlite:///{tmp_path / 'n.sqlite'}", "--archive", str(tmp_path / "warc"), "--quiet",
             "--no-browser"],
            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
        )
        seconds = time.monotonic() - start
    finally:
        for server in (stall, home):
            server.shutdown()
            server.server_close()
    log = [json.loads(line) for line in next((tmp_path / "logs").glob("crawl-*.jsonl")).read_text().splitlines()]
    assert proc.returncode == 4, proc.stdout + proc.stderr  # finished, some fetches failed
    given_up = [line for line in log if line["event"] == "host-given-up"]
    assert len(given_up) == 1 and given_up[0]["url"] == f"http://127.0.0.1:{stall.server_address[1]}/"
    assert "2 timeouts or rate cuts in a row" in given_up[0]["reason"]
    not_sent = [line for line in log if line["event"] == "failed" and "HostGivenUp" in line.get("reason", "")]
    assert len(stall_seen.requests) + len(not_sent) >= 12
    assert len(stall_seen.requests) <= 2 + 1 + 1  # the two in flight, one retry, one more in flight at most
    assert any(line["event"] == "report" and line["url"].endswith("/zwgk/ndbg/2024.html") for line in log)
    assert seconds < 60, seconds


def _forward_proxy(seen: Seen) -> type[BaseHTTPRequestHandler]:
    """A plain forward proxy (absolute-URI GETs), streaming the upstream answer as it comes."""

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.requests.append((self.path, time.monotonic()))
            parts = urlsplit(self.path)
            try:
                conn = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=70)
                conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                             headers={"Host": parts.netloc, "User-Agent": self.headers.get("User-Agent", "")})
                upstream = conn.getresponse()
                self.send_response(upstream.status)
                for k, v in upstream.getheaders():
                    if k.lower() not in ("connection", "transfer-encoding", "keep-alive"):
                        self.send_header(k, v)
                self.end_headers()
                while chunk := upstream.read1(65536):
                    self.wfile.write(chunk)
                    self.wfile.flush()
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Proxy


def test_through_a_proxy_internal_targets_are_still_refused(farm: Farm, tmp_path: Path) -> None:
    """With a proxy (on 127.0.0.3, which is not allowed: the operator's proxy is exempt) the
    proxy resolves and connects, so the crawl refuses internal IP literals and names that
    resolve internally before asking it: the proxy is never asked for 127.0.0.2 or evil.test."""
    proxy_seen = Seen()
    proxy = _CountingServer(("127.0.0.3", 0), _forward_proxy(proxy_seen), proxy_seen)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        crawl = _crawl(farm, tmp_path, "--proxy", f"http://127.0.0.3:{proxy.server_address[1]}", "--no-browser")
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert crawl.exit_code in (0, 4, 5), crawl.output
    asked = [p for p, _ in proxy_seen.requests]
    assert farm.home in asked and f"{farm.home}zwgk/ndbg/2024.html" in asked  # the crawl went through it
    assert not [p for p in asked if "127.0.0.2" in p or "evil.test" in p], asked
    assert crawl.internal_connections == 0
    inner = farm.inner
    refused = {line["url"] for line in crawl.events("refused")}
    assert {f"http://127.0.0.2:{inner}/zwgk/2023.html", f"http://evil.test:{inner}/zwgk/2022.html",
            f"http://127.0.0.2:{inner}/secret/2021.html", f"http://evil.test:{inner}/secret/2020.html"} <= refused
