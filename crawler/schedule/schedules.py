"""Add, list and remove crawl schedules (the data behind ``nianbao schedule``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from crawler.registry import RegistryError, resolve
from crawler.schedule.cron import DEFAULT_CRON, TZ, ScheduleError, describe, parse_cron
from crawler.schedule.jobs import CRAWL_JOB, operator_of
from storage.models import CrawlRun

_ID_OK = re.compile(r"^[\w.:+@-]{1,120}$")


@dataclass(frozen=True)
class LastRun:
    """The newest crawl run a schedule launched."""

    run_id: int
    outcome: str
    started_at: datetime


@dataclass(frozen=True)
class ScheduleInfo:
    """One stored schedule, as ``schedule list`` shows it."""

    id: str
    sites: tuple[str, ...]
    trigger: str
    """Crontab expression (or APScheduler's description of another trigger)."""
    next_run_time: datetime | None
    """Next fire time in Asia/Shanghai; None when paused."""
    last_run: LastRun | None


def default_job_id(sites: list[str]) -> str:
    """``crawl-`` and the sites (a bare URL by its host), e.g. ``crawl-beijing+shanghai``."""
    names = [urlsplit(s).netloc if "://" in s else s for s in sites]
    return ("crawl-" + "+".join(names))[:120]


def add_schedule(
    scheduler: BaseScheduler,
    sites: list[str],
    *,
    cron: str | None = None,
    job_id: str | None = None,
    now: datetime | None = None,
) -> ScheduleInfo:
    """Store a schedule crawling ``sites`` on ``cron`` (default :data:`DEFAULT_CRON`).

    ``now`` fixes the moment the first fire time is computed from (tests; default: the clock).
    """
    if not sites:
        raise ScheduleError("no sites given")
    try:
        resolve(sites)
    except RegistryError as e:
        raise ScheduleError(str(e)) from None
    expr = cron if cron is not None else DEFAULT_CRON
    now = now or datetime.now(TZ)
    trigger = parse_cron(expr, now=now)
    job_id = job_id or default_job_id(sites)
    if not _ID_OK.match(job_id):
        raise ScheduleError(f"schedule id {job_id!r}: use 1-120 letters, digits or . _ : + @ -")
    try:
        job = scheduler.add_job(
            CRAWL_JOB,
            trigger,
            args=[list(sites)],
            kwargs={"job_id": job_id},
            id=job_id,
            name=" ".join(sites),
            next_run_time=trigger.get_next_fire_time(None, now),
        )
    except ConflictingIdError:
        raise ScheduleError(f"schedule {job_id!r} exists already (remove it first, or choose --id)") from None
    return ScheduleInfo(job_id, tuple(sites), describe(trigger), job.next_run_time, None)


def remove_schedule(scheduler: BaseScheduler, job_id: str) -> None:
    """Delete schedule ``job_id``; ScheduleError when there is none."""
    try:
        scheduler.remove_job(job_id)
    except JobLookupError:
        raise ScheduleError(f"no schedule with id {job_id!r} (see nianbao schedule list)") from None


def list_schedules(scheduler: BaseScheduler, engine: Engine) -> list[ScheduleInfo]:
    """Every stored schedule, soonest first, with the last crawl run each launched."""
    out = []
    with Session(engine) as session:
        for job in scheduler.get_jobs():
            sites = tuple(job.args[0]) if job.args else ()
            nxt = job.next_run_time.astimezone(TZ) if job.next_run_time else None
            out.append(ScheduleInfo(job.id, sites, describe(job.trigger), nxt, _last_run(session, job.id)))
    return out


def _last_run(session: Session, job_id: str) -> LastRun | None:
    run = session.exec(
        select(CrawlRun).where(CrawlRun.operator == operator_of(job_id)).order_by(col(CrawlRun.id).desc())
    ).first()
    if run is None or run.id is None:
        return None
    return LastRun(run.id, run.outcome.value, run.started_at)
