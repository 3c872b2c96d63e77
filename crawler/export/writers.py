"""Writers of exported tables — CSV, JSON Lines, XLSX and Parquet — fed chunk by chunk.

A writer takes the :class:`~crawler.export.datasets.Dataset` chunks of each table as they are built
(an export of 100,000 reports never holds all its cells at once) and writes nothing else. Times
are UTC: ISO 8601 with ``Z`` in text formats, ``timestamp[us, UTC]`` in Parquet and naive UTC in
XLSX (Excel has no time zones). CSV is UTF-8 with a byte-order mark, so that Excel in a Chinese
locale (which otherwise assumes GBK) opens it correctly. A sheet holds at most Excel's 1,048,576
rows: a longer table goes on in ``<table>_2``, ``<table>_3`` ….
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from crawler.export.datasets import Cell, Dataset

CSV_ENCODING = "utf-8-sig"
FORMATS = ("csv", "xlsx", "jsonl", "parquet")
"""Every table format ``nianbao export`` writes (all by default)."""
XLSX_MAX_ROWS = 1_048_576
"""Rows of an Excel sheet, the header included."""


def iso(value: datetime) -> str:
    """``2026-02-01T03:00:00.123456Z`` (microseconds only when there are any)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _text(value: Cell) -> Cell:
    return iso(value) if isinstance(value, datetime) else value


def _csv_cell(value: Cell) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text(value)


class FileWriter:
    """One file per table in ``folder`` (``<table>.<ext>``), opened at the table's first chunk."""

    ext = ""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: dict[str, Path] = {}
        self._open: dict[str, Any] = {}

    def append(self, dataset: Dataset) -> None:
        """Write one chunk of a table."""
        if dataset.name not in self._open:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{dataset.name}.{self.ext}"
            self.paths[dataset.name] = path
            self._open[dataset.name] = self._start(dataset, path)
        self._rows(self._open[dataset.name], dataset)

    def close(self) -> None:
        """Finish every file."""
        for handle in self._open.values():
            handle.close()
        self._open.clear()

    def _start(self, dataset: Dataset, path: Path) -> Any:
        raise NotImplementedError

    def _rows(self, handle: Any, dataset: Dataset) -> None:
        raise NotImplementedError


class CsvWriter(FileWriter):
    """A header of column names, then the rows; blanks for nulls, true/false for booleans."""

    ext = "csv"

    def _start(self, dataset: Dataset, path: Path) -> IO[str]:
        fh = path.open("w", encoding=CSV_ENCODING, newline="")
        csv.writer(fh, lineterminator="\r\n").writerow([c.name for c in dataset.columns])
        return fh

    def _rows(self, handle: IO[str], dataset: Dataset) -> None:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerows([_csv_cell(v) for v in row] for row in dataset.rows)


class JsonlWriter(FileWriter):
    """One JSON object per line, keys in column order, nulls as null."""

    ext = "jsonl"

    def _start(self, dataset: Dataset, path: Path) -> IO[str]:
        return path.open("w", encoding="utf-8", newline="\n")

    def _rows(self, handle: IO[str], dataset: Dataset) -> None:
        names = [c.name for c in dataset.columns]
        for row in dataset.rows:
            handle.write(json.dumps(dict(zip(names, map(_text, row), strict=True)), ensure_ascii=False) + "\n")


class ParquetWriter(FileWriter):
    """Typed columns, a row group per chunk; each field's title and description in its metadata."""

    ext = "parquet"

    def _schema(self, dataset: Dataset) -> Any:
        import pyarrow as pa

        types = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string(), "boolean": pa.bool_(),
                 "datetime": pa.timestamp("us", tz="UTC")}
        fields = [pa.field(c.name, types[c.type], metadata={"title": c.title, "description": c.description})
                  for c in dataset.columns]
        return pa.schema(fields, metadata={"title": dataset.title, "description": dataset.description})

    def _start(self, dataset: Dataset, path: Path) -> Any:
        import pyarrow.parquet as pq

        return pq.ParquetWriter(path, self._schema(dataset))

    def _rows(self, handle: Any, dataset: Dataset) -> None:
        import pyarrow as pa

        schema = self._schema(dataset)
        arrays = []
        for i, c in enumerate(dataset.columns):
            values: list[Any] = [row[i] for row in dataset.rows]
            if c.type == "number":
                values = [None if v is None else float(v) for v in values]
            arrays.append(pa.array(values, type=schema.field(i).type))
        handle.write_table(pa.Table.from_arrays(arrays, schema=schema))


class XlsxWriter:
    """One workbook, a sheet per table named after it; the header row holds the column names."""

    def __init__(self, path: Path, max_rows: int = XLSX_MAX_ROWS) -> None:
        from openpyxl import Workbook

        self.path = path
        self.max_rows = max_rows
        self.book = Workbook(write_only=True)
        self.sheets: dict[str, list[str]] = {}
        """Per table, its sheets in order (one, unless it is longer than a sheet)."""
        self._current: dict[str, tuple[Any, int]] = {}

    def _sheet(self, dataset: Dataset) -> Any:
        sheet, used = self._current.get(dataset.name, (None, self.max_rows))
        if used >= self.max_rows:
            names = self.sheets.setdefault(dataset.name, [])
            name = dataset.name[:28] + (f"_{len(names) + 1}" if names else "")
            sheet = self.book.create_sheet(name)
            names.append(name)
            sheet.append([c.name for c in dataset.columns])
            used = 1
        self._current[dataset.name] = (sheet, used)
        return sheet

    def append(self, dataset: Dataset) -> None:
        """Write one chunk of a table (a table with no rows still gets its sheet and header)."""
        self._sheet(dataset)
        for row in dataset.rows:
            sheet = self._sheet(dataset)
            cells = [v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) else v for v in row]
            if cells and cells[-1] is None:  # a row's trailing blanks are not stored: keep its width
                cells[-1] = ""
            sheet.append(cells)
            self._current[dataset.name] = (sheet, self._current[dataset.name][1] + 1)

    def close(self) -> None:
        """Save the workbook."""
        self.book.save(self.path)
