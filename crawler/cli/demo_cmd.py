"""``nianbao demo``: the main job on the bundled sample reports."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from crawler.documents.model import DocumentError
from crawler.reports import parse_report


def demo() -> None:
    """Parse the bundled sample reports (real reports as published: PDF, Word-pasted HTML,
    extracted text, Markdown) and print a summary table: year, template, cells read, checks."""
    console = Console()
    folder = Path(str(files("crawler").joinpath("samples")))
    table = Table(title="nianbao demo: bundled real reports", header_style="bold")
    for col in ("file", "agency", "year", "template", "cells read", "non-zero", "checks", "warnings"):
        table.add_column(col, overflow="fold")
    failures = 0
    for path in sorted(folder.iterdir()):
        try:
            r = parse_report(path.read_bytes(), path.name)
        except DocumentError as e:
            failures += 1
            table.add_row(path.name, "[red]error[/red]", "", "", "", "", "", e.problem)
            continue
        filled = [v for k, v in r.values.items() if v is not None and not k.endswith("_unit")]
        cells = f"{len(filled)}/{len(r.values)}" if r.values else f"{len(r.legacy_rows)} legacy rows"
        failed = sum(not c.ok for c in r.checks)
        checks = f"{len(r.checks) - failed}/{len(r.checks)} pass" if r.checks else "-"
        table.add_row(
            path.name,
            r.agency or "-",
            str(r.year or "-"),
            r.template or "none",
            cells,
            str(sum(1 for v in filled if v != 0)),
            checks,
            str(len(r.warnings)),
        )
    console.print(table)
    if failures:
        raise typer.Exit(1)
