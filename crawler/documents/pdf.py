"""Text PDFs: ruled tables as grids (merged cells as covered slots), the text around them as
paragraphs in reading order, page numbers dropped. Pages without a text layer are OCRed when
asked, else reported.

PDFium (pypdfium2) reads characters and rules; pdfplumber's table finder and word grouping
work on them (see :mod:`crawler.documents.pdfpage`).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from crawler.documents.model import Block, Document, DocumentError, Table
from crawler.documents.normalize import clean, clean_lines, join_parts
from crawler.documents.pdfpage import Obj, PageData, read_page

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·•]*\s*(?:第\s*)?\d{1,4}\s*(?:页)?\s*[-—–－~·•]*"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*页\s*[,，、]?\s*共\s*\d{1,4}\s*页"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
#: Margins (share of the page height) where a page number may stand.
_HEAD, _FOOT = 0.10, 0.86
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])")
_SENTENCE_END = ("。", "：", ":", "；", ";", "！", "？")
#: pdfplumber settings: ruled tables only; text-strategy tables turn prose into grids.
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# PDFium is not thread-safe; readers may be called from a thread pool (Twisted's deferToThread).
_PDFIUM = threading.Lock()


def read_pdf(data: bytes, name: str, *, ocr: bool = False) -> Document:
    """A PDF as paragraphs and tables; ``ocr`` OCRs pages that have no text layer."""
    import pypdfium2 as pdfium

    blocks: list[Block] = []
    warnings: list[str] = []
    used_ocr = False
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            raise DocumentError(name, _open_problem(str(e))) from None
        try:
            if len(pdf) == 0:
                raise DocumentError(name, "damaged PDF (no pages)")
            for number in range(1, len(pdf) + 1):
                page = pdf[number - 1]
                try:
                    data_page = read_page(page)
                    if _has_text(data_page):
                        blocks.extend(page_blocks(data_page))
                    elif data_page.images and ocr:
                        from crawler.documents.ocr import ocr_pdf_page

                        blocks.extend(ocr_pdf_page(page, name))
                        used_ocr = True
                    elif data_page.images:
                        warnings.append(f"page {number} has no text layer (scanned?); use --ocr")
                except DocumentError:
                    raise
                except Exception as e:  # one bad page must not lose the others
                    warnings.append(f"page {number} unreadable ({type(e).__name__}: {str(e)[:80]})")
                finally:
                    page.close()
        finally:
            pdf.close()
    return Document(name=name, kind="pdf", blocks=tuple(blocks), warnings=tuple(warnings), ocr=used_ocr)


def _open_problem(message: str) -> str:
    lowered = message.lower()
    if "password" in lowered or "security" in lowered:
        return "encrypted PDF: cannot read without a password"
    reason = re.sub(r"^failed to load document \(pdfium: (.*?)\)\.?$", r"\1", message, flags=re.I).strip(". ")
    return f"damaged PDF ({reason.lower() or 'unreadable'})"


def _has_text(page: PageData) -> bool:
    return any(not c["text"].isspace() for c in page.chars)


def page_blocks(page: PageData) -> list[Block]:
    """Tables and paragraphs of one page, top to bottom."""
    from pdfplumber.table import TableFinder, TableSettings

    finder = TableFinder(page, TableSettings.resolve(_TABLE_SETTINGS))  # type: ignore[arg-type]
    tables = sorted(finder.tables, key=lambda t: t.bbox[1])
    boxes = [t.bbox for t in tables]
    bands: list[list[Obj]] = [[] for _ in range(len(tables) + 1)]
    for char in page.chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if any(x0 <= cx < x1 and top <= cy < bottom for x0, top, x1, bottom in boxes):
            continue
        bands[sum(1 for box in boxes if box[1] <= cy)].append(char)
    height = page.bbox[3] or 1.0
    lines_per_band = [_lines(band) for band in bands]
    right = max((ln["x1"] for lines in lines_per_band for ln in lines), default=0.0)
    blocks: list[Block] = []
    for index, lines in enumerate(lines_per_band):
        lines = [
            ln
            for ln in lines
            if not (_PAGE_NUMBER.match(ln["text"]) and not _HEAD * height < ln["top"] < _FOOT * height)
        ]
        blocks.extend(Block(text=text) for text in _paragraphs(lines, right))
        if index < len(tables):
            blocks.extend(_table_blocks(tables[index].extract()))
    return blocks


def _lines(chars: list[Obj]) -> list[dict[str, Any]]:
    """Text lines of ``chars``: words grouped by baseline, left to right."""
    if not chars:
        return []
    from pdfplumber.utils.clustering import cluster_objects
    from pdfplumber.utils.text import WordExtractor, dedupe_chars

    words = WordExtractor().extract_words(dedupe_chars(chars, extra_attrs=("size",)))
    lines = []
    for group in cluster_objects(words, "top", tolerance=3):
        group.sort(key=lambda w: w["x0"])
        text = clean(" ".join(w["text"] for w in group))
        if text:
            lines.append(
                {
                    "text": text,
                    "x0": group[0]["x0"],
                    "x1": max(w["x1"] for w in group),
                    "top": min(w["top"] for w in group),
                    "size": max(w["bottom"] - w["top"] for w in group),
                }
            )
    lines.sort(key=lambda ln: ln["top"])
    return lines


def _paragraphs(lines: list[dict[str, Any]], right: float) -> list[str]:
    """Lines joined into paragraphs: a line reaching the right margin continues on the next
    line, unless it ends a sentence and the next line starts a numbered heading."""
    out: list[list[str]] = []
    previous: dict[str, Any] | None = None
    for line in lines:
        text = line["text"]
        continues = (
            previous is not None
            and previous["x1"] >= right - 1.5 * max(previous["size"], 6.0)
            and not (previous["text"].endswith(_SENTENCE_END) and _HEADING.match(text))
        )
        if continues:
            out[-1].append(text)
        else:
            out.append([text])
        previous = line
    return [join_parts(parts) for parts in out]


def _table_blocks(rows: list[list[str | None]]) -> list[Block]:
    """A found table as a Table block; a one-column frame as the paragraphs it holds."""
    grid = [tuple(None if cell is None else clean_lines(cell) for cell in row) for row in rows]
    if not grid or not any(cell for row in grid for cell in row):
        return []
    width = max(len(row) for row in grid)
    if width == 1:
        return [Block(text=row[0]) for row in grid if row[0]]
    return [Block(table=Table(rows=tuple(row + ("",) * (width - len(row)) for row in grid)))]
