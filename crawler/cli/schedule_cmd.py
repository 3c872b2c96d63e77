"""``nianbao schedule add|list|remove`` and ``nianbao scheduler run``: yearly re-crawls."""

from __future__ import annotations

import json
import logging
import sys
import threading
from typing import Annotated, NoReturn

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from crawler.config import ConfigError, CrawlConfig
from crawler.schedule.cron import DEFAULT_CRON, TZ, ScheduleError
from crawler.schedule.runner import SchedulerOptions, install_stop_signals, run_scheduler
from crawler.schedule.schedules import ScheduleInfo, add_schedule, list_schedules, remove_schedule
from crawler.schedule.store import open_schedules

EXIT_FAILED, EXIT_USAGE = 1, 2

schedule_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
scheduler_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default NIANBAO_DB_URL or sqlite:///data/nianbao.sqlite)."),
]


@schedule_app.callback()
def _schedule() -> None:
    """Crawl schedules, stored in the project database and fired by `nianbao scheduler run`."""


@scheduler_app.callback()
def _scheduler() -> None:
    """The long-running process that fires the stored schedules."""


def _config(command: str, db: str | None) -> CrawlConfig:
    try:
        # The browser setting is the crawl's business; the scheduler only needs paths and the database.
        return CrawlConfig.from_env(db_url=db, browser=False)
    except ConfigError as e:
        _fail(command, str(e), EXIT_USAGE)


def _fail(command: str, message: str, code: int) -> NoReturn:
    Console(stderr=True).print(f"[red]nianbao {command}: {message}[/red]", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _when(info: ScheduleInfo) -> str:
    return info.next_run_time.astimezone(TZ).strftime("%Y-%m-%d %H:%M %z") if info.next_run_time else "paused"


@schedule_app.command("add")
def add(
    sites: Annotated[list[str], typer.Argument(help="Registry keys or home-page URLs.", show_default=False)],
    cron: Annotated[
        str | None,
        typer.Option("--cron", help=f'"MIN HOUR DOM MON DOW" in Asia/Shanghai (default "{DEFAULT_CRON}").'),
    ] = None,
    db: DbOption = None,
    job_id: Annotated[str | None, typer.Option("--id", help="Schedule id (default crawl-<sites>).")] = None,
) -> None:
    """Crawl SITES on a schedule: by default at 03:00 on 1 February and 1 April (Beijing time),
    after department reports (due 31 January) and governments' own reports (due 31 March)."""
    config = _config("schedule add", db)
    try:
        with open_schedules(config.db_url) as (scheduler, _engine):
            info = add_schedule(scheduler, sites, cron=cron, job_id=job_id)
    except ScheduleError as e:
        _fail("schedule add", str(e), EXIT_USAGE)
    except (sa.exc.SQLAlchemyError, ValueError) as e:
        _fail("schedule add", f"database {_shown(config.db_url)!r}: {str(e).splitlines()[0]}", EXIT_FAILED)
    Console().print(
        f"schedule {info.id}: crawl {' '.join(info.sites)} on '{info.trigger}'; next run {_when(info)}",
        highlight=False,
        soft_wrap=True,
    )


@schedule_app.command("list")
def list_(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Show every schedule: id, sites, cron, next run (Asia/Shanghai) and the last run's outcome.

    JSON: a list of {"id", "sites": [..], "trigger", "next_run_time": ISO 8601 +08:00 or null,
    "last_run": {"run_id", "outcome", "started_at"} or null}.
    """
    config = _config("schedule list", db)
    try:
        with open_schedules(config.db_url) as (scheduler, engine):
            infos = list_schedules(scheduler, engine)
    except (sa.exc.SQLAlchemyError, ValueError) as e:
        _fail("schedule list", f"database {_shown(config.db_url)!r}: {str(e).splitlines()[0]}", EXIT_FAILED)
    if as_json:
        print(json.dumps([_as_json(i) for i in infos], ensure_ascii=False, indent=2))
        return
    console = Console()
    if not infos:
        console.print("no schedules (add one with: nianbao schedule add SITE...)")
        return
    table = Table(header_style="bold")
    # Ids are typed back into `schedule remove`, so they and the times never wrap; sites do.
    table.add_column("id", no_wrap=True)
    table.add_column("cron", no_wrap=True)
    table.add_column("next run (Beijing)", no_wrap=True)
    table.add_column("last run", min_width=10)
    table.add_column("sites", overflow="fold", min_width=10)
    for i in infos:
        last = (
            f"{i.last_run.outcome} (run {i.last_run.run_id}, {i.last_run.started_at.astimezone(TZ):%Y-%m-%d})"
            if i.last_run
            else "never"
        )
        nxt = i.next_run_time.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if i.next_run_time else "paused"
        table.add_row(i.id, i.trigger, nxt, last, "\n".join(i.sites))
    console.print(table)


def _as_json(i: ScheduleInfo) -> dict[str, object]:
    last = i.last_run
    return {
        "id": i.id,
        "sites": list(i.sites),
        "trigger": i.trigger,
        "next_run_time": i.next_run_time.astimezone(TZ).isoformat() if i.next_run_time else None,
        "last_run": {
            "run_id": last.run_id,
            "outcome": last.outcome,
            "started_at": last.started_at.isoformat(),
        }
        if last
        else None,
    }


@schedule_app.command("remove")
def remove(
    job_id: Annotated[str, typer.Argument(help="Schedule id (see schedule list).", show_default=False)],
    db: DbOption = None,
) -> None:
    """Delete a schedule (crawl runs it launched stay)."""
    config = _config("schedule remove", db)
    try:
        with open_schedules(config.db_url) as (scheduler, _engine):
            remove_schedule(scheduler, job_id)
    except ScheduleError as e:
        _fail("schedule remove", str(e), EXIT_USAGE)
    except (sa.exc.SQLAlchemyError, ValueError) as e:
        _fail("schedule remove", f"database {_shown(config.db_url)!r}: {str(e).splitlines()[0]}", EXIT_FAILED)
    Console().print(f"schedule {job_id} removed", highlight=False)


@scheduler_app.command("run")
def run(
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Fire what is due now, wait for it, exit.")] = False,
    poll: Annotated[
        float, typer.Option("--poll", help="Seconds between looks for schedules added elsewhere.")
    ] = 60.0,
) -> None:
    """Fire the stored schedules, each crawl in its own process (`nianbao crawl ... --quiet`).

    Runs missed while no scheduler was running fire once at start. Any number of scheduler
    processes may share one database: each firing runs once. SIGTERM or Ctrl-C stops the
    scheduler after sending SIGTERM to the running crawls and waiting for them. Crawl output goes
    to the log folder (NIANBAO_LOG_DIR), WARC files to NIANBAO_ARCHIVE_DIR.
    """
    if poll <= 0:
        _fail("scheduler run", f"--poll {poll}: expected a positive number of seconds", EXIT_USAGE)
    config = _config("scheduler run", db)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    opts = SchedulerOptions(config.db_url, config.archive_dir, config.log_dir, poll_s=poll, once=once)
    stop = threading.Event()
    restore = install_stop_signals(stop)
    try:
        run_scheduler(opts, stop)
    except (sa.exc.SQLAlchemyError, ValueError) as e:
        _fail("scheduler run", f"database {_shown(config.db_url)!r}: {str(e).splitlines()[0]}", EXIT_FAILED)
    finally:
        restore()


def _shown(url: str) -> str:
    """The URL with its password masked, for error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
