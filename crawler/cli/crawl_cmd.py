"""``nianbao crawl``: crawl portals into the store and the WARC archive."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from crawler.cli.summary import print_summary
from crawler.config import ConfigError, CrawlConfig
from crawler.registry import RegistryError, resolve
from crawler.runner import EXIT_USAGE, run_crawl

HELP = """Crawl government portals for 政府信息公开工作年度报告: find every annual-report column, archive every page and attachment in WARC files, parse the reports and store them.

SITE_OR_URL is a key of the site registry (crawler/sites.toml) or a portal's home-page URL. Every setting can also come from a NIANBAO_* environment variable (see crawler/config.py).

A crawl stopped by Ctrl-C/SIGTERM, a crash or SIGKILL keeps its place in the database: `nianbao crawl --resume` carries on the newest interrupted run (`nianbao crawl --resume RUN` a given one) with the same database. It fetches nothing the run already captured, finishes the reports it had begun, continues the run's WARC series in the run's own archive folder, and keeps the run's portals and settings (--years, --max-pages, robots, browser); --db must name the run's database.

Exit status: 0 crawl finished cleanly; 1 the crawl failed; 2 bad arguments or settings; 3 interrupted (Ctrl-C/SIGTERM); 4 finished, but some fetches failed (see the crawl log); 5 finished, but something may have been missed: a column states more items than were found, a list page failed, a crawl bound was hit, or a portal yielded no report (each named in the summary, the crawl log and crawl_run_columns/crawl_run_sites). 5 takes precedence over 4.
"""


def crawl(
    sites: Annotated[list[str] | None, typer.Argument(
        help="Registry keys or home-page URLs; with --resume, the run number (default: the newest interrupted run).",
        show_default=False)] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default sqlite:///data/nianbao.sqlite).")] = None,
    archive: Annotated[Path | None, typer.Option("--archive", help="WARC folder (default data/warc).")] = None,
    max_pages: Annotated[int | None, typer.Option("--max-pages", help="Stop after this many pages.")] = None,
    years: Annotated[str | None, typer.Option("--years", help="Report years to keep, e.g. 2023,2024.")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Never render pages with Chromium.")] = False,
    no_robots: Annotated[bool, typer.Option("--ignore-robots", help="Do not obey robots.txt.")] = False,
    operator: Annotated[str | None, typer.Option("--operator", help="Who runs the crawl (recorded).")] = None,
    proxy: Annotated[str | None, typer.Option("--proxy", help=(
        "Forward proxy for plain and browser requests, http://[user:pass@]host:port (default: "
        "NIANBAO_PROXY, else https_proxy/http_proxy; no_proxy hosts go direct)."))] = None,
    allow_internal: Annotated[list[str] | None, typer.Option("--allow-internal", metavar="CIDR", help=(
        "Let the crawl connect to this internal network (repeatable, e.g. 10.1.0.0/16); every other "
        "loopback, private, link-local, CGNAT or reserved address is refused and logged (default: "
        "NIANBAO_ALLOW_INTERNAL). A resumed run keeps its own."))] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No live progress display.")] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Carry on an interrupted run instead of starting one.")] = False,
) -> None:
    console = Console()
    sites = sites or []
    if resume:
        _resume(console, sites, db, archive, operator, quiet, proxy)
    if not sites:
        console.print("[red]nianbao crawl: name at least one site or URL (or use --resume)[/red]")
        raise typer.Exit(EXIT_USAGE)
    try:
        year_set = frozenset(int(y) for y in years.replace(",", " ").split()) if years else None
        config = CrawlConfig.from_env(
            db_url=db, archive_dir=archive, max_pages=max_pages, years=year_set,
            browser=False if no_browser else None, obey_robots=False if no_robots else None, operator=operator,
            proxy=proxy, allow_internal=tuple(allow_internal) if allow_internal else None,
        )
        targets = [replace(t, netlocs=t.netlocs | {d.lower() for d in config.extra_domains})
                   for t in resolve(sites)]  # NIANBAO_EXTRA_DOMAINS: more host[:port]s in every portal's scope
    except (ConfigError, RegistryError, ValueError) as e:
        console.print(f"[red]nianbao crawl: {e}[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    summary = run_crawl(config, targets, progress=not quiet and console.is_terminal)
    print_summary(console, summary, config)
    raise typer.Exit(summary.exit_code)


def _resume(console: Console, args: list[str], db: str | None, archive: Path | None, operator: str | None,
            quiet: bool, proxy: str | None = None) -> None:
    from crawler.resume import ResumeError

    if len(args) > 1 or (args and not args[0].isdigit()):
        console.print(f"[red]nianbao crawl --resume: expected one run number, got {' '.join(args)!r}[/red]")
        raise typer.Exit(EXIT_USAGE)
    try:
        config = CrawlConfig.from_env(db_url=db, archive_dir=archive, operator=operator, proxy=proxy)
        summary = run_crawl(config, [], resume=int(args[0]) if args else True,
                            progress=not quiet and console.is_terminal)
    except (ConfigError, ResumeError) as e:
        console.print(f"[red]nianbao crawl --resume: {e}[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    print_summary(console, summary, config)
    raise typer.Exit(summary.exit_code)


crawl.__doc__ = HELP
