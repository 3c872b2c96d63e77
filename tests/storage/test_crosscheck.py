"""Cross-year checks in the store: computed from the latest versions of each agency's reports,
stored with their numbers, recomputed idempotently, listed for the CLI and the exports.

Reports are stored the way a crawl stores them (storage.repo: run, capture, version, sources
with their parse results); one test renders and parses real-shaped report pages first. The
series test generates agencies' reports year after year the way agencies publish them (each
year's 上年结转 the last one's 结转下年度, the stock of documents in force carried on, the
template switching in its year), plants breaks, and expects exactly those to be found.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import Session, select

from crawler.documents import read_document
from crawler.export.select import ExportFilter
from crawler.reports.crosscheck import only_in
from crawler.reports.parse import parse_document
from crawler.reports.result import ParseResult
from crawler.reports.template import REQUEST_COLUMNS
from sitefarm.content.generate import generate_report, template_for_year
from sitefarm.content.render import render
from sitefarm.content.spec import ReportSpec
from storage import repo
from storage.crosscheck import CheckFilter, cross_year_rows, problems_of_reports, recompute
from storage.models import CrossCheckStatus, CrossYearCheck, Report, Site, SourceRole
from storage.warc import WrittenRecord
from tests.storage.conftest import at

APPLICANTS = [c.key for c in REQUEST_COLUMNS if c.key != "total"]


class Store:
    """Sites, agencies and a crawl run; stores reports as a crawl does."""

    def __init__(self, session: Session, day: str = "2026-02-01") -> None:
        self.s = session
        self.sites = {
            "huaian": repo.get_or_create_site(session, "huaian", "江苏省淮安市人民政府", "http://www.huaian.gov.cn/"),
            "gulou": repo.get_or_create_site(session, "gulou", "南京市鼓楼区人民政府", "http://www.gulou.gov.cn/"),
        }
        self.n = 0
        self.run = self.new_run(day)

    def new_run(self, day: str):  # type: ignore[no-untyped-def]
        self.run = repo.start_run(self.s, list(self.sites.values()), started_at=at(day), as_of=at(day))
        return self.run

    def agency(self, name: str, site: str = "huaian"):  # type: ignore[no-untyped-def]
        return repo.get_or_create_agency(self.s, self.sites[site], name)

    def capture(self, url: str) -> int:
        self.n += 1
        rec = WrittenRecord("f.warc.gz", self.n * 1000, 10, f"<urn:uuid:cc-{self.n}>", self.run.started_at,
                            "response", "sha256:X", 1)
        cap = repo.record_capture(self.s, self.run.id or 0, url, rec, status=200)
        assert cap is not None
        return cap

    def report(self, name: str, year: int, values: Mapping[str, Any], template: str | None, *,
               site: str = "huaian", others: tuple[str | None, ...] = ()) -> Report:
        """Store one report: its page (whose parse supplies the values) and attachments whose
        parses were called ``others``."""
        agency = self.agency(name, site)
        url = f"http://www.{site}.gov.cn/zfxxgk/ndbg/{year + 1}01/t{year + 1}0125_{self.n}.html"
        cap = self.capture(url)
        report, version, _ = repo.upsert_report_version(self.s, agency, year, values, [cap], self.run.started_at,
                                                        run_id=self.run.id or 0)
        title = f"{name}{year}年政府信息公开工作年度报告"
        repo.add_source(self.s, version, cap, _result(title, name, year, template, values),
                        role=SourceRole.HTML_BODY, supplies_values=True, value_reason="test: the page")
        for i, other in enumerate(others):
            att = self.capture(url.replace(".html", f"_{i}.pdf"))
            repo.add_source(self.s, version, att, _result(title, name, year, other, values),
                            role=SourceRole.ATTACHMENT)
        return report


def _result(title: str, agency: str, year: int, template: str | None, values: Mapping[str, Any]) -> ParseResult:
    return ParseResult(name="page.html", kind="html", year=year, template=template, title=title, agency=agency,
                       values=dict(values), sources={k: "published" for k, v in values.items() if v is not None})


@pytest.fixture
def store(session: Session) -> Store:
    return Store(session)


def _values(rng: random.Random, agency: str, year: int, template: str | None = None) -> dict[str, Any]:
    return dict(generate_report(rng, agency, year, template=template).values)


def _chain(before: Mapping[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``after`` made to carry on from ``before`` as a real agency's next report does, its own
    arithmetic (R1, R2) kept: 上年结转 = last year's 结转下年度, 现行有效 = last year's + 制发 − 废止."""
    for c in APPLICANTS:
        carried = int(before.get(f"requests.carried_forward.{c}") or 0)
        handled = int(after[f"requests.total_handled.{c}"] or 0)
        forward = int(after[f"requests.carried_forward.{c}"] or 0)
        new = handled + forward - carried
        if new < 0:  # more carried in than handled and carried on: the rest is carried on again
            new, forward = 0, carried - handled
        after[f"requests.carried_over.{c}"] = carried
        after[f"requests.new_received.{c}"] = new
        after[f"requests.carried_forward.{c}"] = forward
    for row in ("carried_over", "new_received", "carried_forward"):
        after[f"requests.{row}.total"] = sum(int(after[f"requests.{row}.{c}"] or 0) for c in APPLICANTS)
    for row in ("regulations", "normative_documents"):
        stock = before.get(f"active.{row}.in_force")
        if isinstance(stock, int) and f"active.{row}.in_force" in after:
            issued = int(after[f"active.{row}.issued"] or 0)
            repealed = min(int(after[f"active.{row}.repealed"] or 0), stock + issued)
            after[f"active.{row}.repealed"] = repealed
            after[f"active.{row}.in_force"] = stock + issued - repealed
    return after


def _statuses(session: Session) -> dict[tuple[str, int, str, str], str]:
    return {(r["agency"], r["year"], r["rule"], r["scope"]): r["status"] for r in cross_year_rows(session)}


def test_checks_are_stored_with_the_numbers_involved(store: Store, session: Session) -> None:
    rng = random.Random(3)
    y22 = _values(rng, "淮安市财政局", 2022)
    y23 = _chain(y22, _values(rng, "淮安市财政局", 2023))
    y23["requests.carried_over.natural_person"] += 2  # the 2023 report misstates one column
    y23["requests.carried_over.total"] += 2
    y23["active.normative_documents.in_force"] += 5  # a restated stock
    store.report("淮安市财政局", 2022, y22, "2021")
    store.report("淮安市财政局", 2023, y23, "2021")
    session.commit()
    written = recompute(session, computed_at=at("2026-02-02"))
    session.commit()
    assert written == 7 + 2 + 1  # X1 per column, X2 per row, X3

    rows = cross_year_rows(session)
    assert len(rows) == written
    bad = {(r["rule"], r["scope"]): r for r in rows if r["status"] != "pass"}
    assert set(bad) == {("X1", "requests.*.natural_person"), ("X1", "requests.*.total"),
                        ("X2", "active.normative_documents")}
    total = bad[("X1", "requests.*.total")]
    assert (total["status"], total["year"], total["previous_year"]) == ("fail", 2023, 2022)
    assert (total["actual"], total["expected"]) == (y23["requests.carried_over.total"],
                                                    y22["requests.carried_forward.total"])
    assert total["numbers"] == [
        {"year": 2023, "key": "requests.carried_over.total", "value": y23["requests.carried_over.total"]},
        {"year": 2022, "key": "requests.carried_forward.total", "value": y22["requests.carried_forward.total"]},
    ]
    assert "上年结转（总计）" in total["note"] and "≠" in total["note"]
    assert (total["site_key"], total["site_name"], total["agency"]) == ("huaian", "江苏省淮安市人民政府", "淮安市财政局")
    assert total["computed_at"] == at("2026-02-02")
    stock = bad[("X2", "active.normative_documents")]
    assert stock["status"] == "flag" and stock["actual"] - stock["expected"] == 5
    x3 = next(r for r in rows if r["rule"] == "X3")
    assert (x3["status"], x3["actual"], x3["numbers"]) == ("pass", None, [])
    reports = {r.year: r for r in session.exec(select(Report)).all()}
    assert (total["report_id"], total["previous_report_id"]) == (reports[2023].id, reports[2022].id)


def test_recompute_is_idempotent_and_follows_the_latest_version(store: Store, session: Session) -> None:
    rng = random.Random(5)
    y22 = _values(rng, "淮安市交通运输局", 2022)
    y23 = _chain(y22, _values(rng, "淮安市交通运输局", 2023))
    wrong = {**y23, "requests.carried_over.total": y23["requests.carried_over.total"] + 1}
    store.report("淮安市交通运输局", 2022, y22, "2021")
    store.report("淮安市交通运输局", 2023, wrong, "2021")
    session.commit()
    first = recompute(session)
    session.commit()
    snapshot = sorted((r["rule"], r["scope"], r["status"], r["actual"], r["expected"]) for r in cross_year_rows(session))
    assert recompute(session) == first
    session.commit()
    again = sorted((r["rule"], r["scope"], r["status"], r["actual"], r["expected"]) for r in cross_year_rows(session))
    assert again == snapshot and len(session.exec(select(CrossYearCheck)).all()) == first
    assert ("X1", "requests.*.total", "fail") in {s[:3] for s in snapshot}

    store.new_run("2026-06-01")  # the agency corrects its report: a second version
    store.report("淮安市交通运输局", 2023, y23, "2021")
    session.commit()
    recompute(session)
    session.commit()
    assert set(_statuses(session).values()) == {"pass"}
    versions = {r["version_id"] for r in cross_year_rows(session)}
    latest = session.exec(select(Report).where(Report.year == 2023)).one()
    assert len(versions) == 1 and latest.latest_version == 2


def test_agencies_are_matched_by_site_and_normalised_name(store: Store, session: Session) -> None:
    rng = random.Random(7)
    y22 = _values(rng, "鼓楼区教育局", 2022)
    y23 = _chain(y22, _values(rng, "鼓楼区教育局", 2023))
    store.report("南京市鼓楼区教育局", 2022, y22, "2021", site="gulou")
    store.report("南京市 鼓楼区教育局", 2023, y23, "2021", site="gulou")  # the same agency, a stray space
    y23_elsewhere = {**y23, "requests.carried_over.total": 999}
    store.report("南京市鼓楼区教育局", 2023, y23_elsewhere, "2021", site="huaian")  # same name, another portal
    session.commit()
    recompute(session)
    session.commit()
    rows = cross_year_rows(session)
    assert {r["site_key"] for r in rows} == {"gulou"}  # the lone 2023 report on huaian has no year before
    assert {r["status"] for r in rows} == {"pass"}


def test_x3_reads_the_template_calls_of_every_document(store: Store, session: Session) -> None:
    rng = random.Random(9)
    y20 = _values(rng, "淮安市人民政府办公室", 2020, "2019")
    y21 = _chain(y20, _values(rng, "淮安市人民政府办公室", 2021, "2021"))
    store.report("淮安市人民政府办公室", 2020, y20, "2019")
    store.report("淮安市人民政府办公室", 2021, y21, "2021", others=("2019", None))  # the attachment says 2019
    blank = _chain(y20, {**_values(rng, "淮安市卫生健康委员会", 2021, "2021"), **dict.fromkeys(only_in("2021"))})
    store.report("淮安市卫生健康委员会", 2020, y20, "2019")
    store.report("淮安市卫生健康委员会", 2021, blank, "2021")
    store.report("淮安市民政局", 2019, y20, "2019")
    store.report("淮安市民政局", 2020, _chain(y20, _values(rng, "淮安市民政局", 2020, "2021")), "2021")
    session.commit()
    recompute(session)
    session.commit()
    x3 = {r["agency"]: r for r in cross_year_rows(session) if r["rule"] == "X3"}
    assert x3["淮安市人民政府办公室"]["status"] == "flag"
    assert x3["淮安市人民政府办公室"]["note"].endswith("another document of 2021 was called 2019")
    assert x3["淮安市卫生健康委员会"]["status"] == "flag"
    assert "cells only the 2021 template has was read" in x3["淮安市卫生健康委员会"]["note"]
    assert x3["淮安市民政局"]["status"] == "fail"
    assert x3["淮安市民政局"]["note"] == "2019 2019 → 2020 2021: the 2021 template applies from the 2021 reports"


@dataclass(frozen=True)
class Break:
    """A break planted in an agency's series."""

    kind: str
    year: int


def _series(rng: random.Random, name: str, first: int, last: int, brk: Break | None) -> list[tuple[int, str, dict[str, Any], tuple[str, ...]]]:
    """An agency's reports from ``first`` to ``last``: (year, template, values, other documents' calls)."""
    out: list[tuple[int, str, dict[str, Any], tuple[str, ...]]] = []
    previous: dict[str, Any] = {}
    for year in range(first, last + 1):
        template = template_for_year(year)
        if brk and brk.year == year and brk.kind == "x3-early":
            template = "2021"  # a 2020 report on the 2021 form, which did not exist yet
        if brk and brk.year == year and brk.kind == "x3-back":
            template = "2019"
        values = _chain(previous, _values(rng, name, year, template)) if template != "legacy" else {}
        others: tuple[str, ...] = ()
        if brk and brk.year == year:
            if brk.kind == "x1":
                col = rng.choice(APPLICANTS)
                values[f"requests.carried_over.{col}"] += 1
                values["requests.carried_over.total"] += 1
                values[f"requests.new_received.{col}"] = max(0, values[f"requests.new_received.{col}"] - 1)
            elif brk.kind == "x2":
                row = rng.choice(["regulations", "normative_documents"])
                values[f"active.{row}.in_force"] += rng.choice([-2, 1, 7])
            elif brk.kind == "x3-blank":
                values.update(dict.fromkeys(only_in("2021")))
            elif brk.kind == "x3-docs":
                others = ("2019",)
        out.append((year, template, values, others))
        previous = values
    return out


def _expected(brk: Break, values: Mapping[int, Mapping[str, Any]], before: Mapping[str, Any]) -> set[tuple[int, str, str]]:
    if brk.kind == "x1":
        v = values[brk.year]
        return {(brk.year, "X1", f"requests.*.{c}") for c in [*APPLICANTS, "total"]
                if v[f"requests.carried_over.{c}"] != before[f"requests.carried_forward.{c}"]}
    if brk.kind == "x2":
        v = values[brk.year]
        return {(brk.year, "X2", f"active.{r}") for r in ("regulations", "normative_documents")
                if v[f"active.{r}.in_force"] != before[f"active.{r}.in_force"] + v[f"active.{r}.issued"]
                - v[f"active.{r}.repealed"]}
    return {(brk.year, "X3", "template")}


KINDS = {"x1": range(2020, 2025), "x2": range(2022, 2025), "x3-early": (2020,), "x3-back": (2022, 2023, 2024),
         "x3-blank": (2021,), "x3-docs": (2021,)}


def test_generated_series_every_planted_break_found_nothing_else(store: Store, session: Session) -> None:
    rng = random.Random(2026)
    planted: dict[str, Break | None] = {}
    expected: dict[str, set[tuple[int, str, str]]] = {}
    for i in range(36):
        name = f"淮安市第{i + 1}局" if i % 2 else f"鼓楼区第{i + 1}办"
        kind = rng.choice([None, "x1", "x1", "x2", *KINDS])
        brk = Break(kind, rng.choice(list(KINDS[kind]))) if kind else None
        planted[name] = brk
        series = _series(rng, name, 2017, 2024, brk)
        for year, template, values, others in series:
            store.report(name, year, values, template, site="huaian" if i % 2 else "gulou", others=others)
        by_year = {y: v for y, _, v, _ in series}
        expected[name] = _expected(brk, by_year, by_year[brk.year - 1]) if brk else set()
        if brk and brk.kind in ("x1", "x2"):
            assert expected[name], f"{name}: the planted {brk} changed nothing"
    session.commit()
    recompute(session)
    session.commit()
    found: dict[str, set[tuple[int, str, str]]] = {n: set() for n in planted}
    for r in cross_year_rows(session):
        if r["status"] != "pass":
            found[r["agency"]].add((r["year"], r["rule"], r["scope"]))
    assert found == expected
    assert {b.kind for b in planted.values() if b} == set(KINDS)  # every kind of break was planted
    statuses = {(r["agency"], r["rule"]): r["status"] for r in cross_year_rows(session) if r["status"] != "pass"}
    assert {s for (_, rule), s in statuses.items() if rule == "X2"} <= {"flag"}  # X2 never fails


def test_parsed_report_pages_two_years_on(store: Store, session: Session) -> None:
    """Two years of one agency rendered as real TRS pages and read back by the parser."""
    rng = random.Random(12)
    y22 = _values(rng, "淮安市财政局", 2022)
    y23 = _chain(y22, _values(rng, "淮安市财政局", 2023))
    y23["requests.carried_over.natural_person"] += 3
    y23["requests.new_received.natural_person"] = max(0, y23["requests.new_received.natural_person"] - 3)
    for year, values in ((2022, y22), (2023, y23)):
        spec = generate_report(rng, "淮安市财政局", year)
        spec = ReportSpec(spec.agency, year, "2021", spec.title, values, {}, True, spec.prose)
        parsed = parse_document(read_document(render(spec, "html"), "page.html"))
        assert parsed.template == "2021" and parsed.year == year
        store.report("淮安市财政局", year, dict(parsed.values), parsed.template)
    session.commit()
    recompute(session)
    session.commit()
    bad = {(r["rule"], r["scope"]) for r in cross_year_rows(session) if r["status"] != "pass"}
    assert ("X1", "requests.*.natural_person") in bad
    assert {rule for rule, _ in bad} == {"X1"}


def test_rows_for_filters_and_for_changes(store: Store, session: Session) -> None:
    rng = random.Random(13)
    ids = {}
    for name, site in (("淮安市财政局", "huaian"), ("南京市鼓楼区教育局", "gulou")):
        y22 = _values(rng, name, 2022)
        y23 = _chain(y22, _values(rng, name, 2023))
        y23["requests.carried_over.total"] += 1
        store.report(name, 2022, y22, "2021", site=site)
        ids[name] = store.report(name, 2023, y23, "2021", site=site).id
    session.commit()
    recompute(session)
    session.commit()
    everything = cross_year_rows(session)
    assert [r["site_key"] for r in everything] == sorted(r["site_key"] for r in everything)
    assert {r["agency"] for r in cross_year_rows(session, CheckFilter(agency="财政"))} == {"淮安市财政局"}
    assert {r["agency"] for r in cross_year_rows(session, ExportFilter(region="南京"))} == {"南京市鼓楼区教育局"}
    assert {r["agency"] for r in cross_year_rows(session, ExportFilter(region="鼓楼区人民政府"))} == {"南京市鼓楼区教育局"}
    assert cross_year_rows(session, ExportFilter(years=(2022,))) == []
    failing = cross_year_rows(session, CheckFilter(statuses=("fail",)))
    assert {(r["agency"], r["scope"]) for r in failing} == {(a, "requests.*.total") for a in ids}
    assert cross_year_rows(session, CheckFilter(agency="100%_")) == []  # LIKE wildcards are literal
    problems = problems_of_reports(session, [ids["淮安市财政局"] or 0])
    assert [(r["agency"], r["rule"], r["status"]) for r in problems] == [("淮安市财政局", "X1", "fail")]
    assert problems_of_reports(session, []) == []


def test_the_runner_recomputes_the_crawled_sites(store: Store, session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crawler.crawllog import CrawlLog
    from crawler.runner import _cross_year

    rng = random.Random(17)
    for name, site in (("淮安市财政局", "huaian"), ("南京市鼓楼区教育局", "gulou")):
        y22 = _values(rng, name, 2022)
        store.report(name, 2022, y22, "2021", site=site)
        store.report(name, 2023, _chain(y22, _values(rng, name, 2023)), "2021", site=site)
    session.commit()
    log = CrawlLog(tmp_path, store.run.id or 0)
    huaian = session.exec(select(Site).where(Site.key == "huaian")).one()
    _cross_year(SimpleNamespace(site_ids={"huaian": huaian.id}, log=log), session)  # type: ignore[arg-type]
    log.close()
    assert {r["site_key"] for r in cross_year_rows(session)} == {"huaian"}
    assert session.exec(select(CrossYearCheck).where(CrossYearCheck.status == CrossCheckStatus.PASS)).all()
    line = log.path.read_text(encoding="utf-8").strip().splitlines()[-1]
    assert '"event":"cross_year"' in line.replace(" ", "") and '"status":"done"' in line.replace(" ", "")
