"""What every document reader returns: text blocks and table grids in reading order.

Readers (html, pdf, docx, doc, xls, text, ocr) turn bytes into a :class:`Document`; the
report extractor in :mod:`crawler.reports` reads only this model, never raw bytes, so a
report parses the same whatever format it was published in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: A grid cell: text (``""`` when the cell is blank) or ``None`` for a slot covered by a
#: merged cell (rowspan/colspan) whose text stands in the merged cell's top-left slot.
Cell = str | None


@dataclass(frozen=True)
class Table:
    """A rectangular grid after rowspan/colspan expansion."""

    rows: tuple[tuple[Cell, ...], ...]
    """Rows of equal length; merged cells appear once, their other slots are ``None``."""


@dataclass(frozen=True)
class Block:
    """One paragraph of text or one table, in reading order."""

    text: str | None = None
    """A paragraph or line of running text (``None`` for a table block)."""
    table: Table | None = None
    """A table grid (``None`` for a text block)."""


@dataclass(frozen=True)
class Document:
    """A report document as text blocks and tables, independent of its file format."""

    name: str
    """The file name or URL the bytes came from, used in messages."""
    kind: str
    """Detected format: html, pdf, docx, doc, wps, xls, xlsx, text or image."""
    blocks: tuple[Block, ...]
    """Paragraphs and tables in reading order."""
    title: str | None = None
    """A title the container states (HTML ArticleTitle/<title>, DOCX core title), if any."""
    meta: Mapping[str, str] = field(default_factory=dict)
    """Container metadata such as PubDate, SiteName, ContentSource (HTML meta tags)."""
    warnings: tuple[str, ...] = ()
    """Non-fatal problems met while reading (a page that failed, an image without OCR)."""
    ocr: bool = False
    """True when some text came from OCR."""
    attachments: tuple[str, ...] = ()
    """Links to report attachments found in the document (HTML only), as written."""


class DocumentError(ValueError):
    """A file that cannot be read as a report document; the message names file and problem."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
