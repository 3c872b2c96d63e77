"""``nianbao scheduler run``: one long-running process that fires the stored schedules.

It starts by closing crawl runs whose process died and resuming the scheduled ones (``nianbao
crawl --resume RUN``, again at every wakeup for crawls that die while it runs), then lets APScheduler fire due jobs (a fire
missed while no scheduler ran happens once, at start), waking every ``poll_s`` seconds to see
schedules other processes added. Each firing is claimed in ``scheduler_locks`` first, so any
number of scheduler processes may share one database. A stop (SIGTERM, Ctrl-C) sends SIGTERM to
the running crawls and waits for them.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crawler.schedule import jobs
from crawler.schedule.cron import TZ
from crawler.schedule.lock import FireLock, LockingExecutor
from crawler.schedule.recovery import STALE_AFTER, claim_resumes, interrupt_dead_runs
from crawler.schedule.store import NianbaoScheduler, make_scheduler, prepare_database
from storage.db import make_engine

log = logging.getLogger("nianbao.scheduler")


@dataclass(frozen=True)
class SchedulerOptions:
    """How a scheduler process runs."""

    db_url: str
    archive_dir: Path
    log_dir: Path
    poll_s: float = 60.0
    """How often to look for schedules added or removed by other processes."""
    once: bool = False
    """Fire what is due now, wait for those crawls, then exit."""
    stale_after: timedelta = STALE_AFTER
    stop_timeout_s: float = 120.0
    """How long a stop waits for crawls to end after SIGTERM before killing them."""
    workers: int = 4
    """Crawls that may run at once (different schedules due together)."""
    crawl_argv: tuple[str, ...] | None = None
    """Stand-in for ``python -m crawler crawl`` (tests)."""
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")


@dataclass(frozen=True)
class SchedulerResult:
    """What a scheduler process did, for its exit and for tests."""

    interrupted_runs: tuple[int, ...]
    """Runs marked interrupted at start."""
    due_at_start: tuple[str, ...]
    """Jobs that were due (or missed) when it started."""
    resumed_runs: tuple[int, ...] = ()
    """Interrupted scheduled runs this process resumed (at start or later)."""


def run_scheduler(opts: SchedulerOptions, stop: threading.Event) -> SchedulerResult:
    """Run until ``stop`` is set (or, with ``once``, until what was due at start has run)."""
    if opts.poll_s <= 0:
        raise ValueError(f"poll {opts.poll_s}: expected a positive number of seconds")
    engine = make_engine(opts.db_url)
    runtime = jobs.JobRuntime(opts.db_url, opts.archive_dir, opts.log_dir)
    if opts.crawl_argv is not None:
        runtime.crawl_argv = opts.crawl_argv
    resumes = _Resumes(engine, FireLock(engine), opts)
    try:
        prepare_database(engine)
        jobs.bind_runtime(runtime)
        interrupted = resumes.recover()
        executor = LockingExecutor(FireLock(engine), opts.holder, max_workers=opts.workers)
        scheduler = make_scheduler(engine, executor=executor)
        scheduler.start(paused=True)
        try:
            due = _fire(scheduler, executor, opts, stop, resumes)
        finally:
            log.info("scheduler %s stopping: %d crawl(s) running", opts.holder, runtime.children.running())
            scheduler.pause()
            runtime.children.stop_all(opts.stop_timeout_s)
            scheduler.shutdown(wait=True)
            resumes.join()
    finally:
        jobs.bind_runtime(None)
        engine.dispose()
    return SchedulerResult(tuple(interrupted), due, tuple(resumes.launched))


class _Resumes:
    """Finds runs whose crawl died and carries on the scheduled ones, each in a thread."""

    def __init__(self, engine: Engine, lock: FireLock, opts: SchedulerOptions) -> None:
        self.engine = engine
        self.lock = lock
        self.opts = opts
        self.launched: list[int] = []
        self.threads: list[threading.Thread] = []

    def recover(self) -> list[int]:
        """Mark dead runs interrupted and start resuming the scheduled ones; the runs marked."""
        with Session(self.engine) as session:
            interrupted = interrupt_dead_runs(session, stale_after=self.opts.stale_after)
            session.commit()
            claimed = claim_resumes(session, self.lock, self.opts.holder)
        for run_id in claimed:
            thread = threading.Thread(target=jobs.resume_crawl, args=(run_id,), name=f"resume-{run_id}", daemon=True)
            thread.start()
            self.threads.append(thread)
            self.launched.append(run_id)
        return interrupted

    def busy(self) -> bool:
        return any(t.is_alive() for t in self.threads)

    def join(self) -> None:
        for thread in self.threads:
            thread.join()


def _fire(
    scheduler: NianbaoScheduler,
    executor: LockingExecutor,
    opts: SchedulerOptions,
    stop: threading.Event,
    resumes: _Resumes,
) -> tuple[str, ...]:
    """Let the started, paused ``scheduler`` fire jobs until ``stop`` (or, with ``once``, until the
    jobs due now have run); the ids of the jobs that were due at the start."""
    started = datetime.now(TZ)
    jobs_now = scheduler.get_jobs()
    due = tuple(j.id for j in jobs_now if j.next_run_time and j.next_run_time <= started)
    log.info("scheduler %s started: %d schedule(s), %d due now", opts.holder, len(jobs_now), len(due))
    scheduler.resume()
    if opts.once:
        _wait(stop, lambda: _all_processed(scheduler, due, started) and executor.in_flight() == 0
              and not resumes.busy())
    else:
        # Schedules added or removed by other processes are seen at the next wakeup, and runs
        # whose crawl died meanwhile are found and resumed.
        while not stop.wait(opts.poll_s):
            scheduler.wakeup()
            resumes.recover()
    return due


def _all_processed(scheduler: NianbaoScheduler, due: tuple[str, ...], started: datetime) -> bool:
    for job_id in due:
        job = scheduler.get_job(job_id)
        if job is not None and job.next_run_time is not None and job.next_run_time <= started:
            return False
    return True


def _wait(stop: threading.Event, done: Callable[[], bool], step_s: float = 0.1) -> None:
    while not done():
        if stop.wait(step_s):
            return


def install_stop_signals(stop: threading.Event) -> Callable[[], None]:
    """Make SIGTERM and SIGINT set ``stop``; returns a function restoring the old handlers."""
    old = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}

    def handler(signum: int, _frame: object) -> None:
        log.info("received %s; stopping", signal.Signals(signum).name)
        stop.set()

    for s in old:
        signal.signal(s, handler)

    def restore() -> None:
        for s, h in old.items():
            signal.signal(s, h)

    return restore
