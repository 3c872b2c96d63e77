"""Schedules in the project database: stored once, read back by other processes with the right
next run time; ids, conflicts and unknown sites refused; the last run a schedule launched."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from crawler.schedule.cron import TZ, ScheduleError
from crawler.schedule.jobs import CRAWL_JOB
from crawler.schedule.schedules import add_schedule, default_job_id, list_schedules, remove_schedule
from crawler.schedule.store import open_schedules
from storage import repo
from storage.models import Outcome, Trigger
from tests.schedule.conftest import REPO, child_env

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=TZ)


def test_job_survives_a_restart_with_its_next_run_time(db_url: str) -> None:
    with open_schedules(db_url) as (scheduler, _):
        info = add_schedule(scheduler, ["farm-trs", "http://www.example.gov.cn/"], now=NOW)
    assert info.id == "crawl-farm-trs+www.example.gov.cn"
    assert info.next_run_time == datetime(2027, 2, 1, 3, 0, tzinfo=TZ)

    # A new process opens the database and finds the job as stored.
    out = subprocess.run(
        [sys.executable, "-m", "crawler", "schedule", "list", "--db", db_url, "--json"],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    listed = json.loads(out.stdout)
    assert listed == [
        {
            "id": "crawl-farm-trs+www.example.gov.cn",
            "sites": ["farm-trs", "http://www.example.gov.cn/"],
            "trigger": "0 3 1 2,4 *",
            "next_run_time": "2027-02-01T03:00:00+08:00",
            "last_run": None,
        }
    ]
    with open_schedules(db_url) as (scheduler, _):
        job = scheduler.get_job(info.id)
        assert job is not None
        assert job.func_ref == CRAWL_JOB
        assert job.args == (["farm-trs", "http://www.example.gov.cn/"],)
        assert job.kwargs == {"job_id": info.id}
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        # The stored trigger keeps counting from there: after 1 February comes 1 April.
        assert job.trigger.get_next_fire_time(job.next_run_time, job.next_run_time) == datetime(
            2027, 4, 1, 3, 0, tzinfo=TZ
        )


def test_custom_cron_and_id(db_url: str) -> None:
    with open_schedules(db_url) as (scheduler, engine):
        add_schedule(scheduler, ["farm-city"], cron="30 4 * * 1", job_id="weekly-city", now=NOW)
        infos = list_schedules(scheduler, engine)
    assert [(i.id, i.sites, i.trigger, i.next_run_time) for i in infos] == [
        ("weekly-city", ("farm-city",), "30 4 * * mon", datetime(2026, 11, 23, 4, 30, tzinfo=TZ))
    ]


@pytest.mark.parametrize(
    ("sites", "kwargs", "message"),
    [
        (["no-such-site"], {}, "unknown site 'no-such-site'"),
        ([], {}, "no sites given"),
        (["farm-trs"], {"cron": "0 25 * * *"}, "cron '0 25 * * *'"),
        (["farm-trs"], {"job_id": "has space"}, "schedule id 'has space'"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_is_stored(
    db_url: str, sites: list[str], kwargs: dict[str, str], message: str
) -> None:
    with open_schedules(db_url) as (scheduler, _):
        with pytest.raises(ScheduleError, match=re.escape(message)):
            add_schedule(scheduler, sites, now=NOW, **kwargs)
        assert scheduler.get_jobs() == []


def test_duplicate_id_and_unknown_removal_are_errors(db_url: str) -> None:
    with open_schedules(db_url) as (scheduler, _):
        add_schedule(scheduler, ["farm-trs"], now=NOW)
        with pytest.raises(ScheduleError, match="'crawl-farm-trs' exists already"):
            add_schedule(scheduler, ["farm-trs"], cron="0 1 * * *", now=NOW)
        with pytest.raises(ScheduleError, match="no schedule with id 'nope'"):
            remove_schedule(scheduler, "nope")
        remove_schedule(scheduler, "crawl-farm-trs")
        assert scheduler.get_jobs() == []


def test_list_shows_the_newest_run_the_schedule_launched(db_url: str) -> None:
    with open_schedules(db_url) as (scheduler, engine):
        add_schedule(scheduler, ["farm-trs"], now=NOW)
        add_schedule(scheduler, ["farm-city"], now=NOW)
        with Session(engine) as s:
            site = repo.get_or_create_site(s, "farm-trs", "TRS", "http://127.0.0.1:18701/")
            for day, outcome in ((1, Outcome.OK), (2, Outcome.INTERRUPTED)):
                started = datetime(2027, 2, day, tzinfo=UTC)
                run = repo.start_run(
                    s,
                    [site],
                    trigger=Trigger.SCHEDULE,
                    operator="schedule:crawl-farm-trs",
                    started_at=started,
                )
                repo.finish_run(s, run, outcome)
            repo.start_run(s, [site], operator="someone")  # a manual run of the same site does not count
            s.commit()
        infos = {i.id: i for i in list_schedules(scheduler, engine)}
    last = infos["crawl-farm-trs"].last_run
    assert last is not None and (last.run_id, last.outcome) == (2, "interrupted")
    assert last.started_at == datetime(2027, 2, 2, tzinfo=UTC)
    assert infos["crawl-farm-city"].last_run is None


def test_default_id_names_sites_and_hosts() -> None:
    assert default_job_id(["farm-trs", "https://www.gov.cn/zhengce/"]) == "crawl-farm-trs+www.gov.cn"
