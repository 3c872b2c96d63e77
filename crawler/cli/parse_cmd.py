"""``nianbao parse``: read report files and print their canonical fields."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crawler.documents.model import DocumentError
from crawler.reports import ParseResult, parse_report

MAX_MB = 200

HELP = """Parse annual-report files into the canonical fields of the State Council templates.

Formats: HTML (any encoding), PDF, DOCX, DOC, WPS, XLS, XLSX, plain text and Markdown; images and scanned PDFs with --ocr.

With --json it prints one JSON object per file (a JSON array for several files) with: year, template ("2019", "2021", "legacy" or null), title, agency, values (every field key of the template: a number or null), sources (per cell: published, split, stated or repaired), legacy_rows, legacy_units, checks (each 勾稽 rule: rule, scope, ok, left, right, cells), consistent and warnings. A file that cannot be read appears as {"name": ..., "error": ...} and on stderr.

Exit status: 0 when every file was read, 1 when any file could not be read.
"""


def parse(
    files: Annotated[list[Path], typer.Argument(help="Report files to parse.", show_default=False)],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (shape above) instead of a summary.")
    ] = False,
    ocr: Annotated[
        bool, typer.Option("--ocr", help="OCR images and pages without a text layer (tesseract chi_sim).")
    ] = False,
    max_mb: Annotated[int, typer.Option("--max-mb", help="Refuse files larger than this many MB.")] = MAX_MB,
) -> None:
    out: list[dict[str, object]] = []
    failed = 0
    console = Console()
    for path in files:
        try:
            result = _parse_file(path, ocr=ocr, max_bytes=max_mb * 2**20)
        except DocumentError as e:
            failed += 1
            print(f"nianbao: {e}", file=sys.stderr)
            out.append({"name": str(path), "error": e.problem})
            continue
        if as_json:
            out.append(result.to_json())
        else:
            _summary(console, result)
    if as_json:
        doc: object = out[0] if len(files) == 1 else out
        print(json.dumps(doc, ensure_ascii=False, indent=1))
    if failed:
        raise typer.Exit(1)


parse.__doc__ = HELP


def _parse_file(path: Path, *, ocr: bool, max_bytes: int) -> ParseResult:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise DocumentError(name, f"cannot read: {e.strerror or e}") from None
    if path.is_dir():
        raise DocumentError(name, "is a directory")
    if size > max_bytes:
        raise DocumentError(name, f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DocumentError(name, f"cannot read: {e.strerror or e}") from None
    return parse_report(data, name, ocr=ocr)


def _summary(console: Console, r: ParseResult) -> None:
    filled = [k for k, v in r.values.items() if v is not None and not k.endswith("_unit")]
    nonzero = [k for k in filled if r.values[k] != 0]
    failed = [c for c in r.checks if not c.ok]
    console.print(f"[bold]{r.name}[/bold]  ({r.kind})")
    console.print(f"  title    {r.title or '-'}")
    console.print(f"  agency   {r.agency or '-'}   year {r.year or '-'}   template {r.template or 'none'}")
    if r.template in ("2019", "2021"):
        console.print(
            f"  cells    {len(filled)}/{len(r.values)} read, {len(nonzero)} non-zero; "
            f"checks {len(r.checks) - len(failed)}/{len(r.checks)} pass"
        )
        if nonzero:
            t = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
            t.add_column("field")
            t.add_column("value", justify="right")
            t.add_column("source")
            for k in nonzero:
                t.add_row(k, str(r.values[k]), r.sources.get(k, ""))
            console.print(t)
        for c in failed:
            console.print(f"  [red]check {c.rule} {c.scope}: {c.left} ≠ {c.right}[/red]")
    if r.legacy_rows:
        console.print(f"  legacy rows {len(r.legacy_rows)}")
    for w in r.warnings:
        console.print(f"  [yellow]warning[/yellow] {w}")
