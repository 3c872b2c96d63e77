"""``nianbao reindex``: bring the CDXJ indexes of an archive folder to the standard SURT keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from storage import cdxj

HELP = """Rewrite the keys of every .cdxj index under ARCHIVE_DIR (default data/warc) with the
standard SURT canonicaliser pywb uses, so pywb finds every capture with our indexes (stores
written before 0.1.1 kept trailing slashes and raw non-ASCII paths, which pywb answers 404 for).

Keys are recomputed from each line's own url: the WARC files are not read or changed. Safe to run
again (files already standard are left alone); --from-warc instead rebuilds each index from its
WARC file. Do not run it on a folder a crawl of an older nianbao is writing to.
"""


def reindex(
    archive_dir: Annotated[Path, typer.Argument(help="WARC folder.")] = Path("data/warc"),
    from_warc: Annotated[bool, typer.Option("--from-warc", help="Rebuild each index from its WARC file.")] = False,
) -> None:
    err = Console(stderr=True)
    if not archive_dir.is_dir():
        err.print(f"[red]nianbao reindex: archive folder {archive_dir} does not exist[/red]", highlight=False)
        raise typer.Exit(2)
    if from_warc:
        warcs = sorted(p for p in archive_dir.rglob("*.warc.gz"))
        for warc in warcs:
            cdxj.write_index(warc)
        Console().print(f"rebuilt {len(warcs)} indexes from their WARC files", highlight=False)
        return
    changed = cdxj.rekey_archive(archive_dir)
    Console().print(f"rewrote {len(changed)} of {len(list(archive_dir.rglob('*.cdxj')))} indexes", highlight=False)


reindex.__doc__ = HELP
