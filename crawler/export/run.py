"""One export from start to end: select the reports, write the tables in every format asked for,
the original documents with their manifest, the WACZ, and the ``datapackage.json`` describing it all.

Reads the store through its SQL views and the archive through :mod:`storage.warcread`; imports
nothing of the crawler. Progress goes to a callback (the CLI draws it with rich).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from crawler.export.datapackage import descriptor, file_resource, table_resource
from crawler.export.datasets import Dataset, cross_year_dataset, export_datasets
from crawler.export.documents import MANIFEST, ExportedDocument, documents_dataset, export_documents
from crawler.export.select import ExportFilter, select_documents, select_facts, select_reports
from crawler.export.wacz import build_wacz
from crawler.export.writers import FORMATS, CsvWriter, FileWriter, JsonlWriter, ParquetWriter, XlsxWriter

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each stage advances."""

WORKBOOK = "nianbao.xlsx"
CHUNK = 500
"""Reports whose cells are read and written at a time."""


@dataclass
class ExportResult:
    """What an export wrote."""

    out_dir: Path
    reports: int = 0
    facts: int = 0
    files: list[Path] = field(default_factory=list)
    documents: list[ExportedDocument] = field(default_factory=list)
    wacz: Path | None = None
    datapackage: Path | None = None


def _cross_year(engine: Engine, flt: ExportFilter, report_ids: set[int]) -> list[dict[str, Any]]:
    """The stored cross-year checks of the exported reports (none in a store made before them)."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from storage.crosscheck import cross_year_rows

    if not report_ids or not sa.inspect(engine).has_table("cross_year_checks"):
        return []
    with Session(engine) as session:
        return [r for r in cross_year_rows(session, flt) if int(r["report_id"]) in report_ids]


def run_export(
    engine: Engine,
    out_dir: Path,
    flt: ExportFilter,
    *,
    formats: Sequence[str] = FORMATS,
    archive_dir: Path | None = None,
    documents: bool = True,
    wacz: bool = True,
    progress: Progress = lambda stage, done, total: None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportResult:
    """Export the reports ``flt`` takes into ``out_dir`` (created; files there are overwritten).

    ``archive_dir`` (the WARC folder) is needed for ``documents`` and ``wacz``. Raises ValueError
    naming the problem: an unknown format, a missing archive folder, a WARC file not found.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"--format {bad[0]!r}: expected one of {', '.join(FORMATS)}")
    if (documents or wacz) and (archive_dir is None or not Path(archive_dir).is_dir()):
        raise ValueError(f"archive folder {archive_dir} does not exist (needed for documents and the WACZ; "
                         "give --archive, or --no-documents --no-wacz)")
    out_dir.mkdir(parents=True, exist_ok=True)
    result = ExportResult(out_dir)
    with engine.connect() as conn:
        progress("select", 0, 1)
        reports = select_reports(conn, flt)
        progress("select", 1, 1)
        writers = _writers(out_dir, formats)
        first: list[Dataset] = []
        docs: list[dict[str, Any]] = []
        for start in range(0, max(len(reports), 1), CHUNK):
            chunk = reports[start : start + CHUNK]
            facts = select_facts(conn, [int(r["report_id"]) for r in chunk]) if chunk else []
            result.facts += len(facts)
            datasets = export_datasets(chunk, facts)
            first = first or datasets
            for writer in writers.values():
                for ds in datasets:
                    writer.append(ds)
            if (documents or wacz) and chunk:
                docs.extend(select_documents(conn, [int(r["version_id"]) for r in chunk]))
            progress("tables", min(start + CHUNK, len(reports)), len(reports))
    result.reports = len(reports)
    checked = _cross_year(engine, flt, {int(r["report_id"]) for r in reports})
    if checked:  # a table only when the store holds cross-year checks of these reports
        checks = cross_year_dataset(checked)
        first.append(checks)
        for writer in writers.values():
            writer.append(checks)
    files: list[dict[str, Any]] = []
    if documents and docs:
        identities = {int(r["version_id"]): (int(r["report_id"]), str(r["identity"])) for r in reports}
        total, done = len(docs), [0]

        def advance() -> None:
            done[0] += 1
            progress("documents", done[0], total)

        result.documents = export_documents(Path(archive_dir or "."), out_dir, docs, identities, advance=advance)
        manifest = documents_dataset(result.documents)
        first.append(manifest)
        for writer in writers.values():
            writer.append(manifest)
        for i, d in enumerate(result.documents):
            files.append(file_resource(out_dir / d.path, out_dir, name=f"document-{i + 1}",
                                       title=f"{d.identity} ({d.role})", description=d.url))
        files.append(file_resource(out_dir / "documents" / MANIFEST, out_dir, name="documents-sha256sums",
                                   description="SHA-256 of every document file (sha256sum -c)."))
    for writer in writers.values():
        writer.close()
    tables = _resources(first, writers, out_dir, result)
    if wacz and docs:
        progress("wacz", 0, 1)
        result.wacz = build_wacz(Path(archive_dir or "."), out_dir, reports, docs)
        files.append(file_resource(result.wacz, out_dir, name="captures-wacz",
                                   title="Web archive of the captures behind these reports (WACZ)"))
        progress("wacz", 1, 1)
    if "xlsx" in writers:
        files.append(file_resource(out_dir / WORKBOOK, out_dir, name="workbook", title="All tables (XLSX)"))
    package = descriptor(
        title="政府信息公开工作年度报告 — nianbao export",
        description=f"{len(reports)} reports, {len(facts)} values, {len(result.documents)} original documents.",
        created=now(), tables=tables, files=files,
        filters={k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(flt).items()},
    )
    result.datapackage = out_dir / "datapackage.json"
    result.datapackage.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


def _writers(out_dir: Path, formats: Sequence[str]) -> dict[str, FileWriter | XlsxWriter]:
    kinds = {"csv": CsvWriter, "jsonl": JsonlWriter, "parquet": ParquetWriter}
    out: dict[str, FileWriter | XlsxWriter] = {}
    for fmt in formats:
        out[fmt] = XlsxWriter(out_dir / WORKBOOK) if fmt == "xlsx" else kinds[fmt](out_dir / fmt)
    return out


def _resources(datasets: list[Dataset], writers: dict[str, FileWriter | XlsxWriter], out_dir: Path,
               result: ExportResult) -> list[dict[str, Any]]:
    """The data package's table resources: one per table per file format, one per sheet in XLSX."""
    tables: list[dict[str, Any]] = []
    for fmt, writer in writers.items():
        for ds in datasets:
            if isinstance(writer, XlsxWriter):
                for n, sheet in enumerate(writer.sheets.get(ds.name, [])):
                    tables.append(table_resource(ds, "xlsx", writer.path, out_dir, sheet=sheet, part=n))
            else:
                path = writer.paths[ds.name]
                result.files.append(path)
                tables.append(table_resource(ds, fmt, path, out_dir))
        if isinstance(writer, XlsxWriter):
            result.files.append(writer.path)
    return tables
