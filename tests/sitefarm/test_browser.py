"""A real Chromium passes the anti-bot gates and renders the script-only lists; plain HTTP does not."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from crawler.config import CHROMIUM_ARGS
from sitefarm.serve import RunningFarm

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARGS = list(CHROMIUM_ARGS)


def _with_page(scenario: Callable[[Any], Awaitable[None]]) -> None:
    from playwright.async_api import async_playwright

    async def run() -> None:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            try:
                page = await (await browser.new_context()).new_page()
                await scenario(page)
            finally:
                await browser.close()

    asyncio.run(run())


async def _wait_for_text(page: Any, text: str, timeout: float = 15.0) -> str:
    """Poll until the challenge has reloaded into the real document (as renderers do)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            html = await page.content()
        except Exception:  # navigation in progress
            html = ""
        if text in html:
            return str(html)
        await asyncio.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared on {page.url}")


@pytest.mark.parametrize("portal", ["ruishu", "jiasule"])
def test_chromium_passes_the_challenge(sitefarm: RunningFarm, portal: str) -> None:
    info = sitefarm.manifest.portal(portal)
    report = sitefarm.manifest.reports_of(portal)[-1]
    article = report.locations[0].path

    async def scenario(page: Any) -> None:
        first = await page.goto(sitefarm.url(portal, info.home))
        assert first.status == (412 if portal == "ruishu" else 521)
        await _wait_for_text(page, f"<title>{info.name}</title>")
        await page.goto(sitefarm.url(portal, article))
        html = await _wait_for_text(page, report.title)
        assert "<table" in html or "附件" in html
        cookies = {c["name"] for c in await page.context.cookies()}
        assert (
            {"NfBCSins2OywS", "NfBCSins2OywT"} if portal == "ruishu" else {"__jsluid_h", "__jsl_clearance_s"}
        ) <= cookies

    _with_page(scenario)


def test_chromium_renders_gkmlpt_and_hanweb_lists(sitefarm: RunningFarm) -> None:
    gk = sitefarm.manifest.reports_of("gkmlpt")
    hw = sitefarm.manifest.reports_of("hanweb")

    async def scenario(page: Any) -> None:
        await page.goto(sitefarm.url("gkmlpt", "/gkmlpt/annualreport#2629"))
        await page.wait_for_selector("table.list a")
        links = await page.eval_on_selector_all("table.list a", "els => els.map(e => e.title)")
        assert len(links) == 100 and set(links) <= {r.title for r in gk}
        await page.goto(sitefarm.url("gkmlpt", "/gkmlpt/annualreport#2629/2"))
        await page.wait_for_function("document.querySelectorAll('table.list a').length < 100")
        detail = next(loc.path for loc in gk[0].locations if loc.kind == "article")
        await page.goto(sitefarm.url("gkmlpt", detail))
        assert gk[0].title in await _wait_for_text(page, gk[0].title)
        await page.goto(sitefarm.url("hanweb", "/col/col29547/index.html"))
        await page.wait_for_selector(".default_pgContainer a")
        last = await page.eval_on_selector(".default_pgToolbar a:nth-of-type(4)", "e => e.dataset.p")
        await page.click(".default_pgToolbar a:nth-of-type(4)")
        await page.wait_for_function(
            f"document.querySelector('.default_pgToolbar span').textContent.includes('{last}/')"
        )
        titles = await page.eval_on_selector_all(".default_pgContainer a", "els => els.map(e => e.title)")
        assert titles and set(titles) <= {r.title for r in hw}
        assert hw[-1].title in titles or len(titles) == len(hw) % 15 or len(titles) == 15

    _with_page(scenario)
