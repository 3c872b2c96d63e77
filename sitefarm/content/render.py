"""One entry point for every published form of a report, and what a parser must read back from it."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from pathlib import Path

from .flatsplit import recoverable
from .html import render_body, render_page
from .layout import STYLES, blanked, layout
from .model import Layout
from .office import convert, convert_many
from .scan import rasterise_pdf
from .sheet import render_xlsx
from .spec import ReportSpec, Value
from .text import render_cells, render_flat, render_tabbed
from .word import render_docx

FORMATS = (
    "html",
    "html-gbk",
    "body",
    "docx",
    "xlsx",
    "xls",
    "pdf",
    "doc",
    "wps",
    "txt",
    "txt-cells",
    "txt-flat",
    "scan-pdf",
)
#: Formats that go through LibreOffice (seconds each; cached).
SLOW_FORMATS = ("xls", "pdf", "doc", "wps", "scan-pdf")
#: File extension a crawler would see for each format.
EXTENSIONS = {
    "html": "html",
    "html-gbk": "html",
    "body": "html",
    "docx": "docx",
    "xlsx": "xlsx",
    "xls": "xls",
    "pdf": "pdf",
    "doc": "doc",
    "wps": "wps",
    "txt": "txt",
    "txt-cells": "txt",
    "txt-flat": "txt",
    "scan-pdf": "pdf",
}


def _seeded(spec: ReportSpec, *salt: str) -> random.Random:
    text = "\x1f".join(
        [spec.agency, str(spec.year), spec.template, spec.title, repr(sorted(spec.values.items())), *salt]
    )
    return random.Random(hashlib.sha256(text.encode()).hexdigest())


def spec_layout(spec: ReportSpec, style: str) -> Layout:
    """The layout of ``spec`` in ``style``; fixed per (spec, style) so expectations can be derived."""
    return layout(spec, style, _seeded(spec, "layout", style))


def render(
    spec: ReportSpec,
    fmt: str,
    *,
    style: str = "word",
    rng: random.Random | None = None,
    cache_dir: Path | None = None,
) -> bytes:
    """``spec`` published as ``fmt`` (see :data:`FORMATS`) in ``style`` (see ``layout.STYLES``).

    ``rng`` varies cosmetic details only (span splits, page numbers, dates); the values a parser
    must find depend on (spec, fmt, style) alone — see :func:`expected_values`. LibreOffice
    results are cached under ``cache_dir`` (default: ``office.default_cache_dir()``).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if style not in STYLES:
        raise ValueError(f"style {style!r}: expected one of {', '.join(STYLES)}")
    rng = rng or _seeded(spec, "render", fmt, style)
    lay = spec_layout(spec, style)
    if fmt == "html":
        return render_page(spec, lay, rng).encode("utf-8")
    if fmt == "html-gbk":
        return render_page(spec, lay, rng, "gbk").encode("gbk", errors="xmlcharrefreplace")
    if fmt == "body":
        return render_body(lay, rng).encode("utf-8")
    if fmt == "txt":
        return render_tabbed(lay, rng).encode("utf-8")
    if fmt == "txt-cells":
        return render_cells(lay).encode("utf-8")
    if fmt == "txt-flat":
        return render_flat(spec, lay, rng).encode("utf-8")
    if fmt in ("xlsx", "xls"):
        xlsx = render_xlsx(spec, lay, split=style in ("split", "lost-column"))
        return xlsx if fmt == "xlsx" else convert(xlsx, "xlsx", "xls", cache_dir=cache_dir)
    docx = render_docx(spec, lay, rng)
    if fmt == "docx":
        return docx
    if fmt in ("doc", "wps"):  # WPS Writer files are Word 97 documents with another extension
        return convert(docx, "docx", "doc", cache_dir=cache_dir)
    pdf = convert(docx, "docx", "pdf", cache_dir=cache_dir)
    return pdf if fmt == "pdf" else rasterise_pdf(pdf, rng)


def render_batch(
    items: Sequence[tuple[ReportSpec, str]],
    fmt: str,
    *,
    cache_dir: Path | None = None,
    timeout: float = 3600.0,
) -> list[bytes]:
    """Render many (spec, style) pairs; PDF, DOC and XLS go through one soffice call for the lot."""
    if fmt in ("pdf", "doc", "wps"):
        docs = [render(s, "docx", style=st) for s, st in items]
        return convert_many(
            docs, "docx", "pdf" if fmt == "pdf" else "doc", cache_dir=cache_dir, timeout=timeout
        )
    if fmt == "xls":
        books = [render(s, "xlsx", style=st) for s, st in items]
        return convert_many(books, "xlsx", "xls", cache_dir=cache_dir, timeout=timeout)
    return [render(s, fmt, style=st, cache_dir=cache_dir) for s, st in items]


def expected_values(spec: ReportSpec, fmt: str, style: str) -> dict[str, Value]:
    """What a correct parser returns for ``render(spec, fmt, style=style)``.

    ``None`` marks a cell the rendering does not determine: blank in the spec, blanked by the
    style (``blank-total``, ``sparse``), or run together with its neighbours in ``txt-flat`` text
    so that more than one reading fits. A parser may still fill such a cell from the template
    arithmetic; it then returns ``spec.values[key]`` or :func:`implied_value`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    values: dict[str, Value] = dict(spec.values)
    for key in blanked(spec, style):
        values[key] = None
    if fmt == "txt-flat":
        for key, v in recoverable(spec_layout(spec, style)).items():
            if v is None:
                values[key] = None
    if style == "stated":  # rows whose every cell the prose states: one split has those numbers
        for key in stated_keys(spec):
            values[key] = spec.values.get(key)
    return values


def stated_keys(spec: ReportSpec) -> list[str]:
    """Cells of table 二 the ``stated`` style's prose gives for every column of their row."""
    cols = ("issued", "repealed", "in_force") if spec.template == "2021" else ("made", "published", "total_public")
    if spec.template not in ("2019", "2021"):
        return []
    return [f"active.{row}.{c}" for row in ("regulations", "normative_documents") for c in cols]


def expected_template(spec: ReportSpec, style: str) -> str | None:
    """The template a correct parser calls: none for a rendering without tables."""
    return None if style == "prose-only" and spec.template != "legacy" else spec.template


def implied_value(spec: ReportSpec, key: str) -> Value:
    """A blanked cell's value as the rendering's own arithmetic gives it: a blank 总计 of table 三
    is the sum of its row. It differs from ``spec.values`` only when a broken spec's 总计 column
    was blanked by the ``blank-total`` style, which hides the break."""
    group, row, col = key.split(".")
    if group == "requests" and col == "total":
        parts = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
        return sum(int(spec.values.get(f"requests.{row}.{c}") or 0) for c in parts)
    return spec.values.get(key)
