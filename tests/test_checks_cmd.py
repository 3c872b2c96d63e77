"""``nianbao checks`` (recompute and show the cross-year checks) and their lines in ``nianbao changes``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from crawler.cli import app
from storage import repo
from storage.db import create_all, make_engine
from storage.warc import WrittenRecord
from tests.storage.conftest import BACKENDS, PG_URL, at
from tests.storage.test_crosscheck import _result

runner = CliRunner()


def _values(carried: int, forward: int, in_force: int = 10, issued: int = 2, repealed: int = 1) -> dict[str, int]:
    return {
        "requests.carried_over.natural_person": carried, "requests.carried_over.total": carried,
        "requests.carried_forward.natural_person": forward, "requests.carried_forward.total": forward,
        "active.regulations.in_force": in_force, "active.regulations.issued": issued,
        "active.regulations.repealed": repealed,
    }


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store crawled on 2026-02-01 with two agencies' 2023 and 2024 reports: 甲局 hands on what it
    says (and its stock adds up), 乙局's 2024 上年结转 is not its 2023 结转下年度 (2 against 4) and
    its 规章 in force are 14 where 10 + 2 − 1 make 11."""
    url = f"sqlite:///{tmp_path / 'nianbao.sqlite'}" if request.param == "sqlite" else PG_URL
    engine = make_engine(url)
    if request.param == "postgresql":
        from storage.db import drop_all

        drop_all(engine)
    create_all(engine)
    with Session(engine) as s:
        site = repo.get_or_create_site(s, "farm-city", "某市人民政府", "http://127.0.0.1:18705/")
        run = repo.start_run(s, [site], started_at=at("2026-02-01"))
        n = 0
        for name, series in (("甲局", {2023: _values(0, 3, 9), 2024: _values(3, 1, 10)}),
                             ("乙局", {2023: _values(1, 4), 2024: _values(2, 0, 14)})):
            agency = repo.get_or_create_agency(s, site, name)
            for year, values in series.items():
                n += 1
                rec = WrittenRecord("f.warc.gz", n * 100, 10, f"<urn:uuid:ck-{n}>", run.started_at, "response", "sha256:X", 1)
                cap = repo.record_capture(s, run.id or 0, f"http://127.0.0.1:18705/ndbg/{name}{year}.html", rec, status=200)
                assert cap is not None
                _, version, _ = repo.upsert_report_version(s, agency, year, values, [cap], run.started_at,
                                                           run_id=run.id or 0)
                repo.add_source(s, version, cap, _result(f"{name}{year}年政府信息公开工作年度报告", name, year, "2021",
                                                         values), role="html_body", supplies_values=True)
        repo.finish_run(s, run, "ok", ended_at=at("2026-02-01", 5))
        s.commit()
    engine.dispose()
    return url


def checks(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["checks", *args], env={"COLUMNS": "200"})


def test_checks_json_lists_every_check_with_its_numbers(db_url: str) -> None:
    result = checks("--json", "--db", db_url)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {"pass": 5, "fail": 2, "flag": 1}
    bad = {(c["agency"], c["rule"], c["scope"]): c for c in data["checks"] if c["status"] != "pass"}
    assert set(bad) == {("乙局", "X1", "requests.*.natural_person"), ("乙局", "X1", "requests.*.total"),
                        ("乙局", "X2", "active.regulations")}
    total = bad[("乙局", "X1", "requests.*.total")]
    assert (total["year"], total["previous_year"], total["actual"], total["expected"], total["status"]) == (
        2024, 2023, 2, 4, "fail")
    assert total["numbers"] == [{"year": 2024, "key": "requests.carried_over.total", "value": 2},
                                {"year": 2023, "key": "requests.carried_forward.total", "value": 4}]
    stock = bad[("乙局", "X2", "active.regulations")]
    assert (stock["status"], stock["actual"], stock["expected"]) == ("flag", 14, 11)
    again = json.loads(checks("--json", "--db", db_url).stdout)  # recomputed: the same checks, not twice
    assert again["counts"] == data["counts"]


def test_checks_table_and_filters(db_url: str) -> None:
    table = checks("--db", db_url)
    assert table.exit_code == 0, table.output
    assert "乙局" in table.stdout and "2023→2024" in table.stdout and "X1 requests.*.total" in table.stdout
    assert "甲局" not in table.stdout  # passes only with --all
    assert "cross-year checks: pass 5, fail 2, flag 1" in table.stdout
    assert "甲局" in checks("--all", "--db", db_url).stdout
    only = json.loads(checks("--agency", "甲局", "--json", "--db", db_url).stdout)
    assert {c["agency"] for c in only["checks"]} == {"甲局"} and only["counts"]["fail"] == 0
    assert json.loads(checks("--year", "2023", "--json", "--db", db_url).stdout)["checks"] == []
    bad = checks("--year", "twenty", "--db", db_url)
    assert bad.exit_code == 2 and "--year 'twenty'" in bad.stderr


def test_changes_names_the_failing_cross_year_checks_of_the_agencies_it_lists(db_url: str) -> None:
    assert checks("--db", db_url).exit_code == 0
    table = runner.invoke(app, ["changes", "--db", db_url], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    lines = [line for line in table.stdout.splitlines() if line.startswith("cross-year ")]
    assert lines == [
        "cross-year fail: farm-city 乙局 X1 requests.*.natural_person: 2024 上年结转（自然人）2 ≠ 2023 结转下年度继续办理（自然人）4",
        "cross-year fail: farm-city 乙局 X1 requests.*.total: 2024 上年结转（总计）2 ≠ 2023 结转下年度继续办理（总计）4",
        "cross-year flag: farm-city 乙局 X2 active.regulations: 2024 规章现行有效 14 ≠ 2023 现行有效 10 + 制发 2 − 废止 1 = 11",
    ]
    data = json.loads(runner.invoke(app, ["changes", "--json", "--db", db_url]).stdout)
    assert {(c["agency"], c["rule"], c["status"]) for c in data["cross_year"]} == {
        ("乙局", "X1", "fail"), ("乙局", "X2", "flag")}


def test_checks_on_a_store_that_cannot_be_opened(tmp_path: Path) -> None:
    bad = checks("--db", "mysql://nowhere/db")
    assert bad.exit_code == 2 and "only sqlite and postgresql" in bad.stderr
