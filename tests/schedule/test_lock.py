"""One firing per job however many scheduler processes share the database."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from apscheduler.triggers.date import DateTrigger

from crawler.schedule.cron import TZ
from crawler.schedule.lock import LOCKS_TABLE, FireLock, LockingExecutor, ensure_table
from crawler.schedule.store import open_schedules
from storage.db import make_engine
from tests.schedule.conftest import REPO, add_record_job, child_env, recorded


@pytest.fixture
def lock(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    ensure_table(engine)
    yield FireLock(engine)
    engine.dispose()


def test_first_claim_of_a_firing_wins(lock: FireLock) -> None:
    fire = datetime(2027, 2, 1, 3, 0, tzinfo=TZ)
    assert lock.claim("crawl-a", fire, "host-1:10") is True
    # The same instant written in another zone is the same firing.
    assert lock.claim("crawl-a", fire.astimezone(UTC), "host-2:20") is False
    assert lock.holder_of("crawl-a", fire) == "host-1:10"
    assert lock.claim("crawl-a", datetime(2027, 4, 1, 3, 0, tzinfo=TZ), "host-2:20") is True
    assert lock.claim("crawl-b", fire, "host-2:20") is True
    assert lock.holder_of("crawl-c", fire) is None


def test_a_second_executor_skips_a_firing_the_first_claimed(
    db_url: str, lock: FireLock, tmp_path: Path
) -> None:
    calls = tmp_path / "calls.txt"
    with open_schedules(db_url) as (scheduler, _):
        add_record_job(
            scheduler, calls, "due", DateTrigger(datetime.now(TZ) - timedelta(minutes=1), timezone=TZ)
        )
        job = scheduler.get_job("due")
    assert job is not None
    first, second = LockingExecutor(lock, "a:1"), LockingExecutor(lock, "b:2")
    with open_schedules(db_url) as (scheduler, _):
        first.start(scheduler, "first")
        second.start(scheduler, "second")
        first.submit_job(job, [job.next_run_time])
        second.submit_job(job, [job.next_run_time])
        assert first.wait_idle(10) and second.wait_idle(10)
        assert second.in_flight() == 0
        first.shutdown()
        second.shutdown()
    assert [line.split()[0] for line in calls.read_text().splitlines()] == ["due"]
    assert lock.holder_of("due", job.next_run_time) == "a:1"


@pytest.mark.slow
def test_two_scheduler_processes_fire_each_job_once(db_url: str, tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    env = child_env(NIANBAO_LOG_DIR=str(tmp_path / "logs"), NIANBAO_ARCHIVE_DIR=str(tmp_path / "warc"))
    argv = [sys.executable, "-m", "crawler", "scheduler", "run", "--db", db_url, "--poll", "0.2"]
    # Both start on an empty database and race to create the tables.
    procs = [
        subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        time.sleep(2.0)  # both are up and polling: the jobs below are added while they run
        fire = datetime.now(TZ) + timedelta(seconds=1.5)
        labels = [f"job{i}" for i in range(4)]
        with open_schedules(db_url) as (scheduler, _):
            for label in labels:
                add_record_job(scheduler, calls, label, DateTrigger(fire, timezone=TZ))
        deadline = time.monotonic() + 15
        while len(recorded(calls)) < len(labels) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # time enough for a duplicate to show up
        died = [p.returncode for p in procs if p.poll() is not None]
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        outputs = [p.communicate(timeout=30) for p in procs]
    assert died == [], [err for _, err in outputs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert sorted(recorded(calls)) == labels
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(sa.table(LOCKS_TABLE, sa.column("job_id"), sa.column("holder")))
            ).all()
    finally:
        engine.dispose()
    assert sorted(r.job_id for r in rows) == labels
    pids = {line.split()[1] for line in calls.read_text().splitlines()}
    assert pids <= {str(p.pid) for p in procs}
