"""Plain text and Markdown: text as other tools extracted it from PDF or DOCX, or as a crawler
flattened a page; also the output of antiword and OCR.

A line with tabs and two or more non-empty cells is a table row whose blank cells are kept;
Markdown pipe rows likewise (``|---|`` rows dropped, a header row before one starts a new
table); consecutive rows form one table. Any other non-blank line is a paragraph, so text with
one cell per line becomes one paragraph per cell.
"""

from __future__ import annotations

import re

from crawler.documents.encoding import decode
from crawler.documents.grid import pad_rows
from crawler.documents.model import Block, Cell, Document
from crawler.documents.normalize import clean

BLANK_CELL = "\t"
"""Text of a paragraph block that stands for one blank cell of one-cell-per-line text."""
_SEPARATOR_CELL = re.compile(r"^:?[-=—─]{2,}:?$")
_HEADING = re.compile(r"^#{1,6}\s+")


def read_text(data: bytes, name: str, content_type: str | None = None) -> Document:
    """A text or Markdown file as paragraphs and tables."""
    decoded = decode(data, content_type, markup=False)
    warnings = ("undecodable bytes replaced (encoding unclear)",) if decoded.lossy else ()
    return Document(name=name, kind="text", blocks=tuple(text_blocks(decoded.text)), warnings=warnings)


def text_blocks(text: str) -> list[Block]:
    """Paragraph and table blocks of already-decoded text."""
    blocks: list[Block] = []
    rows: list[list[Cell]] = []

    def flush() -> None:
        if rows:
            blocks.append(Block(table=pad_rows(rows, None)))
            rows.clear()

    for line in text.lstrip("\ufeff").splitlines():
        if line.strip() == "" and line.count("\t") == 1 and not rows:
            # one-cell-per-line text writes a blank cell as a lone tab (seeds/003): keep it, so
            # the numbers after it stay in their columns
            blocks.append(Block(text=BLANK_CELL))
            continue
        cells = _cells(line)
        if cells is None:
            continue
        filled = [c for c in cells if c]
        if all(_SEPARATOR_CELL.match(c) for c in filled):
            # a Markdown header row ends the table above it and starts its own
            if len(rows) > 1 and line.lstrip().startswith("|"):
                header = rows.pop()
                flush()
                rows.append(header)
            continue
        if len(filled) >= 2:
            rows.append(cells)
            continue
        flush()
        blocks.append(Block(text=_HEADING.sub("", filled[0])))
    flush()
    return blocks


def _cells(line: str) -> list[Cell] | None:
    """The cells of one line (a single cell for plain text); None for a blank line."""
    stripped = line.strip()
    if not stripped:
        return None
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        cells: list[Cell] = [clean(c) for c in inner.split("|")]
    elif "\t" in line:
        cells = [clean(c) for c in line.split("\t")]
    else:
        return [clean(stripped)]
    return cells if any(cells) else None
