"""``nianbao changes``: what re-crawls found new, changed (field by field), gone or unchanged."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, func, select

from crawler.config import ConfigError, CrawlConfig
from crawler.schedule.cron import TZ
from storage.changes import ReportChange, changes_since
from storage.crosscheck import problems_of_reports
from storage.db import make_engine
from storage.models import CrawlRun, Report, ReportStatus

EXIT_USAGE = 2
MAX_DIFF_LINES = 12
"""Field changes shown per report in the table (JSON has them all)."""

HELP = """Show what crawls found since a run or a date: new reports, changed reports with the
field-level diff, reports gone from their site, and how many were seen again unchanged.

--since RUN_ID counts that run and later ones; --since YYYY-MM-DD the runs started on or after
that day (00:00 Asia/Shanghai). Without --since: the latest run.

--json prints {"since": {"run_id": N} or {"date": "YYYY-MM-DD", "from": ISO time},
"runs": [run ids], "counts": {"new", "changed", "gone", "unchanged"},
"changes": [{"kind": "new|changed|gone", "identity", "report_id", "agency", "year", "run_id",
"before": version or null, "after": version or null,
"diff": [{"key", "before", "after"}]}],
"cross_year": [failed and flagged cross-year checks of the agencies listed, as `nianbao checks
--json` gives them]}. The table ends with a line for each of them.
"""


@dataclass(frozen=True)
class Since:
    """Where ``changes`` starts: a run number or a moment."""

    run_id: int | None = None
    day: date | None = None

    @property
    def moment(self) -> datetime | None:
        return datetime.combine(self.day, time(0), TZ).astimezone(UTC) if self.day else None


@dataclass(frozen=True)
class ChangesSummary:
    """The runs looked at, their change events and the count of reports seen again unchanged."""

    since: Since
    runs: tuple[int, ...]
    changes: tuple[ReportChange, ...]
    unchanged: int
    cross_year: tuple[dict[str, Any], ...] = ()
    """Failed and flagged cross-year checks of the agencies the changes name."""

    def counts(self) -> dict[str, int]:
        out = {k: sum(1 for c in self.changes if c.kind == k) for k in ("new", "changed", "gone")}
        return {**out, "unchanged": self.unchanged}


def parse_since(text: str) -> Since:
    """A run number or a YYYY-MM-DD day; ValueError naming the input otherwise."""
    if re.fullmatch(r"\d+", text):
        return Since(run_id=int(text))
    try:
        return Since(day=date.fromisoformat(text))
    except ValueError:
        raise ValueError(f"--since {text!r}: expected a run number or a date YYYY-MM-DD") from None


def collect(session: Session, since: Since | None) -> ChangesSummary | None:
    """The changes since ``since`` (None: of the latest run); None when the database has no runs."""
    if since is None:
        latest = session.exec(select(func.max(CrawlRun.id))).one()
        if latest is None:
            return None
        since = Since(run_id=latest)
    elif since.run_id is not None and session.get(CrawlRun, since.run_id) is None:
        raise ValueError(f"--since {since.run_id}: there is no crawl run {since.run_id}")
    runs_q = select(CrawlRun.id).order_by(col(CrawlRun.id))
    runs_q = (
        runs_q.where(col(CrawlRun.id) >= since.run_id)
        if since.run_id is not None
        else runs_q.where(col(CrawlRun.started_at) >= since.moment)
    )
    runs = tuple(r for r in session.exec(runs_q).all() if r is not None)
    changes = tuple(changes_since(session, run_id=since.run_id, since=since.moment)) if runs else ()
    touched = {c.report_id for c in changes}
    unchanged = 0
    if runs:
        seen_again = session.exec(
            select(Report.id).where(
                Report.status == ReportStatus.UNCHANGED, col(Report.status_run_id).in_(runs)
            )
        ).all()
        unchanged = sum(1 for r in seen_again if r not in touched)
    return ChangesSummary(since, runs, changes, unchanged, tuple(problems_of_reports(session, touched)))


def as_json(summary: ChangesSummary) -> dict[str, Any]:
    """The documented JSON shape (see HELP)."""
    s = summary.since
    since: dict[str, Any] = (
        {"run_id": s.run_id}
        if s.run_id is not None
        else {
            "date": s.day.isoformat() if s.day else None,
            "from": s.moment.isoformat() if s.moment else None,
        }
    )
    return {
        "since": since,
        "runs": list(summary.runs),
        "counts": summary.counts(),
        "changes": [
            {
                "kind": c.kind,
                "identity": c.identity,
                "report_id": c.report_id,
                "agency": c.agency,
                "year": c.year,
                "run_id": c.run_id,
                "before": c.before,
                "after": c.after,
                "diff": [{"key": d.key, "before": d.before, "after": d.after} for d in c.diff],
            }
            for c in summary.changes
        ],
        "cross_year": [{**r, "computed_at": r["computed_at"].isoformat()} for r in summary.cross_year],
    }


def print_table(console: Console, summary: ChangesSummary) -> None:
    s = summary.since
    start = f"run {s.run_id}" if s.run_id is not None else f"{s.day} (Asia/Shanghai)"
    runs = ", ".join(map(str, summary.runs)) or "none"
    table = Table(title=f"changes since {start} (runs: {runs})", header_style="bold")
    for name in ("run", "change", "site", "report", "versions"):
        table.add_column(name)
    table.add_column("fields changed", overflow="fold")
    for c in summary.changes:
        versions = {"new": f"v{c.after}", "gone": f"v{c.before} (last)"}.get(
            c.kind, f"v{c.before} → v{c.after}"
        )
        lines = [f"{d.key}: {_show(d.before)} → {_show(d.after)}" for d in c.diff[:MAX_DIFF_LINES]]
        if len(c.diff) > MAX_DIFF_LINES:
            lines.append(f"… and {len(c.diff) - MAX_DIFF_LINES} more (--json shows all)")
        site = c.identity.split("/", 1)[0]
        table.add_row(str(c.run_id), c.kind, site, f"{c.agency} {c.year}", versions, "\n".join(lines))
    if summary.changes:
        console.print(table)
    else:
        console.print(table.title)
    for r in summary.cross_year:
        console.print(f"cross-year {r['status']}: {r['site_key']} {r['agency']} {r['rule']} {r['scope']}: {r['note']}",
                      highlight=False, soft_wrap=True)
    n = summary.counts()
    console.print(f"new {n['new']}, changed {n['changed']}, gone {n['gone']}, unchanged {n['unchanged']}")


def _show(value: object) -> str:
    return "—" if value is None else str(value)


def changes(
    since: Annotated[
        str | None, typer.Option("--since", help="RUN_ID or YYYY-MM-DD (default: the latest run).")
    ] = None,
    as_json_out: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default NIANBAO_DB_URL or sqlite:///data/nianbao.sqlite)."),
    ] = None,
) -> None:
    err = Console(stderr=True)
    try:
        start = parse_since(since) if since is not None else None
        url = CrawlConfig.from_env(db_url=db, browser=False).db_url
    except (ConfigError, ValueError) as e:
        err.print(f"[red]nianbao changes: {e}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            summary = collect(session, start)
    except ValueError as e:
        err.print(f"[red]nianbao changes: {e}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    except sa.exc.SQLAlchemyError as e:
        err.print(
            f"[red]nianbao changes: database {_shown(url)!r}: {str(e).splitlines()[0]}[/red]",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    if summary is None:
        if as_json_out:
            print(json.dumps({"since": None, "runs": [], "counts": {}, "changes": []}))
        else:
            Console().print("no crawl runs in the database yet")
        return
    if as_json_out:
        print(json.dumps(as_json(summary), ensure_ascii=False, indent=2))
    else:
        print_table(Console(), summary)


changes.__doc__ = HELP


def _shown(url: str) -> str:
    """The URL with its password masked, for error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
