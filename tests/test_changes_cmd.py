"""``nianbao changes``: new, changed (with the field diff), gone and unchanged reports, as a table or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from crawler.cli import app
from storage import repo
from storage.db import create_all, make_engine
from tests.schedule.conftest import BACKENDS, PG_URL

runner = CliRunner()
KEY_N = "requests.new_received.natural_person"
KEY_C = "requests.new_received.commercial"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store crawled twice: on 2026-02-01 and on 2027-02-01 (Beijing time 11:00)."""
    url = f"sqlite:///{tmp_path / 'nianbao.sqlite'}" if request.param == "sqlite" else PG_URL
    engine = make_engine(url)
    if request.param == "postgresql":
        from storage.db import drop_all

        drop_all(engine)
    create_all(engine)
    with Session(engine) as s:
        site = repo.get_or_create_site(s, "farm-city", "某市人民政府", "http://127.0.0.1:18705/")
        agency = {n: repo.get_or_create_agency(s, site, n) for n in ("甲局", "乙局", "丙局", "丁局")}

        def crawl(day: datetime, seen: dict[str, dict[str, Any]]) -> int:
            run = repo.start_run(s, [site], started_at=day, as_of=day)
            assert run.id is not None
            for name, values in seen.items():
                repo.upsert_report_version(s, agency[name], 2025, values, [], day, run_id=run.id)
            repo.mark_gone(s, run.id)
            repo.finish_run(s, run, "ok", ended_at=day)  # type: ignore[arg-type]
            return run.id

        v1 = {KEY_N: 12, KEY_C: 3}
        crawl(datetime(2026, 2, 1, 3, tzinfo=UTC), {"甲局": v1, "乙局": v1, "丙局": v1})
        # A year later: 甲局 unchanged, 乙局 edited one figure, 丙局 removed, 丁局 published.
        crawl(datetime(2027, 2, 1, 3, tzinfo=UTC), {"甲局": v1, "乙局": {KEY_N: 15, KEY_C: 3}, "丁局": v1})
        s.commit()
    engine.dispose()
    return url


def changes(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["changes", *args])


def test_json_since_the_second_run(db_url: str) -> None:
    result = changes("--since", "2", "--json", "--db", db_url)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["since"] == {"run_id": 2}
    assert data["runs"] == [2]
    assert data["counts"] == {"new": 1, "changed": 1, "gone": 1, "unchanged": 1}
    by_kind = {c["kind"]: c for c in data["changes"]}
    assert by_kind["new"]["identity"] == "farm-city/丁局/2025" and by_kind["new"]["after"] == 1
    changed = by_kind["changed"]
    assert (changed["agency"], changed["year"], changed["before"], changed["after"]) == ("乙局", 2025, 1, 2)
    assert changed["diff"] == [{"key": KEY_N, "before": 12, "after": 15}]
    assert (by_kind["gone"]["agency"], by_kind["gone"]["before"], by_kind["gone"]["after"]) == (
        "丙局",
        1,
        None,
    )


def test_default_is_the_latest_run_and_a_date_means_beijing_midnight(db_url: str) -> None:
    latest = json.loads(changes("--json", "--db", db_url).stdout)
    assert latest["runs"] == [2] and latest["counts"]["changed"] == 1
    by_date = json.loads(changes("--since", "2027-02-01", "--json", "--db", db_url).stdout)
    # 2027-02-01 00:00 Beijing is 2027-01-31 16:00 UTC; run 2 started 03:00 UTC.
    assert by_date["since"] == {"date": "2027-02-01", "from": "2027-01-31T16:00:00+00:00"}
    assert by_date["runs"] == [2]
    everything = json.loads(changes("--since", "1", "--json", "--db", db_url).stdout)
    assert everything["runs"] == [1, 2]
    assert everything["counts"] == {"new": 4, "changed": 1, "gone": 1, "unchanged": 0}


def test_table_shows_the_field_diff(db_url: str) -> None:
    result = runner.invoke(app, ["changes", "--since", "2", "--db", db_url], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    out = result.stdout
    assert "changes since run 2 (runs: 2)" in out
    assert f"{KEY_N}: 12 → 15" in out
    assert "v1 → v2" in out and "乙局 2025" in out and "丙局 2025" in out and "丁局 2025" in out
    assert "new 1, changed 1, gone 1, unchanged 1" in out


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("last-week", "--since 'last-week': expected a run number or a date YYYY-MM-DD"),
        ("99", "--since 99: there is no crawl run 99"),
    ],
)
def test_bad_since_is_a_one_line_error(db_url: str, since: str, message: str) -> None:
    result = changes("--since", since, "--db", db_url)
    assert result.exit_code == 2
    assert result.stderr == f"nianbao changes: {message}\n"


def test_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = make_engine(url)
    create_all(engine)
    engine.dispose()
    result = changes("--db", url)
    assert result.exit_code == 0 and "no crawl runs in the database yet" in result.stdout
