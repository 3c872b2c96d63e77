"""``nianbao demo``: the main job on the bundled demo — the site farm, crawled end to end."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crawler.cli.summary import print_summary
from crawler.config import CrawlConfig
from crawler.context import Target
from crawler.documents.model import DocumentError
from crawler.reports import parse_report


def demo(
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the demo's database, WARCs and logs.")] = None,
    samples: Annotated[bool, typer.Option("--samples", help="Only parse the bundled real reports (no crawl).")] = False,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Stop the crawl after this many pages (0: all).")] = 0,
) -> None:
    """Start the bundled site farm (six replica government portals on 127.0.0.1), crawl all of it into a fresh SQLite store and WARC folder, and print the summary; with --samples, parse the bundled real reports instead and print what was read."""
    console = Console()
    if samples:
        raise typer.Exit(_samples(console))
    from crawler.runner import EXIT_INCOMPLETE, EXIT_PARTIAL, run_crawl
    from sitefarm.build import ensure_build
    from sitefarm.config import FarmConfig
    from sitefarm.serve import serve_in_process

    folder = out or Path("data") / f"demo-{datetime.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=True)
    console.print("[bold]nianbao demo[/bold]: building the site farm (first run converts documents: ~1 min)…")
    farm = serve_in_process(ensure_build(FarmConfig.parse(), log=lambda m: console.print(f"  {m}")))
    try:
        targets = [Target.from_url(farm.manifest.home_url(p.id), f"farm-{p.id}", p.name) for p in farm.manifest.portals]
        for p, t in zip(farm.manifest.portals, targets, strict=True):
            console.print(f"  {t.key:14s} {t.start_urls[0]}  {p.imitates[:70]}…")
        config = CrawlConfig.from_env(db_url=f"sqlite:///{(folder / 'nianbao.sqlite').resolve()}",
                                      archive_dir=folder / "warc", log_dir=folder / "logs", max_pages=max_pages,
                                      operator="nianbao demo", allow_internal=("127.0.0.1/32",))
        summary = run_crawl(config, targets, progress=console.is_terminal)
    finally:
        farm.stop()
    print_summary(console, summary, config)
    console.print(f"everything is in {folder}/ (nianbao.sqlite, warc/, logs/)")
    # the farm serves faults and one short column on purpose: flagging them is the demo working
    raise typer.Exit(0 if summary.exit_code in (EXIT_PARTIAL, EXIT_INCOMPLETE) else summary.exit_code)


def _samples(console: Console) -> int:
    folder = Path(str(files("crawler").joinpath("samples")))
    table = Table(title="nianbao demo --samples: bundled real reports", header_style="bold")
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
        table.add_row(path.name, r.agency or "-", str(r.year or "-"), r.template or "none", cells,
                      str(sum(1 for v in filled if v != 0)), checks, str(len(r.warnings)))
    console.print(table)
    return 1 if failures else 0
