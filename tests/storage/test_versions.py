"""Report versions across re-crawls: new, unchanged, changed (with field diff), gone; parse results stored."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from crawler.reports.result import Check, ParseResult
from storage import repo
from storage.models import (
    Agency,
    CellSource,
    CheckResult,
    CrawlRun,
    CrawlRunSite,
    FieldKind,
    FieldValue,
    ParseStatus,
    Report,
    ReportSource,
    ReportStatus,
    ReportVersion,
    Site,
    SourceRole,
)
from storage.versions import FieldChange, values_digest
from storage.warc import WrittenRecord
from tests.storage.conftest import at

V1 = {
    "requests.new_received.natural_person": 12,
    "requests.new_received.commercial": 3,
    "active.procurement.amount_unit": "万元",
}


class Farm:
    """Two sites, four agencies and helpers to crawl them at a given date."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self.site = repo.get_or_create_site(session, "farm-bj", "北京", "http://bj.farm/")
        self.other = repo.get_or_create_site(session, "farm-sh", "上海", "http://sh.farm/")
        self.a = {
            n: repo.get_or_create_agency(session, self.site, n) for n in ("甲局", "乙局", "丙局", "丁局")
        }
        self.sh = repo.get_or_create_agency(session, self.other, "上海某局")
        self.n = 0

    def run(self, day: str) -> CrawlRun:
        return repo.start_run(self.s, [self.site], as_of=at(day), started_at=at(day))

    def capture(self, run: CrawlRun, url: str) -> int:
        self.n += 1
        rec = WrittenRecord(
            "f.warc.gz", self.n * 1000, 10, f"<urn:uuid:{self.n}>", run.started_at, "response", "sha256:X", 1
        )
        return repo.record_capture(self.s, run.id or 0, url, rec, status=200)

    def see(self, run: CrawlRun, agency: str, values: dict[str, Any], url: str, year: int = 2025):
        cap = self.capture(run, url)
        return repo.upsert_report_version(
            self.s, self.a[agency], year, values, [cap], run.started_at, run_id=run.id or 0
        )


@pytest.fixture
def farm(session: Session) -> Farm:
    return Farm(session)


def test_digest_ignores_key_order_and_integral_floats() -> None:
    assert values_digest({"a": 1, "b": None}) == values_digest({"b": None, "a": 1.0})
    assert values_digest({"a": 1}) != values_digest({"a": 1.5})
    assert values_digest({"a": 1}) != values_digest({"a": 1, "b": None})
    with pytest.raises(ValueError, match="not a report value"):
        values_digest({"a": [1]})
    with pytest.raises(ValueError, match="boolean"):
        values_digest({"a": True})


def test_two_crawls_classify_new_unchanged_changed_gone(farm: Farm, session: Session) -> None:
    r1 = farm.run("2026-02-01")
    first = {
        name: farm.see(r1, name, V1, f"http://bj.farm/{name}/2025.html") for name in ("甲局", "乙局", "丙局")
    }
    assert {n: s for n, (_, _, s) in first.items()} == dict.fromkeys(first, ReportStatus.NEW)
    sh_cap = farm.capture(r1, "http://sh.farm/x.html")
    sh_report, _, _ = repo.upsert_report_version(
        session, farm.sh, 2025, V1, [sh_cap], r1.started_at, run_id=r1.id or 0
    )
    assert repo.mark_gone(session, r1.id or 0) == []
    session.commit()

    r2 = farm.run("2027-02-01")
    # 甲局 unchanged but moved to another URL: same report, same version, last_seen moves on.
    a_report, a_version, a_status = farm.see(r2, "甲局", dict(V1), "http://bj.farm/new-column/jia-2025.html")
    changed = {**V1, "requests.new_received.commercial": 4}
    b_report, b_version, b_status = farm.see(r2, "乙局", changed, "http://bj.farm/乙局/2025.html")
    _, _, d_status = farm.see(r2, "丁局", V1, "http://bj.farm/丁局/2025.html")
    gone = repo.mark_gone(session, r2.id or 0)
    session.commit()

    assert (a_status, b_status, d_status) == (ReportStatus.UNCHANGED, ReportStatus.CHANGED, ReportStatus.NEW)
    assert a_report.id == first["甲局"][0].id and a_version.number == 1
    assert a_version.first_seen == at("2026-02-01") and a_version.last_seen == at("2027-02-01")
    assert a_version.first_capture_id != a_version.last_capture_id
    assert b_version.number == 2 and b_report.latest_version == 2
    assert [r.id for r in gone] == [first["丙局"][0].id]
    c = session.get(Report, first["丙局"][0].id)
    assert c is not None and c.status is ReportStatus.GONE and c.status_run_id == r2.id
    c_version = session.exec(select(ReportVersion).where(ReportVersion.report_id == c.id)).one()
    assert c_version.last_capture_id is not None  # its last capture is kept
    # The other site was not crawled by r2: its report is untouched.
    assert session.get(Report, sh_report.id).status is ReportStatus.NEW  # type: ignore[union-attr]

    old = session.exec(
        select(ReportVersion).where(ReportVersion.report_id == b_report.id, ReportVersion.number == 1)
    ).one()
    assert repo.field_diff(old, b_version) == [FieldChange("requests.new_received.commercial", 3, 4)]
    assert (old.first_seen, old.last_seen, b_version.first_seen) == (
        at("2026-02-01"),
        at("2026-02-01"),
        at("2027-02-01"),
    )
    assert a_report.identity == "farm-bj/甲局/2025"


def test_a_run_sees_one_version_and_resuming_changes_nothing(farm: Farm, session: Session) -> None:
    r1 = farm.run("2026-02-01")
    farm.see(r1, "甲局", V1, "http://bj.farm/a.html")
    r2 = farm.run("2027-02-01")
    _, v_a, s_a = farm.see(r2, "甲局", {**V1, "requests.new_received.commercial": 9}, "http://bj.farm/a.html")
    # The resumed run parses the same page again, then a better source of the same run.
    _, v_b, s_b = farm.see(r2, "甲局", {**V1, "requests.new_received.commercial": 9}, "http://bj.farm/a.html")
    _, v_c, s_c = farm.see(r2, "甲局", {**V1, "requests.new_received.commercial": 10}, "http://bj.farm/a.pdf")
    assert v_a.id == v_b.id == v_c.id and v_c.number == 2
    assert s_a == s_b == s_c == ReportStatus.CHANGED
    assert v_c.values["requests.new_received.commercial"] == 10
    assert len(session.exec(select(ReportVersion)).all()) == 2
    # Re-seeing a new report in its first run keeps it new.
    _, _, s_new = farm.see(r2, "乙局", V1, "http://bj.farm/b.html")
    _, _, s_again = farm.see(r2, "乙局", V1, "http://bj.farm/b.html")
    assert s_new == s_again == ReportStatus.NEW


def test_reverting_values_makes_a_third_version(farm: Farm, session: Session) -> None:
    for day, values in (("2026-02-01", V1), ("2027-02-01", {**V1, "x": 1}), ("2028-02-01", V1)):
        _, version, _ = farm.see(farm.run(day), "甲局", values, "http://bj.farm/a.html")
    assert version.number == 3
    assert version.values_digest == values_digest(V1)


def test_gone_report_that_returns_is_unchanged(farm: Farm, session: Session) -> None:
    farm.see(farm.run("2026-02-01"), "甲局", V1, "http://bj.farm/a.html")
    r2 = farm.run("2027-02-01")
    assert len(repo.mark_gone(session, r2.id or 0)) == 1
    r3 = farm.run("2028-02-01")
    report, _, status = farm.see(r3, "甲局", V1, "http://bj.farm/a.html")
    assert status is ReportStatus.UNCHANGED and report.status is ReportStatus.UNCHANGED


def test_mark_gone_respects_years_and_seen_ids(farm: Farm, session: Session) -> None:
    r1 = farm.run("2026-02-01")
    old, _, _ = farm.see(r1, "甲局", V1, "http://bj.farm/2019.html", year=2019)
    kept, _, _ = farm.see(r1, "乙局", V1, "http://bj.farm/b.html")
    lost, _, _ = farm.see(r1, "丙局", V1, "http://bj.farm/c.html")
    r2 = farm.run("2027-02-01")
    gone = repo.mark_gone(session, r2.id or 0, seen_report_ids=[kept.id or 0], years=[2025])
    assert [r.id for r in gone] == [lost.id]
    assert old.status is ReportStatus.NEW


def _result() -> ParseResult:
    return ParseResult(
        name="2025.html",
        kind="html",
        year=2025,
        template="2021",
        title="甲局2025年政府信息公开工作年度报告",
        agency="甲局",
        values={
            "requests.total.total": 15,
            "requests.new_received.commercial": 3.0,
            "x.blank": None,
            "unit": "万元",
        },
        sources={
            "requests.total.total": "published",
            "requests.new_received.commercial": "repaired",
            "unit": "published",
        },
        legacy_rows={"主动公开政府信息数": 120},
        legacy_units={"主动公开政府信息数": "条"},
        checks=(
            Check(
                "R1",
                "requests.*.total",
                True,
                15,
                15,
                ("requests.total.total", "requests.new_received.commercial"),
            ),
            Check("R2", "requests.total.*", False, 15, 14.5, ("requests.total.total",)),
        ),
        warnings=("cell x blank",),
    )


def test_sources_store_cells_checks_and_which_supplies_values(farm: Farm, session: Session) -> None:
    r1 = farm.run("2026-02-01")
    html_cap = farm.capture(r1, "http://bj.farm/a.html")
    pdf_cap = farm.capture(r1, "http://bj.farm/a.pdf")
    _, version, _ = repo.upsert_report_version(
        session, farm.a["甲局"], 2025, V1, [pdf_cap], r1.started_at, run_id=r1.id or 0
    )
    html = repo.add_source(
        session,
        version,
        html_cap,
        _result(),
        role=SourceRole.HTML_BODY,
        supplies_values=True,
        value_reason="only source so far",
    )
    pdf = repo.add_source(session, version, pdf_cap, _result(), role=SourceRole.ATTACHMENT)
    broken = repo.add_source(
        session,
        version,
        farm.capture(r1, "http://bj.farm/a.doc"),
        None,
        role=SourceRole.ATTACHMENT,
        format="doc",
        parse_error="a.doc: truncated OLE file",
    )
    assert repo.add_source(session, version, html_cap, _result(), role=SourceRole.HTML_BODY).id == html.id
    repo.choose_value_source(session, version, pdf, "attachment passes R2; the HTML table lost a cell")
    session.commit()
    session.expire_all()

    sources = {s.id: s for s in session.exec(select(ReportSource)).all()}
    assert [sources[i].supplies_values for i in (html.id, pdf.id, broken.id)] == [False, True, False]
    assert sources[pdf.id].value_reason == "attachment passes R2; the HTML table lost a cell"
    assert (sources[html.id].parse_status, sources[html.id].template, sources[html.id].consistent) == (
        ParseStatus.PARSED,
        "2021",
        False,
    )
    assert sources[html.id].warnings == ["cell x blank"]
    assert (sources[broken.id].parse_status, sources[broken.id].format) == (ParseStatus.FAILED, "doc")
    assert sources[broken.id].parse_error == "a.doc: truncated OLE file"

    cells = {
        (c.kind, c.key): c
        for c in session.exec(select(FieldValue).where(FieldValue.source_id == html.id)).all()
    }
    assert len(cells) == 5
    total = cells[(FieldKind.FIELD, "requests.total.total")]
    assert (total.value_num, total.value_text, total.cell_source) == (15.0, None, CellSource.PUBLISHED)
    assert cells[(FieldKind.FIELD, "requests.new_received.commercial")].cell_source is CellSource.REPAIRED
    blank = cells[(FieldKind.FIELD, "x.blank")]
    assert (blank.value_num, blank.value_text, blank.cell_source) == (None, None, None)
    assert cells[(FieldKind.FIELD, "unit")].value_text == "万元"
    legacy = cells[(FieldKind.LEGACY, "主动公开政府信息数")]
    assert (legacy.value_num, legacy.unit) == (120.0, "条")

    checks = session.exec(
        select(CheckResult).where(CheckResult.source_id == html.id).order_by(CheckResult.rule)
    ).all()
    assert [(c.rule, c.ok, c.left_value, c.right_value) for c in checks] == [
        ("R1", True, 15, 15),
        ("R2", False, 15, 14.5),
    ]
    assert checks[0].cells == ["requests.total.total", "requests.new_received.commercial"]


def test_agency_and_site_rows_are_shared(farm: Farm, session: Session) -> None:
    assert len(session.exec(select(Agency)).all()) == 5
    assert len(session.exec(select(Site)).all()) == 2


def test_changes_since_a_run_or_a_date(farm: Farm, session: Session) -> None:
    from storage.changes import changes_since

    r1 = farm.run("2026-02-01")
    for name in ("甲局", "乙局", "丙局"):
        farm.see(r1, name, V1, f"http://bj.farm/{name}.html")
    r2 = farm.run("2027-02-01")
    farm.see(r2, "甲局", V1, "http://bj.farm/甲局.html")
    farm.see(r2, "乙局", {**V1, "requests.new_received.commercial": 4}, "http://bj.farm/乙局.html")
    farm.see(r2, "丁局", V1, "http://bj.farm/丁局.html")
    repo.mark_gone(session, r2.id or 0)
    r3 = farm.run("2028-02-01")  # nothing changes; 乙局's edit must still show since r2
    for name in ("甲局", "乙局", "丁局"):
        farm.see(
            r3, name, {**V1, "requests.new_received.commercial": 4} if name == "乙局" else V1, "http://x/"
        )
    session.commit()

    got = changes_since(session, run_id=r2.id)
    assert [(c.identity, c.kind, c.run_id, c.before, c.after) for c in got] == [
        ("farm-bj/丁局/2025", "new", r2.id, None, 1),
        ("farm-bj/丙局/2025", "gone", r2.id, 1, None),
        ("farm-bj/乙局/2025", "changed", r2.id, 1, 2),
    ]
    assert got[2].diff == (FieldChange("requests.new_received.commercial", 3, 4),)
    assert got[2].agency == "乙局" and got[2].year == 2025
    assert changes_since(session, since=at("2027-06-01")) == []
    assert len(changes_since(session, since=at("2026-01-01"))) == 3 + 3  # r1's three new reports too
    with pytest.raises(ValueError, match="exactly one"):
        changes_since(session)


def test_a_site_the_run_could_not_crawl_keeps_its_reports(farm: Farm, session: Session) -> None:
    from storage.columns import save_site_outcome

    farm.see(farm.run("2026-02-01"), "甲局", V1, "http://bj.farm/a.html")
    r2 = farm.run("2027-02-01")
    site_id = session.exec(select(CrawlRunSite.site_id).where(CrawlRunSite.run_id == r2.id)).first()
    assert site_id is not None
    save_site_outcome(session, r2.id or 0, site_id, 0, "unreachable: DNSLookupError: bj.farm")
    assert repo.mark_gone(session, r2.id or 0) == []
    save_site_outcome(session, r2.id or 0, site_id, 0, None)
    assert len(repo.mark_gone(session, r2.id or 0)) == 1
