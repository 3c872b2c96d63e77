"""The scheduler loop: fires missed by a stopped scheduler run once at start, each crawl runs as a
child process with the schedule's trigger recorded, and a stop terminates and awaits the crawls."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from crawler.schedule.cron import TZ
from crawler.schedule.lock import FireLock
from crawler.schedule.recovery import pid_alive
from crawler.schedule.runner import SchedulerOptions, SchedulerResult, run_scheduler
from crawler.schedule.schedules import add_schedule
from crawler.schedule.store import open_schedules
from tests.schedule.conftest import add_record_job, recorded

FAKE_CRAWL = Path(__file__).with_name("fake_crawl.py")


def options(db_url: str, tmp_path: Path, **kw: object) -> SchedulerOptions:
    return SchedulerOptions(db_url, tmp_path / "warc", tmp_path / "logs", poll_s=0.2, holder="test:1", **kw)  # type: ignore[arg-type]


def run_once(opts: SchedulerOptions) -> SchedulerResult:
    done = threading.Event()
    result: list[SchedulerResult] = []
    thread = threading.Thread(
        target=lambda: (result.append(run_scheduler(opts, threading.Event())), done.set())
    )
    thread.start()
    thread.join(30)
    assert result, "scheduler run --once did not finish within 30 s"
    return result[0]


def test_runs_missed_while_down_fire_exactly_once_on_start(db_url: str, tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    now = datetime.now(TZ)
    with open_schedules(db_url) as (scheduler, _):
        # Hourly, last fired five hours ago: five fires were missed while no scheduler ran.
        add_record_job(
            scheduler,
            calls,
            "hourly",
            CronTrigger(minute=0, timezone=TZ),
            next_run_time=now - timedelta(hours=5),
        )
        add_record_job(scheduler, calls, "one-off", DateTrigger(now - timedelta(days=3), timezone=TZ))
        add_record_job(scheduler, calls, "tomorrow", DateTrigger(now + timedelta(days=1), timezone=TZ))

    result = run_once(options(db_url, tmp_path, once=True))

    assert sorted(result.due_at_start) == ["hourly", "one-off"]
    assert sorted(recorded(calls)) == ["hourly", "one-off"]
    with open_schedules(db_url) as (scheduler, engine):
        assert scheduler.get_job("one-off") is None  # a date job that has fired is done
        hourly = scheduler.get_job("hourly")
        assert hourly is not None and now < hourly.next_run_time <= now + timedelta(hours=1)
        tomorrow = scheduler.get_job("tomorrow")
        assert tomorrow is not None and tomorrow.next_run_time > now
        assert FireLock(engine).holder_of("one-off", now - timedelta(days=3)) == "test:1"

    # The next start finds nothing due: the missed fires were coalesced, not queued.
    again = run_once(options(db_url, tmp_path, once=True))
    assert again.due_at_start == ()
    assert sorted(recorded(calls)) == ["hourly", "one-off"]


def _due_crawl_schedule(db_url: str) -> None:
    with open_schedules(db_url) as (scheduler, _):
        # Added two days ago with a daily 03:00 cron, so today's (or yesterday's) 03:00 was missed.
        add_schedule(scheduler, ["farm-trs"], cron="0 3 * * *", now=datetime.now(TZ) - timedelta(days=2))


def test_scheduled_crawl_runs_as_a_child_with_trigger_schedule(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "fake.jsonl"
    monkeypatch.setenv("FAKE_CRAWL_OUT", str(out))
    _due_crawl_schedule(db_url)
    caplog.set_level(logging.INFO, logger="nianbao.scheduler")

    run_once(options(db_url, tmp_path, once=True, crawl_argv=(sys.executable, str(FAKE_CRAWL))))

    (started,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert started["argv"] == [
        "farm-trs",
        "--archive",
        str(tmp_path / "warc"),
        "--operator",
        "schedule:crawl-farm-trs",
        "--quiet",
    ]
    env = started["env"]
    assert env["NIANBAO_TRIGGER"] == "schedule"
    assert env["NIANBAO_DB_URL"] == db_url
    assert env["NIANBAO_LOG_DIR"] == str(tmp_path / "logs")
    assert env["NIANBAO_ARCHIVE_DIR"] == str(tmp_path / "warc")
    assert "job crawl-farm-trs: crawl exited with status 4 after" in caplog.text
    assert len(list((tmp_path / "logs").glob("schedule-crawl-farm-trs-*.out"))) == 1


def test_stop_sends_sigterm_to_running_crawls_and_waits_for_them(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "fake.jsonl"
    monkeypatch.setenv("FAKE_CRAWL_OUT", str(out))
    monkeypatch.setenv("FAKE_CRAWL_MODE", "sleep")
    _due_crawl_schedule(db_url)
    stop = threading.Event()
    opts = options(db_url, tmp_path, crawl_argv=(sys.executable, str(FAKE_CRAWL)), stop_timeout_s=20)
    thread = threading.Thread(target=run_scheduler, args=(opts, stop))
    thread.start()
    deadline = time.monotonic() + 20
    while not (out.exists() and "started" in out.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = json.loads(out.read_text().splitlines()[0])["pid"]
    assert pid_alive(pid)

    t0 = time.monotonic()
    stop.set()
    thread.join(25)
    assert not thread.is_alive()
    assert time.monotonic() - t0 < 20  # it stopped on SIGTERM, not by the kill after the timeout
    assert [json.loads(line)["event"] for line in out.read_text().splitlines()] == ["started", "sigterm"]
    assert not pid_alive(pid)
