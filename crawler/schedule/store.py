"""Schedulers whose job store is the ``nianbao_jobs`` table of the project database."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from apscheduler.executors.base import BaseExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from sqlalchemy.engine import Engine

from crawler.schedule.cron import TZ
from crawler.schedule.lock import ensure_table
from storage.db import create_all, make_engine

JOBS_TABLE = "nianbao_jobs"
"""APScheduler's job table, beside the crawl tables in the same database."""

JOB_DEFAULTS = {
    "coalesce": True,
    "max_instances": 1,
    # No limit: a yearly crawl missed while the scheduler was down is always worth running late,
    # and coalescing makes any number of missed fires one run.
    "misfire_grace_time": None,
}

log = logging.getLogger("nianbao.scheduler")


class NianbaoScheduler(BackgroundScheduler):
    """APScheduler 3's BackgroundScheduler, made safe for a job table shared by several processes.

    Two behaviours of APScheduler 3.11 are fixed here:

    * After ``shutdown()`` its thread makes one more pass over the due jobs (the loop tests the
      state before waiting, not after). That pass fires jobs into stopped executors and then
      advances or deletes them, so merely opening and closing a paused scheduler, as
      ``schedule list`` does, would lose a due run. No pass runs once stopped.
    * Any error during a pass kills the thread silently. A job removed by another process in the
      middle of a pass (a one-off job it fired, or ``schedule remove``) raises JobLookupError, and
      a database hiccup raises too; the pass is instead retried a moment later.
    """

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        try:
            return super()._process_jobs()  # type: ignore[no-any-return]
        except JobLookupError as e:
            log.info("a job went away during a pass (%s); looking again", e)
            return 0.5
        except Exception:
            log.exception("scheduler pass failed; retrying in %s s", self.jobstore_retry_interval)
            return float(self.jobstore_retry_interval)


def make_scheduler(engine: Engine, *, executor: BaseExecutor | None = None) -> NianbaoScheduler:
    """A stopped scheduler over ``engine``'s job table, in Beijing time, with the project's job defaults."""
    return NianbaoScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
        executors={"default": executor or ThreadPoolExecutor(1)},
        job_defaults=dict(JOB_DEFAULTS),
        timezone=TZ,
    )


def prepare_database(engine: Engine, attempts: int = 3) -> None:
    """Create the crawl tables, the job table and the lock table where missing.

    Scheduler processes starting together on a fresh database race to create them (SQLite:
    "table already exists"; PostgreSQL: a duplicate pg_type row); the loser retries, and by then
    the tables exist.
    """
    for attempt in range(1, attempts + 1):
        try:
            create_all(engine)
            ensure_table(engine)
            SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE).jobs_t.create(engine, checkfirst=True)
            return
        except sa.exc.DatabaseError:
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)


@contextmanager
def open_schedules(db_url: str | None) -> Iterator[tuple[NianbaoScheduler, Engine]]:
    """A paused scheduler for editing and reading schedules, and its engine; nothing runs.

    APScheduler 3 writes added jobs to the store only once started, so it is started paused.
    """
    engine = make_engine(db_url)
    try:
        prepare_database(engine)
        scheduler = make_scheduler(engine)
        scheduler.start(paused=True)
        try:
            yield scheduler, engine
        finally:
            scheduler.shutdown(wait=False)
    finally:
        engine.dispose()
