"""Crawl runs whose process died: found when the scheduler starts, marked interrupted.

A run counts as dead when its heartbeat is stale and, if it ran on this machine, its process is
gone (a live local process with a stale heartbeat is a slow crawl, not a dead one). Runs on other
machines are judged by the heartbeat alone.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from crawler.schedule.lock import FireLock
from storage.coltypes import utcnow
from storage.models import CrawlRun, Outcome, Trigger

STALE_AFTER = timedelta(minutes=10)
"""A running run silent this long is checked for a dead process."""

log = logging.getLogger("nianbao.scheduler")


def pid_alive(pid: int) -> bool:
    """True if a process ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dead_runs(
    session: Session,
    *,
    now: datetime | None = None,
    stale_after: timedelta = STALE_AFTER,
    hostname: str | None = None,
) -> list[CrawlRun]:
    """``running`` runs with a stale heartbeat whose process is gone (or elsewhere), oldest first."""
    here = hostname or socket.gethostname()
    stale_before = (now or utcnow()) - stale_after
    candidates = session.exec(
        select(CrawlRun)
        .where(
            CrawlRun.outcome == Outcome.RUNNING,
            sa.func.coalesce(CrawlRun.heartbeat_at, CrawlRun.started_at) < stale_before,
        )
        .order_by(col(CrawlRun.id))
    ).all()
    return [r for r in candidates if not (r.hostname == here and r.pid is not None and pid_alive(r.pid))]


def interrupt_dead_runs(
    session: Session,
    *,
    now: datetime | None = None,
    stale_after: timedelta = STALE_AFTER,
    hostname: str | None = None,
) -> list[int]:
    """Mark :func:`dead_runs` interrupted (as storage.repo.mark_interrupted does); their ids.

    The caller commits.
    """
    runs = dead_runs(session, now=now, stale_after=stale_after, hostname=hostname)
    for run in runs:
        run.outcome = Outcome.INTERRUPTED
        run.pid = None
        session.add(run)
        log.warning(
            "crawl run %s: its process is gone (last sign of life %s); marked interrupted",
            run.id,
            run.heartbeat_at or run.started_at,
        )
    session.flush()
    return [r.id for r in runs if r.id is not None]


def resumable_runs(session: Session) -> list[int]:
    """Interrupted runs the scheduler launched, oldest first: what :func:`resume_interrupted_runs` gets."""
    ids = session.exec(
        select(CrawlRun.id)
        .where(CrawlRun.outcome == Outcome.INTERRUPTED, CrawlRun.trigger == Trigger.SCHEDULE)
        .order_by(col(CrawlRun.id))
    ).all()
    return [i for i in ids if i is not None]


def claim_resumes(session: Session, lock: FireLock, holder: str) -> list[int]:
    """The interrupted scheduled runs this scheduler process is to resume, oldest first.

    Each interruption is claimed once in ``scheduler_locks`` (key ``resume-run-<id>`` at the
    run's last sign of life), so of several scheduler processes exactly one resumes it, and a
    resume that cannot start is not retried forever.
    """
    claimed = []
    for run_id in resumable_runs(session):
        run = session.get(CrawlRun, run_id)
        if run is None:
            continue
        if lock.claim(f"resume-run-{run_id}", run.heartbeat_at or run.started_at, holder):
            log.warning("crawl run %d was interrupted; resuming it (nianbao crawl --resume %d)", run_id, run_id)
            claimed.append(run_id)
    return claimed
