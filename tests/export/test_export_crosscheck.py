"""The cross-year checks of the exported reports travel with the export (their own table, in
every format and in the data package); a store without any writes no such table."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from crawler.export import ExportFilter, run_export
from storage import db
from storage.models import Agency, CrossCheckStatus, CrossYearCheck, Report, ReportVersion
from tests.export.store import build_store


def test_cross_year_checks_are_exported_with_their_reports(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'n.sqlite'}")
    build_store(engine, tmp_path / "warc")
    run_export(engine, tmp_path / "none", ExportFilter(), formats=["jsonl"], documents=False, wacz=False)
    assert not (tmp_path / "none" / "jsonl" / "cross_year_checks.jsonl").exists()
    with Session(engine) as s:
        report, agency = s.exec(select(Report, Agency).join(Agency).where(Agency.name == "淮安市财政局")).one()
        version = s.exec(select(ReportVersion).where(ReportVersion.report_id == report.id)).first()
        assert version is not None and version.id is not None and report.id is not None
        s.add(CrossYearCheck(agency_id=agency.id, year=2023, previous_year=2022, report_id=report.id,
                             previous_report_id=report.id, version_id=version.id, previous_version_id=version.id,
                             rule="X1", scope="requests.*.total", status=CrossCheckStatus.FAIL, actual=2, expected=4,
                             numbers=[{"year": 2022, "key": "requests.carried_forward.total", "value": 4}],
                             note="2023 上年结转 2 ≠ 2022 结转下年度继续办理 4"))
        s.commit()
    out = tmp_path / "export"
    run_export(engine, out, ExportFilter(), formats=["jsonl", "csv"], documents=False, wacz=False)
    rows = [json.loads(x) for x in (out / "jsonl" / "cross_year_checks.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["agency"], r["rule"], r["status"], r["actual"], r["expected"]) for r in rows] == [
        ("淮安市财政局", "X1", "fail", 2, 4)]
    assert json.loads(rows[0]["numbers"])[0]["value"] == 4
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert any(r["name"].startswith("cross_year_checks") for r in package["resources"])
    # a filter that leaves the report out leaves its checks out
    run_export(engine, tmp_path / "gulou", ExportFilter(agency="鼓楼"), formats=["jsonl"], documents=False, wacz=False)
    assert not (tmp_path / "gulou" / "jsonl" / "cross_year_checks.jsonl").exists()
    engine.dispose()
