"""At most one firing of each scheduled job, however many scheduler processes share a database.

APScheduler 3 has no distributed lock: every scheduler process reads the same due jobs from the
job table and would run each of them. Before a job is handed to the thread pool, its firing is
claimed by inserting the row (job id, fire time) into ``scheduler_locks``; the primary key lets
exactly one insert succeed, on SQLite and PostgreSQL alike, and the other processes skip it.

The fire time is the job's ``next_run_time`` as read from the job table, not the clock, so
processes whose clocks or wake-ups differ still claim the same key. A claim is kept for good:
the table doubles as the record of which process fired what, and when.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from apscheduler.executors.pool import ThreadPoolExecutor
from sqlalchemy.engine import Engine

from storage.coltypes import UTCDateTime, utcnow

LOCKS_TABLE = "scheduler_locks"

log = logging.getLogger("nianbao.scheduler")

_metadata = sa.MetaData()
locks_table = sa.Table(
    LOCKS_TABLE,
    _metadata,
    sa.Column("job_id", sa.String(191), primary_key=True, comment="Scheduled job (nianbao_jobs.id)."),
    sa.Column(
        "fire_time",
        sa.String(40),
        primary_key=True,
        comment="The firing claimed: the job's next_run_time in UTC, ISO 8601 with microseconds.",
    ),
    sa.Column(
        "holder", sa.String(255), nullable=False, comment="Scheduler process that fired it (host:pid)."
    ),
    sa.Column("claimed_at", UTCDateTime(), nullable=False, comment="When it claimed the firing."),
)


def ensure_table(engine: Engine) -> None:
    """Create ``scheduler_locks`` if missing (idempotent)."""
    _metadata.create_all(engine, tables=[locks_table])


def fire_key(fire_time: datetime) -> str:
    """The text every process derives identically from one fire time."""
    return fire_time.astimezone(UTC).isoformat(timespec="microseconds")


class FireLock:
    """Claims job firings in the database; the first claimant of a firing wins."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, job_id: str, fire_time: datetime, holder: str) -> bool:
        """True if this call claimed the firing, False if another process had."""
        row = {"job_id": job_id, "fire_time": fire_key(fire_time), "holder": holder, "claimed_at": utcnow()}
        try:
            with self.engine.begin() as conn:
                conn.execute(locks_table.insert().values(**row))
        except sa.exc.IntegrityError:
            return False
        return True

    def holder_of(self, job_id: str, fire_time: datetime) -> str | None:
        """Who claimed the firing, or None if nobody has."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(locks_table.c.holder).where(
                    locks_table.c.job_id == job_id, locks_table.c.fire_time == fire_key(fire_time)
                )
            ).scalar()


class LockingExecutor(ThreadPoolExecutor):
    """APScheduler's thread pool, running a job only when this process claims its firing.

    It also counts the jobs it has in flight, so ``scheduler run --once`` can wait for them.
    """

    def __init__(self, lock: FireLock, holder: str, max_workers: int = 4) -> None:
        super().__init__(max_workers)
        self.lock = lock
        self.holder = holder
        self._idle = threading.Condition()
        self._in_flight = 0

    def submit_job(self, job: Any, run_times: list[datetime]) -> None:
        if not self.lock.claim(job.id, job.next_run_time, self.holder):
            log.info("job %s due %s: fired by another scheduler process; skipped", job.id, job.next_run_time)
            return
        with self._idle:
            self._in_flight += 1
        try:
            super().submit_job(job, run_times)
        except BaseException:
            self._done()
            raise

    def _run_job_success(self, job_id: str, events: list[Any]) -> None:
        super()._run_job_success(job_id, events)
        self._done()

    def _run_job_error(self, job_id: str, exc: BaseException, traceback: Any = None) -> None:
        super()._run_job_error(job_id, exc, traceback)
        self._done()

    def _done(self) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def in_flight(self) -> int:
        with self._idle:
            return self._in_flight

    def wait_idle(self, timeout_s: float | None = None) -> bool:
        """Wait until no job of this executor runs; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout_s)
