"""``nianbao checks``: recompute the cross-year checks (X1–X3) and show them."""

from __future__ import annotations

import json
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table

from crawler.cli.changes_cmd import _shown
from crawler.config import ConfigError, CrawlConfig
from crawler.export.select import parse_years
from storage.crosscheck import CheckFilter, agency_ids, cross_year_rows, recompute
from storage.db import create_all, make_engine, session_factory

EXIT_USAGE = 2

HELP = """Compute again the cross-year checks of the store's agencies and show them.

Each report is checked against the same agency's report of the year before (the latest version
of each; one agency = same site, same normalised name):

X1 this year's 二、上年结转 = last year's 四、结转下年度继续办理, per column of table 三 (fail if not);
X2 现行有效件数 = last year's + 本年制发件数 − 本年废止件数, for 规章 and 行政规范性文件 of the 2021
table 二 (flag if not: agencies restate their stock);
X3 the template sequence, against the nearest earlier report: a template used before its first
year fails; a step back to an older template, or a 2021-template year after a 2019-template
year whose layout says otherwise (no 2021-only cell read, or another document of the version
called 2019), is flagged.

--agency TEXT recomputes and shows the agencies whose name contains TEXT; --year 2023,2024 or
2019-2021 shows the checks of those (later) years. The table lists failed and flagged checks
(--all: passes too) and the counts; --json prints {"counts": {"pass", "fail", "flag"},
"checks": [{"site_key", "site_name", "agency_id", "agency", "variant", "year", "previous_year",
"rule", "scope", "status", "actual", "expected", "numbers": [{"year", "key", "value"}], "note",
"report_id", "previous_report_id", "version_id", "previous_version_id", "computed_at"}]} with
every check the filters take.

Exit status: 0 done (whatever the checks found); 1 the store could not be read; 2 bad arguments.
"""


def checks(
    agency: Annotated[str | None, typer.Option("--agency", help="Text in the agency name.")] = None,
    year: Annotated[str | None, typer.Option("--year", help="Years: 2023,2024 or 2019-2021.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="List passing checks too.")] = False,
    as_json_out: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default NIANBAO_DB_URL or sqlite:///data/nianbao.sqlite)."),
    ] = None,
) -> None:
    err = Console(stderr=True)
    try:
        years = parse_years(year)
        url = CrawlConfig.from_env(db_url=db, browser=False).db_url
    except (ConfigError, ValueError) as e:
        err.print(f"[red]nianbao checks: {e}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    flt = CheckFilter(agency=agency, years=years)
    try:
        engine = make_engine(url)
    except ValueError as e:
        err.print(f"[red]nianbao checks: {e}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    try:
        create_all(engine)
        with session_factory(engine)() as session:
            recompute(session, agencies=agency_ids(session, name=agency))
            session.commit()
            rows = cross_year_rows(session, flt)
    except sa.exc.SQLAlchemyError as e:
        err.print(f"[red]nianbao checks: database {_shown(url)!r}: {str(e).splitlines()[0]}[/red]",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("pass", "fail", "flag")}
    if as_json_out:
        print(json.dumps({"counts": counts, "checks": [_jsonable(r) for r in rows]}, ensure_ascii=False, indent=2))
        return
    print_table(Console(), rows, counts, show_all)


checks.__doc__ = HELP


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "computed_at": row["computed_at"].isoformat()}


def print_table(console: Console, rows: list[dict[str, Any]], counts: dict[str, int], show_all: bool) -> None:
    """The checks as a table (failed and flagged ones, or all), then the counts."""
    shown = [r for r in rows if show_all or r["status"] != "pass"]
    if shown:
        table = Table(title="cross-year checks", header_style="bold")
        for name in ("site", "agency", "years", "check", "status"):
            table.add_column(name)
        table.add_column("numbers", overflow="fold")
        for r in shown:
            agency = f"{r['agency']} ({r['variant']})" if r["variant"] else r["agency"]
            table.add_row(r["site_key"], agency, f"{r['previous_year']}→{r['year']}", f"{r['rule']} {r['scope']}",
                          r["status"], r["note"])
        console.print(table)
    console.print(f"cross-year checks: pass {counts['pass']}, fail {counts['fail']}, flag {counts['flag']}",
                  highlight=False)
