"""The county portal: frames, a script-built menu, click-handler lists, viewer-wrapped PDFs and a
column mixing several agencies' reports with notices — each served as the manifest says, each
list stating its own size, and a crawl of this portal alone judged against its manifest."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from sqlmodel import Session, select

from sitefarm.manifest import ReportEntry
from sitefarm.portals import county_pages
from sitefarm.serve import RunningFarm
from storage.db import make_engine
from storage.models import Agency, Capture, Report, ReportVersion
from storage.repo import normalize_agency_name

from .walker import Fetched, fetch

PORTAL = "county"
_OPEN_ARTICLE = re.compile(r"openArticle\('(\d{4})','(\d+)'\)")
_SHOW_INFO = re.compile(r"showInfo\('(\w+)','(\d+)'\)")
_OPEN_PDF = re.compile(r"openPdf\('([^']+)'\)")
_STATED = re.compile(r"共\s*(\d+)\s*条")


def _get(farm: RunningFarm, path: str) -> Fetched:
    got = fetch(farm.url(PORTAL, path))
    assert got.status == 200, (path, got.status, got.error)
    return got


def _text(got: Fetched) -> str:
    assert "charset=gb2312" in got.content_type, got.content_type
    return got.body.decode("gb18030")


def _reports(farm: RunningFarm) -> list[ReportEntry]:
    found = farm.manifest.reports_of(PORTAL)
    assert 15 <= len(found) <= 25, len(found)
    return found


def _list_pages(farm: RunningFarm, column: str) -> list[str]:
    """The column's pages as its pager numbers them (index.html, index_1.html …)."""
    first = _text(_get(farm, column))
    count = 1
    if (m := re.search(r"var pageCount = (\d+);", first)) or (m := re.search(r"第 1/(\d+) 页", first)):
        count = int(m.group(1))
    base = column.rsplit("/", 1)[0] + "/"
    return [column] + [f"{base}index_{i}.html" for i in range(1, count)]


def _items(farm: RunningFarm, column: str) -> list[tuple[str, str]]:
    """(target path, title) of every list item of a column, reading the handlers as their inline
    functions define them (checked against the functions' text below)."""
    out = []
    for path in _list_pages(farm, column):
        root = lxml.html.fromstring(_text(_get(farm, path)))
        for a in root.xpath("//ul[@class='list']/li/a"):
            href, click, title = a.get("href"), a.get("onclick") or "", a.get("title")
            if m := _OPEN_ARTICLE.fullmatch(click):
                out.append((f"/xxgk/nb/{m.group(1)}/{m.group(2)}.html", title))
            elif m := _SHOW_INFO.fullmatch(click):
                out.append((f"/xxgk/{m.group(1)}/content_{m.group(2)}.html", title))
            elif m := _OPEN_PDF.fullmatch(click):
                out.append((m.group(1), title))
            else:
                assert href.startswith(county_pages.VIEWER + "?file="), href
                out.append((parse_qs(urlsplit(href).query)["file"][0], title))
            assert href.startswith((county_pages.VIEWER, "javascript:void(0)")), href
    return out


def test_every_manifest_location_and_noise_page_is_served(sitefarm: RunningFarm) -> None:
    for report in _reports(sitefarm):
        for loc in report.locations:
            got = _get(sitefarm, loc.path)
            if loc.kind == "article":
                assert report.title in _text(got), report.id
            else:
                assert got.content_type == loc.content_type, (loc.path, got.content_type)
                assert got.body[:4] == (b"%PDF" if loc.format == "pdf" else b"PK\x03\x04"), loc.path
    noise = [n for n in sitefarm.manifest.noise if n.portal == PORTAL]
    assert {n.kind for n in noise} >= {"notice", "letter", "guide"}
    for n in noise:
        assert n.title in _text(_get(sitefarm, n.path)), n.path
    assert not [b for b in sitefarm.manifest.browser_pages if b.portal == PORTAL]


def test_home_is_a_frameset_and_only_the_main_frame_leads_on(sitefarm: RunningFarm) -> None:
    root = lxml.html.fromstring(_text(_get(sitefarm, "/index.html")))
    assert root.find(".//frameset") is not None
    assert [f.get("src") for f in root.iter("frame")] == ["/top.html", "/main.html"]
    assert not root.xpath("//a[@href]")
    main = lxml.html.fromstring(_text(_get(sitefarm, "/main.html")))
    assert sitefarm.manifest.portal(PORTAL).disclosure in {a.get("href") for a in main.iter("a")}


def test_disclosure_menu_exists_only_as_a_script_array(sitefarm: RunningFarm) -> None:
    text = _text(_get(sitefarm, "/xxgk/index.html"))
    hrefs = {a.get("href") for a in lxml.html.fromstring(text).iter("a")}
    data = re.search(r"var navData=\[(.*?)\];", text)
    assert data, "no navData array"
    menu = dict(re.findall(r'\{name:"([^"]+)",url:"([^"]+)"\}', data.group(1)))
    for column in sitefarm.manifest.portal(PORTAL).report_columns:
        assert column in menu.values() and column not in hrefs, column
    assert menu["政府信息公开年报"] == "/xxgk/nb/index.html" and menu["部门年报"] == "/xxgk/bmnb/index.html"
    assert 'getElementById("xxgkNav").innerHTML=html' in text


def test_column_items_are_click_handlers_and_viewer_links(sitefarm: RunningFarm) -> None:
    nb, bm = sitefarm.manifest.portal(PORTAL).report_columns
    nb_text = _text(_get(sitefarm, nb))
    assert "window.open('/xxgk/nb/'+y+'/'+id+'.html')" in nb_text
    bm_text = _text(_get(sitefarm, bm))
    assert "var url = '/xxgk/' + col + '/content_' + id + '.html';" in bm_text
    assert f"window.open('{county_pages.VIEWER}?file=' + f)" in bm_text
    kinds = {"onclick": 0, "viewer": 0}
    for column in (nb, bm):
        for target, _ in _items(sitefarm, column):
            kinds["viewer" if target.endswith(".pdf") else "onclick"] += 1
    assert kinds["onclick"] >= 15 and kinds["viewer"] == 2, kinds
    # the viewer itself is a stub that loads the file by script
    viewer = fetch(sitefarm.url(PORTAL, county_pages.VIEWER + "?file=/upload/x.pdf"))
    assert viewer.status == 200 and b"viewer.js" in viewer.body and b"%PDF" not in viewer.body


def test_lists_lead_exactly_to_the_manifest_and_state_their_size(sitefarm: RunningFarm) -> None:
    reports = _reports(sitefarm)
    noise = {n.path: n for n in sitefarm.manifest.noise if n.portal == PORTAL}
    for column in sitefarm.manifest.portal(PORTAL).report_columns:
        items = _items(sitefarm, column)
        mine = [r for r in reports if r.column == column]
        primary = {r.locations[0].path: r for r in mine}
        assert {t for t, _ in items} == set(primary) | {p for p, _ in items if p in noise}
        assert len(items) == len(primary) + len([p for p, _ in items if p in noise])
        for target, title in items:
            assert title == (primary[target].title if target in primary else noise[target].title)
        for page in _list_pages(sitefarm, column):
            stated = _STATED.findall(_text(_get(sitefarm, page)))
            assert stated == [str(len(items))], (page, stated, len(items))


def test_mixed_column_holds_several_agencies_and_notices(sitefarm: RunningFarm) -> None:
    bm = sitefarm.manifest.portal(PORTAL).report_columns[1]
    mine = [r for r in _reports(sitefarm) if r.column == bm]
    assert len({r.agency for r in mine}) >= 4
    assert all(r.agency in r.title for r in mine)
    assert any("税务局" in r.agency for r in mine) and any(r.agency == county_pages.NAME for r in mine)
    titles = [t for _, t in _items(sitefarm, bm)]
    assert any(t.endswith("的通知") for t in titles) and any(t.endswith("的函") for t in titles)
    paths = {p for r in sitefarm.manifest.reports for p in r.paths()}
    assert not [n for n in sitefarm.manifest.noise if n.portal == PORTAL and n.path in paths]


# --- crawls of this portal alone -------------------------------------------------------------------


@dataclass
class Crawl:
    folder: Path
    db_url: str
    exit_code: int
    output: str


@pytest.fixture(scope="module")
def crawl(sitefarm: RunningFarm, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """``nianbao crawl`` of this portal alone, from its home page, into a fresh SQLite store."""
    folder = tmp_path_factory.mktemp("crawl-county")
    db_url = f"sqlite:///{folder / 'nianbao.sqlite'}"
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
            sitefarm.manifest.home_url(PORTAL),
            "--db",
            db_url,
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
    return Crawl(folder, db_url, proc.returncode, proc.stdout + proc.stderr)


def _stored(db_url: str) -> tuple[dict[tuple[str, int], dict], int]:
    """(normalised agency, year) → latest values of every stored report; pages rendered."""
    engine = make_engine(db_url)
    with Session(engine) as s:
        rows = s.exec(
            select(Agency.name, Report.year, ReportVersion.values)
            .join(Report, Report.agency_id == Agency.id)  # type: ignore[arg-type]
            .join(
                ReportVersion,
                (ReportVersion.report_id == Report.id) & (ReportVersion.number == Report.latest_version),  # type: ignore[arg-type]
            )
        ).all()
        rendered = len(s.exec(select(Capture).where(Capture.rendered)).all())
    engine.dispose()
    return {(normalize_agency_name(a), y): dict(v or {}) for a, y, v in rows}, rendered


def _judge(farm: RunningFarm, crawl: Crawl) -> tuple[list, list, float, str]:
    stored, rendered = _stored(crawl.db_url)
    expected = {(normalize_agency_name(r.agency), r.year): r for r in _reports(farm)}
    missing = sorted(set(expected) - set(stored))
    extra = sorted(set(stored) - set(expected))
    total = good = 0
    for key in set(expected) & set(stored):
        want = next(
            (loc.expected for loc in expected[key].locations if loc.holds_values and loc.expected), {}
        )
        for name, value in (want or {}).items():
            if value is not None and not name.endswith("_unit"):
                total += 1
                good += stored[key].get(name) == value
    log = sorted((crawl.folder / "logs").glob("crawl-*.jsonl"))
    events = [json.loads(line) for line in log[-1].read_text(encoding="utf-8").splitlines()] if log else []
    fetched = sorted({urlsplit(e["url"]).path for e in events if e.get("event") == "fetched"})
    detail = (
        f"\nrecall {len(set(expected) & set(stored))}/{len(expected)}, {len(extra)} extra, "
        f"cells {good}/{total}, exit {crawl.exit_code}, {rendered} rendered\n"
        f"missing: {[(a, y, expected[(a, y)].locations[0].path) for a, y in missing]}\nextra: {extra}\n"
        f"fetched: {fetched}\n{crawl.output[-1500:]}"
    )
    print(detail)
    assert crawl.exit_code in (0, 4, 5), detail
    assert rendered == 0, "a page of this portal was rendered, yet none needs a browser" + detail
    return missing, extra, good / total if total else 0.0, detail


@pytest.mark.slow
def test_crawl_finds_every_report_and_nothing_else(sitefarm: RunningFarm, crawl: Crawl) -> None:
    """Frames → main frame → 政府信息公开 → the navData menu → both columns and their pagers →
    click-handler items and viewer-only PDFs → every report, attributed to the agency its title
    names, every cell as published; the notices left out; no page rendered."""
    missing, extra, cells, detail = _judge(sitefarm, crawl)
    assert not extra, detail
    assert not missing, detail
    assert cells >= 0.99, detail
    assert crawl.exit_code == 0, detail


@pytest.mark.slow
def test_crawl_states_each_columns_size_against_what_it_found(sitefarm: RunningFarm, crawl: Crawl) -> None:
    """Both columns are in crawl_run_columns as complete: the stated 共N条 equals what was found."""
    import sqlalchemy as sa

    engine = make_engine(crawl.db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT column_url, status, stated_items, found_items FROM crawl_run_columns")
        ).all()
    engine.dispose()
    got = {urlsplit(u).path: (status, stated, found) for u, status, stated, found in rows}
    for column in sitefarm.manifest.portal(PORTAL).report_columns:
        n = len(_items(sitefarm, column))
        key = column.rsplit("/", 1)[0] + "/"
        assert got.get(key, got.get(column)) == ("complete", n, n), (column, got)
