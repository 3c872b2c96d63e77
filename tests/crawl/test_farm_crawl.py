"""End to end: crawl the whole site farm and judge the crawl against the farm's manifest.

Recall and precision of reports, parsed values, browser use, WARC integrity and fault
handling, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session, select

from storage.db import make_engine
from storage.models import Agency, Capture, RecordType, Report, ReportVersion, Site
from storage.repo import normalize_agency_name
from storage.warcread import read_record
from tests.crawl.conftest import FarmCrawl

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _stored(crawl: FarmCrawl) -> dict[tuple[str, str, int], dict]:
    """(portal, normalised agency, year) → latest values of every stored report."""
    by_netloc = {urlsplit(u).netloc: p for p, u in crawl.farm.base_urls.items()}
    engine = make_engine(crawl.db_url)
    out = {}
    with Session(engine) as s:
        rows = s.exec(select(Site.key, Agency.name, Report.year, ReportVersion.values)
                      .join(Agency, Agency.site_id == Site.id).join(Report, Report.agency_id == Agency.id)
                      .join(ReportVersion, (ReportVersion.report_id == Report.id)
                            & (ReportVersion.number == Report.latest_version))).all()
    engine.dispose()
    for key, agency, year, values in rows:
        out[(by_netloc.get(key, key), normalize_agency_name(agency), year)] = values
    return out


def _expected(crawl: FarmCrawl) -> dict[tuple[str, str, int], object]:
    return {(r.portal, normalize_agency_name(r.agency), r.year): r for r in crawl.farm.manifest.reports}


def test_crawl_finishes(farm_crawl: FarmCrawl) -> None:
    # 5: finished, with possible misses flagged (the farm plants one short column)
    assert farm_crawl.exit_code == 5, farm_crawl.output[-3000:]


def test_completeness_flags_exactly_the_planted_short_column(farm_crawl: FarmCrawl) -> None:
    """Every annual-report column's evidence is stored; only the column whose counter states more
    records than exist is short, in the store, the crawl log and the closing summary."""
    import sqlalchemy as sa

    farm = farm_crawl.farm
    planted = {(t.portal, t.path): t for t in farm.manifest.traps if t.kind == "short-column"}
    assert planted
    by_netloc = {urlsplit(u).netloc: p for p, u in farm.base_urls.items()}
    engine = make_engine(farm_crawl.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT column_url, status, stated_items, found_items, reason FROM crawl_run_columns")).all()
    engine.dispose()
    assert len(rows) >= len(farm.manifest.portals), rows
    short = {}
    for url, status, stated, found, reason in rows:
        key = (by_netloc[urlsplit(url).netloc], urlsplit(url).path)
        if status == "short":
            short[key] = (stated, found, reason)
    assert set(short) == set(planted), short
    for key, trap in planted.items():
        stated, found, reason = short[key]
        assert (stated, found) == (trap.detail["stated"], trap.detail["listed"]), short[key]
        assert reason == f"states {stated} items, found {found}"
    events = [json.loads(line) for line in farm_crawl.log.read_text(encoding="utf-8").splitlines()]
    logged = {(by_netloc[urlsplit(e["url"]).netloc], urlsplit(e["url"]).path) for e in events
              if e["event"] == "column" and e["status"] == "short"}
    assert logged == set(planted)
    assert "may be short: states" in " ".join(farm_crawl.output.split())
    stated = [r for r in rows if r[2] is not None]
    print(f"\n{len(rows)} columns, {len(stated)} stating their size, {len(short)} short")


def test_every_report_found(farm_crawl: FarmCrawl) -> None:
    missing = sorted(set(_expected(farm_crawl)) - set(_stored(farm_crawl)))
    assert not missing, f"{len(missing)} reports not found, e.g. {missing[:10]}"


def test_no_noise_stored_as_report(farm_crawl: FarmCrawl) -> None:
    extra = sorted(set(_stored(farm_crawl)) - set(_expected(farm_crawl)))
    assert not extra, f"{len(extra)} stored reports are not in the manifest: {extra[:10]}"


def test_parsed_values_match(farm_crawl: FarmCrawl) -> None:
    stored, expected = _stored(farm_crawl), _expected(farm_crawl)
    total = good = 0
    wrong: list[str] = []
    for key, entry in expected.items():
        got = stored.get(key, {})
        want = next((loc.expected for loc in entry.locations if loc.holds_values and loc.expected), None)  # type: ignore[attr-defined]
        for field, value in (want or {}).items():
            if value is None or field.endswith("_unit"):
                continue
            total += 1
            if got.get(field) == value:
                good += 1
            elif len(wrong) < 15:
                wrong.append(f"{key} {field}: want {value} got {got.get(field)}")
    assert total > 1000
    assert good / total >= 0.99, f"{good}/{total} cells right; e.g.\n" + "\n".join(wrong)


def test_browser_only_where_needed(farm_crawl: FarmCrawl) -> None:
    """Every rendered page was unreadable without a browser: the manifest says so, or its plain
    capture in the same run was a challenge or a script shell; portals that need no browser
    saw none."""
    from crawler.fetch.detect import PageState, page_state

    manifest = farm_crawl.farm.manifest
    needs = {(p.portal, p.path) for p in manifest.browser_pages}
    browser_portals = {p.portal for p in manifest.browser_pages}
    by_netloc = {urlsplit(u).netloc: p for p, u in farm_crawl.farm.base_urls.items()}
    engine = make_engine(farm_crawl.db_url)
    with Session(engine) as s:
        # rendered pages are their DOMs (resource records); the XHR answers they received are
        # archived as rendered responses beside them
        rendered = s.exec(select(Capture).where(Capture.rendered, Capture.record_type == RecordType.RESOURCE)).all()
        xhr = s.exec(select(Capture).where(Capture.rendered, Capture.record_type == RecordType.RESPONSE)).all()
        plain = {c.url: c for c in s.exec(select(Capture).where(~Capture.rendered, Capture.status.in_([200, 412, 521])))}  # type: ignore[union-attr]
    engine.dispose()
    assert rendered, "nothing was rendered, yet the farm has challenge and client-rendered portals"
    print(f"\n{len(rendered)} pages rendered in Chromium; {len(needs)} pages the manifest marks as needing it")
    for cap in rendered:
        portal = by_netloc[urlsplit(cap.url).netloc]
        assert portal in browser_portals, f"rendered on a portal that needs no browser: {cap.url}"
        if (portal, urlsplit(cap.url).path) in needs:
            continue
        first = plain.get(cap.url)
        assert first is not None, f"rendered without a plain fetch first: {cap.url}"
        rec = read_record(farm_crawl.archive / first.warc_filename, first.warc_offset, first.warc_length)
        payload = rec.payload
        if any(k.lower() == "content-encoding" and "gzip" in v for k, v in rec.http_headers):
            import gzip

            payload = gzip.decompress(payload)
        state = page_state(first.status or 0, payload, first.content_type or "text/html")
        assert state in (PageState.CHALLENGE, PageState.SHELL), f"rendered a readable page: {cap.url} ({state})"
    pages = {c.url for c in rendered}
    assert xhr, "the farm's script-fed lists made no XHR/fetch request that was archived"
    assert all(c.discovered_from in pages for c in xhr), [c.url for c in xhr if c.discovered_from not in pages][:5]
    print(f"{len(xhr)} XHR/fetch answers archived beside the pages that received them")


def test_every_capture_reads_back_with_its_digest(farm_crawl: FarmCrawl) -> None:
    engine = make_engine(farm_crawl.db_url)
    with Session(engine) as s:
        captures = s.exec(select(Capture)).all()
    engine.dispose()
    assert len(captures) > 500
    for cap in captures:
        rec = read_record(farm_crawl.archive / cap.warc_filename, cap.warc_offset, cap.warc_length)
        assert rec.digest_ok is not False, f"capture {cap.id} {cap.url}: digest mismatch"
        assert rec.header("WARC-Payload-Digest") == cap.payload_digest


def test_warc_files_pass_warcio_check(farm_crawl: FarmCrawl) -> None:
    files = sorted(farm_crawl.archive.glob("*.warc.gz"))
    assert files
    warcio = Path(sys.executable).with_name("warcio")
    for f in files:
        run = subprocess.run([str(warcio), "check", str(f)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_faults_logged_and_crawl_went_on(farm_crawl: FarmCrawl) -> None:
    events = [json.loads(line) for line in farm_crawl.log.read_text(encoding="utf-8").splitlines()]
    kinds = Counter(e["event"] for e in events)
    assert kinds["fetched"] > 500
    assert all(e.get("reason") for e in events if e["event"] in ("failed", "skipped", "retry"))
    by_path: dict[str, list[dict]] = {}
    for e in events:
        by_path.setdefault(urlsplit(e["url"]).netloc + urlsplit(e["url"]).path, []).append(e)
    fetched_paths = [(urlsplit(e["url"]).netloc, urlsplit(e["url"]).path) for e in events if e["event"] == "fetched"]
    farm = farm_crawl.farm
    seen_kinds = set()
    for trap in farm.manifest.traps:
        netloc = urlsplit(farm.base_urls[trap.portal]).netloc
        here = by_path.get(netloc + trap.path, [])
        if trap.kind == "calendar":
            under = [p for n, p in fetched_paths if n == netloc and p.startswith(trap.path)]
            assert len(under) <= 30, f"calendar trap {trap.path} fetched {len(under)} times"
        elif trap.kind.startswith("robots-disallowed"):
            assert not [p for n, p in fetched_paths if n == netloc and p.startswith(trap.path)], trap.path
        elif trap.kind in ("intermittent-5xx", "rate-limit-429") and here:
            assert any(e["event"] == "retry" for e in here), f"{trap.kind} at {trap.path} not logged: {here}"
            assert any(e["event"] == "fetched" and e.get("status") == 200 for e in here), f"{trap.kind} never recovered"
            seen_kinds.add(trap.kind)
        elif trap.kind == "connection-reset" and here:
            # Twisted's connection pool retries a reset keep-alive request by itself; what counts
            # is that the document was fetched in the end
            assert any(e["event"] == "fetched" and e.get("status") == 200 for e in here), "reset never recovered"
            seen_kinds.add(trap.kind)
        elif trap.kind == "broken-pdf" and here:
            assert any(e["event"] == "parse_failed" and "PDF" in e["reason"] for e in here), here
            seen_kinds.add(trap.kind)
        elif trap.kind == "redirect-loop" and here:
            assert not any(e["event"] == "report" for e in here)
            seen_kinds.add(trap.kind)
        elif trap.kind == "huge-file" and here:
            assert not any(e["event"] == "fetched" for e in here), "an oversized file was archived"
            seen_kinds.add(trap.kind)
    assert {"intermittent-5xx", "broken-pdf"} <= seen_kinds, seen_kinds
