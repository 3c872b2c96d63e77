"""The scheduler over the project database: opening it to edit schedules never fires or loses a due run."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from apscheduler.triggers.date import DateTrigger

from crawler.schedule.cron import TZ
from crawler.schedule.store import JOBS_TABLE, open_schedules
from storage.db import make_engine
from tests.schedule.conftest import add_record_job, recorded


def test_opening_and_closing_schedules_leaves_a_due_job_alone(db_url: str, tmp_path: Path) -> None:
    # APScheduler 3 makes one more pass over due jobs after shutdown(); unchecked, merely listing
    # the schedules would fire this job into a stopped executor and delete it.
    calls = tmp_path / "calls.txt"
    due = datetime.now(TZ) - timedelta(hours=1)
    with open_schedules(db_url) as (scheduler, _):
        add_record_job(scheduler, calls, "missed", DateTrigger(due, timezone=TZ))
    for _ in range(3):
        with open_schedules(db_url) as (scheduler, _):
            assert [j.id for j in scheduler.get_jobs()] == ["missed"]
    with open_schedules(db_url) as (scheduler, _):
        job = scheduler.get_job("missed")
        assert job is not None and job.next_run_time == due
    assert recorded(calls) == []


def test_jobs_live_in_their_own_table_beside_the_crawl_tables(db_url: str, tmp_path: Path) -> None:
    with open_schedules(db_url) as (scheduler, _):
        add_record_job(scheduler, tmp_path / "c", "x", DateTrigger(datetime(2030, 1, 1, tzinfo=TZ)))
    engine = make_engine(db_url)
    try:
        names = set(sa.inspect(engine).get_table_names())
        with engine.connect() as conn:
            ids = conn.execute(sa.text(f"SELECT id FROM {JOBS_TABLE}")).scalars().all()
    finally:
        engine.dispose()
    assert {JOBS_TABLE, "crawl_runs", "reports"} <= names
    assert ids == ["x"]
