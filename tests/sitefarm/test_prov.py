"""The "prov" portal: a TRS 动静结合 column, a 加载更多 list fed by an external script, and a list
that exists only as the answer to a form POST — each served as its manifest says, each list
stating its own size, and (in Chromium) each paged the way a person pages it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import lxml.html
import pytest

from sitefarm.manifest import ReportEntry
from sitefarm.portals import prov
from sitefarm.serve import RunningFarm

from .walker import decode, fetch

P = "prov"


def _get(farm: RunningFarm, path: str) -> str:
    got = fetch(farm.url(P, path))
    assert got.status == 200, (path, got.status, got.error)
    return decode(got)


def _post(farm: RunningFarm, path: str, fields: dict[str, Any] | list[tuple[str, str]]) -> tuple[int, str]:
    got = fetch(farm.url(P, path), method="POST", data=urlencode(fields).encode())
    return got.status, decode(got)


def _column(farm: RunningFarm, column: str) -> list[ReportEntry]:
    return [r for r in farm.manifest.reports_of(P) if r.column == column]


def _articles(farm: RunningFarm, column: str) -> set[str]:
    return {r.locations[0].path for r in _column(farm, column)}


def _noise_under(farm: RunningFarm, prefix: str) -> set[str]:
    return {n.path for n in farm.manifest.noise if n.portal == P and n.path.startswith(prefix)}


def _paths(hrefs: list[str]) -> set[str]:
    return {urlsplit(h).path for h in hrefs}


# --- served as the manifest says -------------------------------------------------------------------


def test_every_manifest_location_is_served(sitefarm: RunningFarm) -> None:
    reports = sitefarm.manifest.reports_of(P)
    assert 15 <= len(reports) <= 25
    assert {r.column for r in reports} == set(sitefarm.manifest.portal(P).report_columns)
    for report in reports:
        for loc in report.locations:
            got = fetch(sitefarm.url(P, loc.path))
            assert got.status == 200, (report.id, loc.path, got.status)
            if loc.kind == "article":
                assert report.title in decode(got), report.id
            else:
                assert got.content_type == loc.content_type and len(got.body) > 1000
    assert sitefarm.manifest.reports_of(P)[0].agency == prov.NAME


def test_noise_pages_are_served_and_not_reports(sitefarm: RunningFarm) -> None:
    reports = {loc.path for r in sitefarm.manifest.reports_of(P) for loc in r.locations}
    noise = [n for n in sitefarm.manifest.noise if n.portal == P]
    assert {n.kind for n in noise} >= {"notice", "guide"}
    for n in noise:
        assert n.path not in reports
        assert fetch(sitefarm.url(P, n.path)).status == 200, n


# --- 1. TRS 动静结合 ---------------------------------------------------------------------------------


def _listmodel(html: str) -> dict[str, str]:
    m = re.search(r"listModel\(\{(.*?)\}\);", html, re.S)
    assert m, "no listModel call"
    text = m.group(1)
    return {
        "recordCount": re.search(r"recordCount:\s*'(\d+)'", text).group(1),  # type: ignore[union-attr]
        "prepage": re.search(r"prepage:\s*(\d+)", text).group(1),  # type: ignore[union-attr]
        "classsql": re.search(r'classsql:\s*"([^"]+)"', text).group(1),  # type: ignore[union-attr]
        "sortfield": re.search(r'sortfield:\s*"([^"]+)"', text).group(1),  # type: ignore[union-attr]
        "maxStaticIndex": re.search(r"maxStaticIndex:\s*(\d+)", text).group(1),  # type: ignore[union-attr]
    }


def _search(farm: RunningFarm, html: str, page: int) -> dict[str, Any]:
    """What listModel.js POSTs for ``page`` and its answer, read the way the script reads it."""
    args = _listmodel(html)
    site = re.search(r"var SiteInfo = \{(.*?)\};", html, re.S)
    assert site
    search_id = re.search(r"searchId:\s*(\d+)", site.group(1)).group(1)  # type: ignore[union-attr]
    url = re.search(r'searchUrl:\s*"([^"]+)"', site.group(1)).group(1)  # type: ignore[union-attr]
    fields = {
        "channelid": search_id,
        "classsql": args["classsql"],
        "sortfield": args["sortfield"],
        "page": page,
        "prepage": args["prepage"],
    }
    status, text = _post(farm, url, fields)
    assert status == 200
    if "docabstract" in text:
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)  # raw line breaks inside strings, as on real WAS answers
    return dict(json.loads(re.sub(r"[\r\n\t]+", " ", text)))


def test_dongjing_static_first_page_then_search_api(sitefarm: RunningFarm) -> None:
    html = _get(sitefarm, prov.NB.path)
    assert "动静结合" in html and "SiteInfo.searchId" in html and 'src="/images/listModel.js"' in html
    args = _listmodel(html)
    per, stated = int(args["prepage"]), int(args["recordCount"])
    static = _paths(lxml.html.fromstring(html).xpath('//ul[@id="list"]/li/a/@href'))
    static = {prov.NB.path + p[2:] if p.startswith("./") else p for p in static}
    assert len(static) == per and args["maxStaticIndex"] == "1"
    assert fetch(sitefarm.url(P, prov.NB.path + "index_1.html")).status == 404
    seen = set(static)
    pages = -(-stated // per)
    for page in range(2, pages + 1):
        answer = _search(sitefarm, html, page)
        assert answer["data"]["total"] == stated and answer["data"]["page"] == page
        docs = answer["data"]["docs"]
        assert docs and len(docs) <= per
        seen |= _paths([d["docpuburl"] for d in docs])
        assert all(d["docpuburl"].startswith(sitefarm.base_urls[P]) for d in docs)
    assert _search(sitefarm, html, pages + 1)["data"]["docs"] == []
    expected = _articles(sitefarm, prov.NB.path) | _noise_under(sitefarm, prov.NB.path)
    assert seen == expected and len(expected) == stated  # the list states its true size
    # page 1 of the API is the static page; another channel or library lists nothing
    assert _paths([d["docpuburl"] for d in _search(sitefarm, html, 1)["data"]["docs"]]) == static
    status, text = _post(
        sitefarm, prov.SEARCH_URL, {"channelid": "1", "classsql": args["classsql"], "page": 1}
    )
    assert status == 200 and '"docs": [\r\n\r\n]' in text


# --- 2. 加载更多 ------------------------------------------------------------------------------------


def test_xhr_column_html_names_no_endpoint_and_needs_a_browser(sitefarm: RunningFarm) -> None:
    html = _get(sitefarm, prov.ZS.path)
    root = lxml.html.fromstring(html)
    assert root.xpath('//ul[@id="list"]/*') == []
    assert [b.text_content() for b in root.xpath("//button")] == ["加载更多"]
    assert "/api/" not in html and "column-list.js" in html
    assert not [s for s in root.xpath("//script[not(@src)]") if (s.text or "").strip()]
    needs = {(b.portal, b.path) for b in sitefarm.manifest.browser_pages}
    assert (P, prov.ZS.path) in needs
    assert not [b for b in sitefarm.manifest.browser_pages if b.portal == P and b.path != prov.ZS.path]
    script = _get(sitefarm, "/js/column-list.js")
    assert "/api/column/list?columnId=" in script and "加载更多" in script


def test_xhr_api_answers_what_the_script_reads(sitefarm: RunningFarm) -> None:
    seen: list[str] = []
    page, total = 1, None
    while True:
        got = fetch(sitefarm.url(P, f"/api/column/list?columnId={prov.ZS.channel}&page={page}&pageSize=3"))
        assert got.status == 200 and got.content_type.startswith("application/json")
        answer = json.loads(got.body)
        assert set(answer) >= {"total", "pageSize", "data"} and answer["pageSize"] == 3
        total = answer["total"]
        if not answer["data"]:
            break
        assert all(set(row) == {"title", "link", "date"} for row in answer["data"])
        seen += [row["link"] for row in answer["data"]]
        page += 1
    expected = _articles(sitefarm, prov.ZS.path) | _noise_under(sitefarm, prov.ZS.path)
    assert set(seen) == expected and len(seen) == total  # stated total = what the pages list
    assert page - 1 >= 3  # the list needs the initial load and at least two clicks
    wrong = json.loads(fetch(sitefarm.url(P, "/api/column/list?columnId=999&page=1")).body)
    assert wrong["total"] == 0 and wrong["data"] == []


# --- 3. form-POST list -----------------------------------------------------------------------------


def _menu_form(farm: RunningFarm) -> tuple[str, list[tuple[str, str]]]:
    root = lxml.html.fromstring(_get(farm, prov.XXGK))
    (form,) = root.xpath("//form[@method='post']")
    fields = [(i.get("name"), i.get("value") or "") for i in form.iter("input")]
    return form.get("action"), fields


def test_form_post_list_pages_by_gopage(sitefarm: RunningFarm) -> None:
    action, fields = _menu_form(sitefarm)
    assert action == prov.LIST_DO and {k for k, _ in fields} == {"columnId", "pageNo", "pageSize"}
    status, first = _post(sitefarm, action, fields)
    assert status == 200 and prov.SQ.name in first
    m = re.search(r"共(\d+)条 共(\d+)页", first)
    assert m
    stated, pages = int(m.group(1)), int(m.group(2))
    assert pages >= 2 and "function goPage(n)" in first and 'onclick="goPage(2)"' in first
    seen: set[str] = set()
    for n in range(1, pages + 1):
        root = lxml.html.fromstring(
            first if n == 1 else _post(sitefarm, action, {**dict(fields), "pageNo": n})[1]
        )
        (again,) = root.xpath("//form[@id='pageForm']")  # the pager submits this same form
        assert again.get("action") == action and again.xpath(".//input[@name='pageNo']/@value") == [str(n)]
        seen |= _paths(root.xpath("//ul[@class='result-list']/li/a/@href"))
    expected = _articles(sitefarm, prov.LIST_DO) | _noise_under(sitefarm, prov.SQ.path)
    assert seen == expected and len(expected) == stated
    assert {r.locations[0].path.startswith(prov.SQ.path) for r in _column(sitefarm, prov.LIST_DO)} == {True}
    # the title filter of the same form narrows the list
    one = _column(sitefarm, prov.LIST_DO)[0]
    _, narrowed = _post(sitefarm, action, {**dict(fields), "title": one.title})
    assert "共1条 共1页" in narrowed


def test_form_post_list_refuses_get_and_unknown_columns(sitefarm: RunningFarm) -> None:
    got = fetch(sitefarm.url(P, prov.LIST_DO))
    assert got.status == 405 and "Request method &#39;GET&#39; not supported" in decode(got)
    assert "<li>" not in decode(got)
    got = fetch(sitefarm.url(P, prov.LIST_DO + f"?columnId={prov.SQ.channel}&pageNo=1&pageSize=3"))
    assert got.status == 405
    status, text = _post(sitefarm, prov.LIST_DO, {"columnId": "1", "pageNo": 1})
    assert status == 200 and "栏目参数错误" in text and "result-list" not in text


def test_news_column_states_its_size(sitefarm: RunningFarm) -> None:
    html = _get(sitefarm, prov.NEWS.path)
    items = lxml.html.fromstring(html).xpath("//ul[@class='list']/li")
    m = re.search(r"共(\d+)条", html)
    assert m and int(m.group(1)) == len(items) > 0


# --- in Chromium ---------------------------------------------------------------------------------


def _with_page(scenario: Callable[[Any], Awaitable[None]]) -> None:
    from playwright.async_api import async_playwright

    from crawler.config import CHROMIUM_ARGS

    async def run() -> None:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
            try:
                await scenario(await (await browser.new_context()).new_page())
            finally:
                await browser.close()

    asyncio.run(run())


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_loads_more_until_the_list_is_complete(sitefarm: RunningFarm) -> None:
    expected = _articles(sitefarm, prov.ZS.path) | _noise_under(sitefarm, prov.ZS.path)
    oldest = min(_column(sitefarm, prov.ZS.path), key=lambda r: r.published)
    requests: list[str] = []

    async def links(page: Any) -> list[str]:
        return list(await page.eval_on_selector_all("#list a", "els => els.map(e => e.href)"))

    async def scenario(page: Any) -> None:
        page.on("request", lambda r: requests.append(r.url))
        await page.goto(sitefarm.url(P, prov.ZS.path))
        await page.wait_for_function("document.querySelectorAll('#list li').length > 0")
        after: list[set[str]] = [_paths(await links(page))]
        clicks = 0
        while not await page.is_disabled("#loadMore") and clicks < 10:
            count = len(after[-1])
            await page.click("#loadMore")
            clicks += 1
            await page.wait_for_function(
                f"document.querySelectorAll('#list li').length > {count} || document.getElementById('loadMore').disabled"
            )
            after.append(_paths(await links(page)))
        assert after[-1] == expected
        assert clicks == 2 and await page.inner_text("#loadMore") == "没有更多了"
        path = oldest.locations[0].path
        assert path not in after[1] and path in after[2]  # only after the second click
        assert all(urlsplit(u).path == "/api/column/list" for u in requests if "/api/" in u)
        assert len([u for u in requests if "/api/column/list" in u]) == 3

    _with_page(scenario)


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_pages_the_dongjing_and_form_lists(sitefarm: RunningFarm) -> None:
    nb = _articles(sitefarm, prov.NB.path) | _noise_under(sitefarm, prov.NB.path)
    sq = _articles(sitefarm, prov.LIST_DO) | _noise_under(sitefarm, prov.SQ.path)

    async def items(page: Any, selector: str) -> set[str]:
        return _paths(await page.eval_on_selector_all(selector, "els => els.map(e => e.href)"))

    async def scenario(page: Any) -> None:
        await page.goto(sitefarm.url(P, prov.NB.path))
        await page.wait_for_selector("#pagebar a")
        assert "共" in await page.inner_text("#pagebar")
        seen = await items(page, "#list a")
        for _ in range(5):
            before = seen
            await page.click("#pagebar a:has-text('下一页')")
            await page.wait_for_timeout(300)
            now = await items(page, "#list a")
            if now == before or not now:
                break
            seen |= now
        assert seen == nb
        await page.goto(sitefarm.url(P, prov.XXGK))
        async with page.context.expect_page() as opened:
            await page.click(f"button:has-text('{prov.SQ.name}')")
        result = await opened.value
        await result.wait_for_selector(".result-list")
        seen = await items(result, ".result-list a")
        for _ in range(5):
            async with result.expect_navigation():
                await result.click(".pagination a:has-text('下一页')")
            now = await items(result, ".result-list a")
            if now <= seen:
                break
            seen |= now
        assert seen == sq

    _with_page(scenario)


# --- a crawl of this portal alone ------------------------------------------------------------------


@pytest.fixture(scope="module")
def prov_crawl(sitefarm: RunningFarm, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Crawl only this portal into a fresh SQLite db; stored (agency, year) and the crawl log."""
    from sqlmodel import Session, select

    from storage.db import make_engine
    from storage.models import Agency, Report, Site

    folder = tmp_path_factory.mktemp("prov-crawl")
    db = f"sqlite:///{folder / 'nianbao.sqlite'}"
    env = dict(
        os.environ,
        NIANBAO_LOG_DIR=str(folder / "logs"),
        NIANBAO_OPERATOR="pytest",
        NIANBAO_ALLOW_INTERNAL="127.0.0.1/32",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            sitefarm.manifest.home_url(P),
            "--db",
            db,
            "--archive",
            str(folder / "warc"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=folder,
    )
    engine = make_engine(db)
    with Session(engine) as s:
        rows = s.exec(
            select(Site.key, Agency.name, Report.year)
            .join(Agency, Agency.site_id == Site.id)
            .join(Report, Report.agency_id == Agency.id)
        ).all()
    engine.dispose()
    logs = sorted(Path(folder / "logs").glob("crawl-*.jsonl"))
    events = [json.loads(line) for line in logs[-1].read_text(encoding="utf-8").splitlines()] if logs else []
    return {
        "stored": {(a, y) for _, a, y in rows},
        "events": events,
        "exit": proc.returncode,
        "output": proc.stdout + proc.stderr,
    }


def _recall(crawl: dict[str, Any], farm: RunningFarm, column: str) -> tuple[int, int]:
    from storage.repo import normalize_agency_name

    stored = {(normalize_agency_name(a), y) for a, y in crawl["stored"]}
    want = {(normalize_agency_name(r.agency), r.year) for r in _column(farm, column)}
    return len(want & stored), len(want)


@pytest.mark.slow
@pytest.mark.browser
def test_crawl_stores_no_noise_and_reports_per_column(
    prov_crawl: dict[str, Any], sitefarm: RunningFarm
) -> None:
    from storage.repo import normalize_agency_name

    assert prov_crawl["exit"] in (0, 4, 5), prov_crawl["output"][-3000:]
    want = {(normalize_agency_name(r.agency), r.year) for r in sitefarm.manifest.reports_of(P)}
    stored = {(normalize_agency_name(a), y) for a, y in prov_crawl["stored"]}
    assert stored <= want, f"stored but not reports: {sorted(stored - want)}"  # precision 100 %
    lines = [
        f"{c}: found {_recall(prov_crawl, sitefarm, c)[0]} of {_recall(prov_crawl, sitefarm, c)[1]}"
        for c in sitefarm.manifest.portal(P).report_columns
    ]
    columns = [e for e in prov_crawl["events"] if e.get("event") == "column"]
    print(f"\nprov crawl (exit {prov_crawl['exit']}):\n  " + "\n  ".join(lines))
    for e in columns:
        print(
            f"  column {e.get('url')}: {e.get('status')} stated {e.get('stated_items')} found {e.get('found')}"
        )


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    "column",
    [
        prov.NB.path,
        prov.ZS.path,
        prov.LIST_DO,
    ],
)
def test_crawl_finds_every_report_of_the_column(
    prov_crawl: dict[str, Any], sitefarm: RunningFarm, column: str
) -> None:
    found, total = _recall(prov_crawl, sitefarm, column)
    assert found == total, f"{column}: found {found} of {total}"


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    "column",
    [
        prov.NB.path,
        prov.ZS.path,
        prov.LIST_DO,
    ],
)
def test_crawl_gives_evidence_for_every_column(
    prov_crawl: dict[str, Any], sitefarm: RunningFarm, column: str
) -> None:
    """Silence must mean completeness: each column has its "states N, found M" line, and a column
    found short is flagged as short."""
    lines = [
        e for e in prov_crawl["events"] if e.get("event") == "column" and urlsplit(e["url"]).path == column
    ]
    assert lines, f"no column line for {column}"
    found, total = _recall(prov_crawl, sitefarm, column)
    if found < total:
        assert lines[-1]["status"] == "short", lines[-1]
