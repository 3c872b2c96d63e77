"""Which run ``nianbao crawl --resume`` carries on, and with what: its own portals, its own
crawl-shaping settings and its own archive folder (a run is one crawl, however often it stops).
"""

from __future__ import annotations

import socket
from dataclasses import fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from crawler.config import CrawlConfig
from crawler.context import Target
from storage.coltypes import utcnow
from storage.models import CrawlRun, Outcome

SHAPING = (
    "archive_dir", "max_pages", "years", "obey_robots", "max_depth", "scope", "browser", "ocr",
    "max_download_mb", "user_agent", "extra_domains", "allow_internal", "resolve",
    "explore_clicks", "explore_seconds", "explore_pages",
)
"""Settings a resumed run takes from the run, not from the command line: they decide what the
run fetches and where its WARC series lives. (The proxy is not among them: its password is never
stored, so a resumed run goes through the proxy its own command line or environment names.)"""

STALE_ELSEWHERE = timedelta(minutes=10)
"""A run started on another machine counts as dead once its heartbeat is this old."""


class ResumeError(ValueError):
    """The run cannot be resumed (named, with the reason)."""


def _dead(run: CrawlRun) -> bool:
    """True when a ``running`` run's process is gone."""
    from crawler.schedule.recovery import pid_alive

    if run.hostname == socket.gethostname():
        return run.pid is None or not pid_alive(run.pid)
    last = run.heartbeat_at or run.started_at
    return last < utcnow() - STALE_ELSEWHERE


def resumable(session: Session, run_id: int | None) -> CrawlRun:
    """The run to resume: ``run_id``, or the newest interrupted (or dead) run."""
    if run_id is None:
        runs = session.exec(
            select(CrawlRun)
            .where(col(CrawlRun.outcome).in_([Outcome.INTERRUPTED, Outcome.RUNNING]))
            .order_by(col(CrawlRun.id).desc())
        ).all()
        found = next((r for r in runs if r.outcome is Outcome.INTERRUPTED or _dead(r)), None)
        if found is None:
            raise ResumeError("no interrupted crawl run to resume in this database")
        return found
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise ResumeError(f"crawl run {run_id} does not exist in this database")
    if run.outcome in (Outcome.OK, Outcome.FAILED):
        raise ResumeError(f"crawl run {run_id} already ended ({run.outcome.value}); start a new crawl instead")
    if run.outcome is Outcome.RUNNING and not _dead(run):
        where = f"pid {run.pid} on {run.hostname}" if run.pid else f"on {run.hostname}"
        raise ResumeError(f"crawl run {run_id} is still running ({where})")
    return run


def resumed_config(config: CrawlConfig, run: CrawlRun) -> CrawlConfig:
    """``config`` with the run's own crawl-shaping settings (see :data:`SHAPING`)."""
    recorded = run.settings or {}
    kinds = {f.name: f.type for f in fields(CrawlConfig)}
    changes: dict[str, Any] = {}
    for name in SHAPING:
        if name not in recorded:
            continue
        value = recorded[name]
        kind = str(kinds[name])
        if "Path" in kind:
            value = Path(value)
        elif "frozenset" in kind:
            value = frozenset(value)
        elif "tuple" in kind:
            value = tuple(value)
        changes[name] = value
    return replace(config, **changes)


def targets_of(run: CrawlRun) -> list[Target]:
    """The portals the run crawls, as it recorded them."""
    recorded = (run.settings or {}).get("targets")
    if not recorded:
        raise ResumeError(f"crawl run {run.id} did not record its portals (made by an older nianbao); start a new crawl")
    return [
        Target(t["key"], t["name"], tuple(t["start_urls"]), frozenset(t["netlocs"]), tuple(t.get("hints", ())))
        for t in recorded
    ]


def recorded_targets(targets: list[Target]) -> list[dict[str, Any]]:
    """JSON form of the targets, kept in the run's settings for a resume."""
    return [
        {"key": t.key, "name": t.name, "start_urls": list(t.start_urls), "netlocs": sorted(t.netlocs),
         "hints": list(t.hints)}
        for t in targets
    ]
