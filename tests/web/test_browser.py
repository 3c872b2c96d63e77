"""The UI as a journalist uses it — a real uvicorn server on loopback, driven by Debian's Chromium —
and replay from pywb on its own origin, where an archived script cannot reach the UI."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from crawler.config import CHROMIUM_ARGS
from crawler.web.app import UI_CSP, WebConfig, create_app
from crawler.web.replay import COLLECTION, start_replay, stop_replay
from tests.web.conftest import Store
from tests.web.store import REPLAY_PAGE_URL

pytestmark = [pytest.mark.slow, pytest.mark.browser]

UI_HOST, REPLAY_HOST = "127.0.0.1", "127.0.0.2"
seen: list[tuple[str, str, int]] = []
"""Requests the UI server answered in the running test: (path, Sec-Fetch-Site, status)."""
ARTIFACTS = Path(os.environ.get("NIANBAO_ARTIFACTS", "data/artifacts")) / "web"


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@pytest.fixture
def servers(store: Store, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(UI base URL, replay base URL): uvicorn in a thread, pywb as a subprocess."""
    rport = free_port(REPLAY_HOST)
    replay_base = f"http://{REPLAY_HOST}:{rport}"
    proc = start_replay(store.archive, tmp_path / "pywb", REPLAY_HOST, rport)
    port = free_port(UI_HOST)
    inner = create_app(WebConfig(store.engine, store.archive, replay_base))
    seen.clear()

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        """The UI app, noting (path, Sec-Fetch-Site, status) of every request it answers."""
        headers = dict(scope.get("headers") or [])
        site = headers.get(b"sec-fetch-site", b"").decode()

        async def noting(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                seen.append((scope["path"], site, message["status"]))
            await send(message)

        await inner(scope, receive, noting)

    server = uvicorn.Server(uvicorn.Config(app, host=UI_HOST, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://{UI_HOST}:{port}", replay_base
    finally:
        server.should_exit = True
        thread.join(10)
        stop_replay(proc)


def test_replay_is_served_from_another_origin(servers: tuple[str, str], store: Store) -> None:
    ui, replay = servers
    url = f"{replay}/{COLLECTION}/2024/{REPLAY_PAGE_URL}"
    with urllib.request.urlopen(url, timeout=20) as resp:
        body = resp.read().decode("utf-8")
        csp = resp.headers.get("Content-Security-Policy", "")
    assert "归档页面" in body
    assert "default-src" in csp and "frame-ancestors 'self'" in csp
    assert replay.split("//")[1].split(":")[0] != ui.split("//")[1].split(":")[0]
    with urllib.request.urlopen(f"{ui}/api/search", timeout=10) as resp:
        assert resp.headers["Content-Security-Policy"] == UI_CSP
        assert resp.headers.get("Access-Control-Allow-Origin") is None


def test_journalist_flow_in_chromium(servers: tuple[str, str], store: Store, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ui, replay = servers
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        try:
            context = browser.new_context(accept_downloads=True, java_script_enabled=True)
            context.add_cookies([{"name": "ui_secret", "value": "s3cret", "url": ui}])
            page = context.new_page()
            # search in Chinese, then facet
            page.goto(f"{ui}/")
            page.fill("input[name=q]", "吴中区")
            page.click("button[type=submit]")
            assert page.inner_text("#total") == "2"
            page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
            page.click("section[data-facet=year] a:has-text('2023')")
            assert page.inner_text("#total") == "1"
            # a report with a failed check
            page.goto(f"{ui}/?failed=yes")
            page.click("a.report-link")
            assert page.locator("#failed-checks .failed-check").count() >= 1
            assert page.locator("td.cell-failed").count() >= 1
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
            # a version diff
            rid = store.built.reports["江苏省苏州市吴中区人民政府办公室 2023"]
            page.goto(f"{ui}/reports/{rid}")
            page.click("details.diff summary")
            assert page.locator("details.diff .diff-table tr").count() >= 2
            # download an original: its digest matches the WARC record
            key = "江苏省苏州市吴中区人民政府办公室 2022"
            page.goto(f"{ui}/reports/{store.built.reports[key]}")
            with page.expect_download() as dl:
                page.locator("div.document.supplier a.download").click()
            saved = tmp_path / "original.docx"
            dl.value.save_as(saved)
            assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(store.built.docx_bytes[key]).hexdigest()
            # compare
            aid = store.built.agencies["江苏省苏州市吴中区人民政府办公室"]
            page.goto(f"{ui}/compare/agency/{aid}")
            assert page.locator("figure.chart svg polyline").count() >= 1
            page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
            page.goto(f"{ui}/compare/year/2023?field=requests.new_received.total")
            page.click("th[data-field='requests.new_received.total'] a")
            assert "order=desc" in page.url
            # replay: the archived script runs, on the replay origin, without the UI's cookie
            replay_page = context.new_page()
            replay_page.goto(f"{replay}/{COLLECTION}/2024/{REPLAY_PAGE_URL}")
            replay_page.wait_for_function("document.getElementById('out').textContent !== 'pending'", timeout=15000)
            out = replay_page.inner_text("#out")
            assert out.startswith("cookie=[") and "s3cret" not in out
            # its scripts cannot read the UI's API (wombat keeps fetches in the archive; the replay
            # CSP allows only its own origin; the UI sends no CORS header) nor frame a UI page
            reached = replay_page.evaluate(
                "url => fetch(url).then(r => r.text(), e => 'blocked: ' + e).catch(e => 'blocked: ' + e)",
                f"{ui}/api/search",
            )
            assert '"facets"' not in reached
            framed = replay_page.evaluate(
                """url => new Promise(done => { const f = document.createElement('iframe'); f.src = url;
                   f.onload = () => { try { done('read:' + f.contentDocument.body.innerText); }
                                      catch (e) { done('blocked'); } };
                   document.body.appendChild(f); setTimeout(() => done('blocked'), 5000); })""",
                f"{ui}/",
            )
            assert "政府信息公开工作年度报告档案" not in framed
            assert not [r for r in seen if r[1] == "cross-site" and r[0].startswith("/api/") and r[2] == 200]
        finally:
            browser.close()
