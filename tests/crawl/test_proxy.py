"""Crawling through a forward proxy, and past broken certificates.

A real tinyproxy on loopback adds a header to what it forwards; the portal served here answers
403 to every request that lacks it, standing in for portals that answer only domestic
addresses. Crawls run in their own process (``python -m crawler crawl``), plain and rendered
pages alike. A second portal speaks HTTPS with a self-signed certificate.
"""

from __future__ import annotations

import asyncio
import datetime
import gzip
import ipaddress
import json
import os
import random
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import Session, select

from crawler.config import ConfigError, CrawlConfig, mask_password
from crawler.fetch.tls import certificate_problem
from crawler.middlewares.proxy import bypassed, proxy_for
from crawler.settings import scrapy_settings
from sitefarm.content.generate import generate_report
from sitefarm.content.render import render
from sitefarm.server.http import Request, Response, serve_connection
from storage.db import make_engine
from storage.models import Capture, Report

USER, PASSWORD = "nianbao", "s3cret-Pw"
AGENCY = "青州市交通运输局"
REPORT_2023 = "/zfxxgk/ndbg/202401/t20240125_88123.html"
REPORT_2022 = "/zfxxgk/ndbg/202301/t20230118_77051.html"  # a script shell: rendered by Chromium


# ---------------------------------------------------------------- pure parts


def test_mask_password() -> None:
    assert mask_password(f"http://{USER}:{PASSWORD}@127.0.0.1:3128") == f"http://{USER}:***@127.0.0.1:3128"
    assert mask_password("http://127.0.0.1:3128") == "http://127.0.0.1:3128"
    assert mask_password("http://token@proxy.example:8080/") == "http://token@proxy.example:8080/"


def test_proxy_setting_validated_and_from_standard_variables() -> None:
    env = {"https_proxy": "http://10.0.0.1:3128", "no_proxy": "localhost,.gov.cn"}
    config = CrawlConfig.from_env(env, browser=False)
    assert (config.proxy, config.no_proxy) == ("http://10.0.0.1:3128", "localhost,.gov.cn")
    own = CrawlConfig.from_env({**env, "NIANBAO_PROXY": "http://127.0.0.1:8888"}, browser=False)
    assert own.proxy == "http://127.0.0.1:8888"  # nianbao's own variable wins
    assert CrawlConfig.from_env(env, browser=False, proxy="http://127.0.0.1:9").proxy == "http://127.0.0.1:9"
    with pytest.raises(ConfigError) as bad:
        CrawlConfig.from_env({"NIANBAO_PROXY": f"socks5://{USER}:{PASSWORD}@127.0.0.1"}, browser=False)
    assert str(bad.value).startswith("proxy ") and PASSWORD not in str(bad.value)
    with pytest.raises(ConfigError):
        CrawlConfig.from_env({}, browser=False, proxy="127.0.0.1:3128")


def test_no_proxy_rules() -> None:
    assert bypassed("http://www.beijing.gov.cn/", ".gov.cn")
    assert bypassed("http://gov.cn/", "gov.cn")
    assert bypassed("https://a.b.gov.cn:8443/x", "*.gov.cn")
    assert not bypassed("http://notgov.cn/", "gov.cn")
    assert bypassed("http://127.0.0.1:8080/", "127.0.0.1:8080")
    assert not bypassed("http://127.0.0.1:8081/", "127.0.0.1:8080")
    assert bypassed("http://anything/", "*")
    assert proxy_for("http://www.gz.gov.cn/", "http://p:1", "") == "http://p:1"
    assert proxy_for("http://www.gz.gov.cn/", "http://p:1", "gz.gov.cn") is None
    assert proxy_for("http://www.gz.gov.cn/", "", "") is None


def test_browser_gets_the_proxy() -> None:
    config = CrawlConfig(browser=False, proxy=f"http://{USER}:{PASSWORD}@127.0.0.1:3128", no_proxy="a.cn, .b.cn")
    settings = scrapy_settings(config)
    assert settings["PLAYWRIGHT_LAUNCH_OPTIONS"]["proxy"] == {
        "server": "http://127.0.0.1:3128", "username": USER, "password": PASSWORD, "bypass": "a.cn,.b.cn"}
    assert "crawler.middlewares.proxy.ProxyMiddleware" in settings["DOWNLOADER_MIDDLEWARES"]
    assert "proxy" not in scrapy_settings(CrawlConfig(browser=False))["PLAYWRIGHT_LAUNCH_OPTIONS"]


# ---------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><div class="header">{AGENCY}</div>{body}<div class="footer">主办：{AGENCY}</div>'
            "</body></html>").encode()


def _pages() -> dict[str, bytes]:
    rng = random.Random(10)
    r2023 = render(generate_report(rng, AGENCY, 2023), "html")
    spec_2022 = generate_report(rng, AGENCY, 2022)
    inner = render(spec_2022, "html").decode()
    inner = inner[inner.find("<body"):].split(">", 1)[1].rsplit("</body>", 1)[0]
    # A script shell like those of client-rendered platforms: an empty app container, the
    # content written by a script.
    shell = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{spec_2022.title}</title></head>'
             '<body><div id="app"></div><script>document.getElementById("app").innerHTML = '
             f"{json.dumps(inner, ensure_ascii=False)};</script></body></html>").encode()
    return {
        "/": _page(f"{AGENCY}门户网站", '<ul class="nav"><li><a href="/">首页</a></li>'
                   '<li><a href="/zfxxgk/">政府信息公开</a></li></ul>'),
        "/zfxxgk/": _page("政府信息公开", '<ul><li><a href="/zfxxgk/zc/">政策文件</a></li>'
                          '<li><a href="/zfxxgk/ndbg/">政府信息公开年报</a></li></ul>'),
        "/zfxxgk/ndbg/": _page("政府信息公开年报", '<ul class="list">'
                               f'<li><a href="{REPORT_2023}">{AGENCY}2023年政府信息公开工作年度报告</a>'
                               '<span>2024-01-25</span></li>'
                               f'<li><a href="{REPORT_2022}">{AGENCY}2022年政府信息公开工作年度报告</a>'
                               '<span>2023-01-18</span></li></ul>'),
        REPORT_2023: r2023,
        REPORT_2022: shell,
    }


@dataclass
class Portal:
    """A small portal on loopback; with ``proxy_only`` it answers 403 unless the proxy's header came."""

    proxy_only: bool
    tls: ssl.SSLContext | None = None
    port: int = 0
    seen: list[tuple[str, bool, str]] = field(default_factory=list)
    """(path, came through the proxy, User-Agent) of every request."""
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/"

    async def handle(self, req: Request) -> Response:
        proxied = req.header("x-forwarded-via") == "tinyproxy"
        self.seen.append((req.path, proxied, req.header("user-agent")))
        if self.proxy_only and not proxied:
            return Response(403, [("Content-Type", "text/html; charset=utf-8")],
                            _page("403 Forbidden", "<h1>访问被拒绝</h1><p>您的访问被阻断。</p>"))
        body = _PAGES.get(req.path)
        if body is None:
            return Response(404, [("Content-Type", "text/html; charset=utf-8")], _page("404", "页面不存在"))
        return Response(200, [("Content-Type", "text/html; charset=utf-8")], body)

    def start(self) -> Portal:
        ready = threading.Event()
        self._stopping = threading.Event()

        async def main() -> None:
            server = await asyncio.start_server(
                lambda r, w: serve_connection(r, w, self.handle, self.port), "127.0.0.1", 0, ssl=self.tls)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            async with server:
                while not self._stopping.is_set():
                    await asyncio.sleep(0.05)

        self._thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(10)


_PAGES: dict[str, bytes] = {}


@pytest.fixture(scope="module")
def pages() -> None:
    _PAGES.update(_pages())


@pytest.fixture(scope="module")
def tinyproxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real tinyproxy with basic auth; yields its URL with the credentials."""
    binary = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
    if not Path(binary).exists():
        pytest.fail("tinyproxy is not installed (scripts/setup.sh installs it)")
    folder = tmp_path_factory.mktemp("tinyproxy")
    port = _free_port()
    conf = folder / "tinyproxy.conf"
    conf.write_text(
        f"Port {port}\nListen 127.0.0.1\nTimeout 60\nMaxClients 64\nAllow 127.0.0.1\n"
        f"BasicAuth {USER} {PASSWORD}\nAddHeader \"X-Forwarded-Via\" \"tinyproxy\"\nLogLevel Info\n"
        + ("User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""))
    proc = subprocess.Popen([binary, "-d", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("tinyproxy did not start")
            time.sleep(0.1)
    yield f"http://{USER}:{PASSWORD}@127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def portal(pages: None) -> Iterator[Portal]:
    p = Portal(proxy_only=True).start()
    yield p
    p.stop()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture(scope="module")
def https_portal(pages: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Portal, Path]]:
    cert, key = _self_signed(tmp_path_factory.mktemp("cert"))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    p = Portal(proxy_only=False, tls=ctx).start()
    yield p, cert
    p.stop()


# ---------------------------------------------------------------- crawls


@dataclass
class Crawl:
    folder: Path
    db_url: str
    exit_code: int
    output: str

    @property
    def log(self) -> list[dict[str, object]]:
        lines = []
        for path in sorted((self.folder / "logs").glob("crawl-*.jsonl")):
            lines += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return lines

    def captures(self) -> list[Capture]:
        engine = make_engine(self.db_url)
        with Session(engine) as s:
            out = list(s.exec(select(Capture)))
        engine.dispose()
        return out

    def reports(self) -> list[Report]:
        engine = make_engine(self.db_url)
        with Session(engine) as s:
            out = list(s.exec(select(Report)))
        engine.dispose()
        return out

    def warc_bytes(self) -> bytes:
        return b"".join(gzip.decompress(p.read_bytes()) for p in sorted((self.folder / "warc").glob("*.warc.gz")))


def _crawl(folder: Path, url: str, *extra: str, env: dict[str, str] | None = None) -> Crawl:
    folder.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{folder / 'nianbao.sqlite'}"
    base = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
    full_env = dict(base, NIANBAO_LOG_DIR=str(folder / "logs"), NIANBAO_OPERATOR="pytest",
                    NIANBAO_ALLOW_INTERNAL="127.0.0.1/32", **(env or {}))
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", url, "--db", db_url, "--archive", str(folder / "warc"),
         "--quiet", *extra],
        capture_output=True, text=True, timeout=600, env=full_env, cwd=folder,
    )
    return Crawl(folder, db_url, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="module")
def proxied_crawl(portal: Portal, tinyproxy: str, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return _crawl(tmp_path_factory.mktemp("proxied"), portal.url, "--proxy", tinyproxy)


@pytest.mark.slow
@pytest.mark.browser
def test_crawl_through_proxy_reaches_reports(proxied_crawl: Crawl, portal: Portal) -> None:
    crawl = proxied_crawl
    assert crawl.exit_code == 0, crawl.output
    assert sorted(r.year for r in crawl.reports()) == [2022, 2023], crawl.output
    ok = {(c.url.split(str(portal.port), 1)[1], c.rendered) for c in crawl.captures() if c.status in (200, None)}
    assert (REPORT_2023, False) in ok
    assert (REPORT_2022, True) in ok  # the shell went through Chromium, and so through the proxy
    events = [e for e in crawl.log if str(e.get("url", "")).endswith(REPORT_2022)]
    assert any(e["event"] == "render" for e in events)
    # Every request the portal saw came through the proxy (the browser's too: a rendered page
    # fetched directly would have been the 403 page, and no 2022 report).
    assert portal.seen and all(proxied for _, proxied, _ in portal.seen)
    assert any(path == REPORT_2022 and "Headless" not in ua for path, _, ua in portal.seen[1:])


@pytest.mark.slow
@pytest.mark.browser
def test_proxy_recorded_without_its_password(proxied_crawl: Crawl, tinyproxy: str) -> None:
    warc = proxied_crawl.warc_bytes()
    masked = mask_password(tinyproxy).encode()
    info = warc[: warc.index(b"\r\n\r\n\r\n")]
    assert b"WARC-Type: warcinfo" in info and b'"proxy":"' + masked + b'"' in info
    secrets = (PASSWORD.encode(), b"Proxy-Authorization", b"bmlhbmJhbz")  # base64 of "nianbao:" too
    assert not any(s in warc for s in secrets)
    for path in proxied_crawl.folder.rglob("*"):
        if path.is_file() and not path.name.endswith(".gz"):
            assert PASSWORD.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_without_proxy_portal_answers_403(portal: Portal, tmp_path: Path) -> None:
    crawl = _crawl(tmp_path, portal.url, "--no-browser")
    home = [e for e in crawl.log if e.get("url") == portal.url]
    assert home and any(e.get("status") == 403 for e in home), crawl.log
    assert crawl.reports() == []
    assert crawl.exit_code != 0


@pytest.mark.slow
@pytest.mark.browser
def test_standard_proxy_variables(portal: Portal, tinyproxy: str, tmp_path: Path) -> None:
    crawl = _crawl(tmp_path, portal.url, "--no-browser", env={"http_proxy": tinyproxy})
    assert crawl.exit_code == 0, crawl.output
    assert [r.year for r in crawl.reports()] == [2023]  # the shell is skipped without a browser
    bypass = _crawl(tmp_path / "bypass", portal.url, "--no-browser",
                    env={"http_proxy": tinyproxy, "no_proxy": "127.0.0.1"})
    assert bypass.reports() == [] and any(e.get("status") == 403 for e in bypass.log)


@pytest.mark.slow
@pytest.mark.browser
def test_self_signed_https_crawled_and_recorded(https_portal: tuple[Portal, Path], tmp_path: Path) -> None:
    portal, _ = https_portal
    crawl = _crawl(tmp_path, portal.url)
    assert crawl.exit_code == 0, crawl.output
    assert sorted(r.year for r in crawl.reports()) == [2022, 2023], crawl.output
    assert any(c.rendered and c.url.endswith(REPORT_2022) for c in crawl.captures())
    tls = [e for e in crawl.log if e["event"] == "tls"]
    assert len(tls) == 1, tls  # once per host
    assert tls[0]["verified"] is False and "self" in str(tls[0]["reason"]).lower()
    assert tls[0]["url"] == portal.url


def test_certificate_problem(https_portal: tuple[Portal, Path], tinyproxy: str) -> None:
    portal, cert = https_portal
    problem = certificate_problem("127.0.0.1", portal.port)
    assert problem is not None and "self" in problem.lower()
    trusting = ssl.create_default_context(cafile=str(cert))
    assert certificate_problem("127.0.0.1", portal.port, context=trusting) is None
    # Through the proxy (CONNECT), as the crawl's requests go.
    assert certificate_problem("127.0.0.1", portal.port, tinyproxy, context=trusting) is None
    via = certificate_problem("127.0.0.1", portal.port, tinyproxy)
    assert via is not None and "self" in via.lower()
    assert (certificate_problem("127.0.0.1", _free_port()) or "").startswith("connect failed")
