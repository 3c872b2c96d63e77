"""The Frictionless ``datapackage.json`` of an export: every file it holds, each table's fields
with their types, Chinese titles and descriptions, and each file's size and SHA-256 — so that
``frictionless validate datapackage.json`` checks every table and every byte."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.export.datasets import Dataset
from crawler.export.writers import CSV_ENCODING, iso

MEDIATYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "wacz": "application/wacz+zip"}


def file_facts(path: Path) -> dict[str, Any]:
    """``bytes`` and ``hash`` (``sha256:<hex>``) of a file, as Frictionless checks them."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "hash": f"sha256:{digest.hexdigest()}"}


def table_schema(dataset: Dataset) -> dict[str, Any]:
    """The Table Schema of a dataset: each field's name, type, title and description."""
    fields = []
    for c in dataset.columns:
        field: dict[str, Any] = {"name": c.name, "type": c.type, "title": c.title, "description": c.description}
        if c.type == "datetime":
            field["format"] = "any"  # ISO 8601 with Z, microseconds when the store has them
        fields.append(field)
    return {"fields": fields}


def resource_name(text: str) -> str:
    """A Frictionless resource name: lower-case letters, digits, ``-``, ``_`` and ``.``."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "file"


def table_resource(dataset: Dataset, fmt: str, path: Path, root: Path, *, sheet: str | None = None,
                   part: int = 0) -> dict[str, Any]:
    """A tabular resource for one dataset written as ``fmt`` (csv, jsonl, parquet, or one XLSX
    ``sheet``: ``part`` > 0 for the continuation sheets of a table longer than a sheet)."""
    res: dict[str, Any] = {
        "name": resource_name(f"{dataset.name}-{fmt}" + (f"-{part + 1}" if part else "")),
        "title": dataset.title,
        "description": dataset.description,
        "path": path.relative_to(root).as_posix(),
        "format": fmt,
        "mediatype": MEDIATYPES[fmt],
        "profile": "tabular-data-resource",
        "schema": table_schema(dataset),
    }
    if fmt == "csv":
        res["encoding"] = CSV_ENCODING
    if fmt == "jsonl":
        res["encoding"] = "utf-8"
    if fmt == "xlsx":
        res["dialect"] = {"excel": {"sheet": sheet or dataset.name[:31]}}
    # a workbook holds several resources (its bytes are checked once, as a file resource); Frictionless
    # reads Parquet through pandas, which counts no bytes: both are checked cell by cell instead
    if fmt not in ("xlsx", "parquet"):
        res.update(file_facts(path))
    return res


def file_resource(path: Path, root: Path, *, name: str, title: str | None = None,
                  description: str | None = None) -> dict[str, Any]:
    """A non-tabular resource (a document, the manifest, the WACZ, the workbook itself)."""
    rel = path.relative_to(root).as_posix()
    ext = path.suffix.lstrip(".").lower()
    res: dict[str, Any] = {"name": resource_name(name), "type": "file", "path": rel, "format": ext or "bin",
                           "mediatype": MEDIATYPES.get(ext) or mimetypes.guess_type(path.name)[0]
                           or "application/octet-stream"}
    if title:
        res["title"] = title
    if description:
        res["description"] = description
    res.update(file_facts(path))
    return res


def descriptor(
    *,
    title: str,
    description: str,
    created: datetime,
    tables: Sequence[dict[str, Any]],
    files: Sequence[dict[str, Any]],
    filters: Mapping[str, Any],
) -> dict[str, Any]:
    """The package: its title, when it was made and with which filters, then every resource."""
    return {
        "name": "nianbao-export",
        "title": title,
        "description": description,
        "created": iso(created),
        "profile": "data-package",
        "nianbao": {"filters": dict(filters)},
        "resources": [*tables, *files],
    }
