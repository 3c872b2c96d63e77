"""The job functions the job store names (``module:function``) and the runtime they run in.

A stored job holds only its sites and id; where the database and archive are comes from the
scheduler process that fires it (:func:`bind_runtime`), so no password is pickled into the job
table and moving the archive needs no job edits.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from crawler.schedule.children import ChildProcesses
from crawler.schedule.cron import TZ

CRAWL_JOB = "crawler.schedule.jobs:crawl_job"
"""The job function of every crawl schedule."""

log = logging.getLogger("nianbao.scheduler")


@dataclass(frozen=True)
class CrawlLaunch:
    """What one scheduled crawl process did, as far as the scheduler can tell."""

    job_id: str
    argv: tuple[str, ...]
    returncode: int | None
    """Exit status of ``nianbao crawl`` (see crawler.runner EXIT_*); None when not launched."""
    duration_s: float
    output: Path | None
    """File holding the crawl's stdout and stderr."""


@dataclass
class JobRuntime:
    """Where scheduled crawls write, and the processes they run in; set by the scheduler process."""

    db_url: str
    archive_dir: Path
    log_dir: Path
    children: ChildProcesses = field(default_factory=ChildProcesses)
    crawl_argv: tuple[str, ...] = (sys.executable, "-m", "crawler", "crawl")
    """The command a crawl runs as; tests put a stand-in here."""
    env: Mapping[str, str] | None = None
    """Environment of the crawl processes (default: this process's)."""


_runtime: JobRuntime | None = None


def bind_runtime(runtime: JobRuntime | None) -> None:
    """Make ``runtime`` the one job functions of this process use (None unbinds)."""
    global _runtime
    _runtime = runtime


def operator_of(job_id: str) -> str:
    """The crawl_runs.operator of runs launched by schedule ``job_id``."""
    return f"schedule:{job_id}"


def crawl_argv(runtime: JobRuntime, sites: list[str], job_id: str) -> list[str]:
    """The command line of a scheduled crawl (the database URL travels in the environment,
    where other users' ``ps`` cannot read a password)."""
    return [
        *runtime.crawl_argv,
        *sites,
        "--archive",
        str(runtime.archive_dir),
        "--operator",
        operator_of(job_id),
        "--quiet",
    ]


def crawl_env(runtime: JobRuntime) -> dict[str, str]:
    """The crawl process's environment: the scheduler's, plus where to write and the trigger."""
    env = dict(os.environ if runtime.env is None else runtime.env)
    env.update(
        NIANBAO_DB_URL=runtime.db_url,
        NIANBAO_ARCHIVE_DIR=str(runtime.archive_dir),
        NIANBAO_LOG_DIR=str(runtime.log_dir),
        NIANBAO_TRIGGER="schedule",
        PYTHONUNBUFFERED="1",
    )
    return env


def crawl_job(sites: list[str], *, job_id: str) -> CrawlLaunch:
    """Run ``nianbao crawl SITES`` as a child process and wait for it (the stored job function)."""
    runtime = _bound()
    return _launch_and_wait(runtime, crawl_argv(runtime, sites, job_id), job_id, f"crawl of {' '.join(sites)}")


def resume_crawl(run_id: int) -> CrawlLaunch:
    """Run ``nianbao crawl --resume RUN`` as a child process and wait for it (an interrupted
    scheduled run, carried on by the scheduler)."""
    runtime = _bound()
    argv = [*runtime.crawl_argv, "--resume", str(run_id), "--quiet"]
    return _launch_and_wait(runtime, argv, f"resume-run-{run_id}", f"resume of crawl run {run_id}")


def _bound() -> JobRuntime:
    if _runtime is None:
        raise RuntimeError("a crawl job runs inside `nianbao scheduler run` only (no runtime bound)")
    return _runtime


def _launch_and_wait(runtime: JobRuntime, argv: list[str], job_id: str, what: str) -> CrawlLaunch:
    runtime.log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(TZ).strftime("%Y%m%dT%H%M%S")
    output = runtime.log_dir / f"schedule-{_safe(job_id)}-{stamp}.out"
    start = time.monotonic()
    with output.open("ab") as out:
        proc = runtime.children.launch(argv, stdout=out, stderr=out, stdin=None, env=crawl_env(runtime))
        if proc is None:
            log.warning("job %s: not launched, the scheduler is stopping", job_id)
            return CrawlLaunch(job_id, tuple(argv), None, 0.0, None)
        log.info("job %s: %s started (pid %d, output %s)", job_id, what, proc.pid, output)
        code = runtime.children.wait(proc)
    duration = time.monotonic() - start
    log.info("job %s: crawl exited with status %d after %.1f s", job_id, code, duration)
    return CrawlLaunch(job_id, tuple(argv), code, duration, output)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
