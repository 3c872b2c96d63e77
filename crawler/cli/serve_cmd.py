"""``nianbao serve``: the read-only web UI and JSON API on the store, with pywb replay beside it."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer
from rich.console import Console

from crawler.config import ConfigError, CrawlConfig
from storage.db import make_engine

EXIT_USAGE = 2

HELP = """Serve the store to people: full-text search (Chinese as character bigrams) with facets,
report pages (the official tables with each cell's source and failed 勾稽 checks, provenance,
versions with field diffs, original downloads with SHA-256), comparisons across years and
agencies (CSV), a JSON API under /api/ (OpenAPI at /api/openapi.json) — read-only, on loopback
by default.

Archived pages replay through pywb on a separate origin (--replay-host/--replay-port, default
127.0.0.2 and PORT+1): archived scripts never run with the UI's origin. --no-replay leaves it out.

The search index lives in its own tables (web_search, web_search_fts / web_search_text); at start
the reports not indexed yet are added (their documents are read from the WARCs in --archive);
--reindex rebuilds it from scratch and exits.
"""


def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default NIANBAO_DB_URL or sqlite:///data/nianbao.sqlite)."),
    ] = None,
    archive: Annotated[
        Path | None, typer.Option("--archive", help="WARC folder of the store (default NIANBAO_ARCHIVE_DIR or data/warc).")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port of the UI and API.")] = 8700,
    replay_host: Annotated[
        str, typer.Option("--replay-host", help="Address pywb listens on (another host than --host: cookies ignore ports).")
    ] = "127.0.0.2",
    replay_port: Annotated[int | None, typer.Option("--replay-port", help="Port of pywb (default PORT+1).")] = None,
    replay_url: Annotated[
        str | None, typer.Option("--replay-url", help="Base URL browsers reach pywb at (default http://HOST:PORT of pywb).")
    ] = None,
    no_replay: Annotated[bool, typer.Option("--no-replay", help="Do not start pywb; pages show no replay links.")] = False,
    reindex: Annotated[bool, typer.Option("--reindex", help="Rebuild the search index, then exit.")] = False,
) -> None:
    err = Console(stderr=True)
    try:
        config = CrawlConfig.from_env(db_url=db, archive_dir=archive, browser=False)
    except (ConfigError, ValueError) as e:
        err.print(f"[red]nianbao serve: {e}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    if not reindex and host == replay_host and not no_replay:
        err.print("[red]nianbao serve: --replay-host must differ from --host (browsers share cookies across ports)[/red]")
        raise typer.Exit(EXIT_USAGE)
    from crawler.web.fulltext import update_index

    archive_dir = Path(config.archive_dir)
    engine = make_engine(config.db_url)
    try:
        n = update_index(engine, archive_dir if archive_dir.is_dir() else None, rebuild=reindex)
    except sa.exc.SQLAlchemyError as e:
        err.print(f"[red]nianbao serve: database: {str(e).splitlines()[0]}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    err.print(f"search index: {n} reports indexed")
    if reindex:
        engine.dispose()
        return
    import uvicorn

    from crawler.web.app import WebConfig, create_app
    from crawler.web.replay import start_replay, stop_replay

    # SIGTERM before uvicorn takes over its signals (while pywb starts) must still run the
    # finally below, which stops pywb and removes its folder
    signal.signal(signal.SIGTERM, _interrupt)
    proc = None
    rport = replay_port or port + 1
    base = None
    with tempfile.TemporaryDirectory(prefix="nianbao-replay-") as work:
        try:
            if not no_replay and archive_dir.is_dir():
                proc = start_replay(archive_dir, work, replay_host, rport)
                base = replay_url or f"http://{replay_host}:{rport}"
                err.print(f"replay (pywb): {base}/nianbao/")
            elif not no_replay:
                err.print(f"no archive folder {archive_dir}: replay and downloads are off")
            app = create_app(WebConfig(engine, archive_dir if archive_dir.is_dir() else None, base))
            err.print(f"nianbao serve: http://{host}:{port}/")
            uvicorn.run(app, host=host, port=port, log_level="warning")
        except RuntimeError as e:
            err.print(f"[red]nianbao serve: {e}[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("nianbao serve: stopped")
        finally:
            if proc is not None:
                stop_replay(proc)
            engine.dispose()


serve.__doc__ = HELP


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
