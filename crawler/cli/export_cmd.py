"""``nianbao export``: the reports of the store as files — tables, original documents, WACZ,
data package — for spreadsheets, pandas/DuckDB/R, ReplayWeb.page and Frictionless tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from crawler.cli.changes_cmd import _shown
from crawler.config import ConfigError, CrawlConfig
from crawler.export import ExportFilter, run_export
from crawler.export.select import parse_changed_since, parse_templates, parse_years
from crawler.export.writers import FORMATS
from storage.db import make_engine

EXIT_USAGE = 2

HELP = """Export reports from the store into OUT_DIR (created; its files are overwritten).

Writes, for the reports the filters take (each report's latest version):

- tables in every --format (default: all of csv, xlsx, jsonl, parquet): reports (one row per
  report, with its capture and failed 勾稽 checks), facts (the tidy table: one row per cell with its
  Chinese row and column labels, value and source), table2_active, table3_requests and
  table4_appeals (one wide row per report for each official table 二、三、四), documents (the manifest);
  csv/, jsonl/, parquet/ hold one file per table, nianbao.xlsx one sheet per table;
- documents/<report id>/: the original documents exactly as captured (read from the WARC records),
  with documents/SHA256SUMS (sha256sum -c); each hash is the record's WARC-Payload-Digest;
- captures.wacz: a WACZ of those captures (opens in ReplayWeb.page; `wacz validate` passes);
- datapackage.json: a Frictionless data package describing every file and field, Chinese labels
  included (`frictionless validate datapackage.json` checks it all).

Filters (all must hold): --region TEXT matches the agency or site name (the portal registry has no
region field yet); --agency TEXT the agency name; --year 2023,2024 or 2019-2021; --template 2019,
2021 or legacy (repeatable); --failed-checks: only reports failing a 勾稽 check; --changed-since RUN
or YYYY-MM-DD: only reports whose latest version was first seen by that run or later, or on or after
that day (00:00 Asia/Shanghai) — new and changed reports.

Exit status: 0 exported (also when no report matched: the tables are then empty); 1 the store or
archive could not be read; 2 bad arguments.
"""


def export(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the export into.", show_default=False)],
    region: Annotated[str | None, typer.Option("--region", help="Text in the agency or site name (e.g. 江苏).")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="Text in the agency name.")] = None,
    year: Annotated[str | None, typer.Option("--year", help="Years: 2023,2024 or 2019-2021.")] = None,
    template: Annotated[list[str] | None, typer.Option("--template", help="2019, 2021 or legacy (repeatable).")] = None,
    failed_checks: Annotated[bool, typer.Option("--failed-checks", help="Only reports failing a 勾稽 check.")] = False,
    changed_since: Annotated[str | None, typer.Option(
        "--changed-since", help="RUN or YYYY-MM-DD: only reports new or changed since.")] = None,
    formats: Annotated[list[str] | None, typer.Option(
        "--format", help="csv, xlsx, jsonl or parquet (repeatable; default all).")] = None,
    no_documents: Annotated[bool, typer.Option("--no-documents", help="Do not copy the original documents.")] = False,
    no_wacz: Annotated[bool, typer.Option("--no-wacz", help="Do not build the WACZ.")] = False,
    db: Annotated[str | None, typer.Option(
        "--db", help="Database URL (default NIANBAO_DB_URL or sqlite:///data/nianbao.sqlite).")] = None,
    archive: Annotated[Path | None, typer.Option(
        "--archive", help="WARC folder (default NIANBAO_ARCHIVE_DIR or data/warc).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    err = Console(stderr=True)

    def fail(message: str, code: int) -> typer.Exit:
        err.print(f"[red]nianbao export: {message}[/red]", highlight=False, soft_wrap=True)
        return typer.Exit(code)

    try:
        since, since_run = parse_changed_since(changed_since)
        flt = ExportFilter(region=region, agency=agency, years=parse_years(year),
                           templates=parse_templates(template or []), failed_checks=failed_checks,
                           changed_since=since, changed_since_run=since_run)
        chosen = tuple(dict.fromkeys(f.strip() for v in (formats or FORMATS) for f in v.split(",") if f.strip()))
        bad = [f for f in chosen if f not in FORMATS]
        if bad:
            raise ValueError(f"--format {bad[0]!r}: expected one of {', '.join(FORMATS)}")
        config = CrawlConfig.from_env(db_url=db, archive_dir=archive, browser=False)
    except (ConfigError, ValueError) as e:
        raise fail(str(e), EXIT_USAGE) from None
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(f"{out_dir} exists and is not a folder", EXIT_USAGE)
    url = config.db_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise fail(f"no store at {url} (give --db, or crawl first)", 1)
    engine = make_engine(url)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, disable=quiet, transient=True)
    tasks: dict[str, TaskID] = {}

    def advance(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    try:
        with progress:
            result = run_export(engine, out_dir, flt, formats=chosen, archive_dir=config.archive_dir,
                                documents=not no_documents, wacz=not no_wacz, progress=advance)
    except ValueError as e:
        raise fail(str(e), 1) from None
    except RuntimeError as e:
        raise fail(str(e), 1) from None
    except sa.exc.SQLAlchemyError as e:
        raise fail(f"database {_shown(url)!r}: {str(e).splitlines()[0]}", 1) from None
    finally:
        engine.dispose()
    Console().print(
        f"exported {result.reports} reports, {result.facts} values, {len(result.documents)} documents"
        f"{', captures.wacz' if result.wacz else ''} to {out_dir} (datapackage.json describes every file)",
        highlight=False,
    )


export.__doc__ = HELP
