"""The ``nianbao`` command line: one module per command group, wired together here."""

from __future__ import annotations

import typer

from crawler.cli.changes_cmd import changes
from crawler.cli.checks_cmd import checks
from crawler.cli.crawl_cmd import crawl
from crawler.cli.demo_cmd import demo
from crawler.cli.export_cmd import export
from crawler.cli.migrate_cmd import db_app
from crawler.cli.parse_cmd import parse
from crawler.cli.reindex_cmd import reindex
from crawler.cli.schedule_cmd import schedule_app, scheduler_app
from crawler.cli.serve_cmd import serve

app = typer.Typer(
    name="nianbao",
    help="Crawl, archive and parse 政府信息公开工作年度报告 (government information-disclosure annual reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("parse")(parse)
app.command("crawl")(crawl)
app.command("demo")(demo)
app.command("changes")(changes)
app.command("checks")(checks)
app.command("export")(export)
app.command("reindex")(reindex)
app.command("serve")(serve)
app.add_typer(schedule_app, name="schedule")
app.add_typer(scheduler_app, name="scheduler")
app.add_typer(db_app, name="db")


@app.callback()
def _root() -> None:
    """Crawl, archive and parse 政府信息公开工作年度报告."""


def main() -> None:
    """Console-script entry point."""
    app()
