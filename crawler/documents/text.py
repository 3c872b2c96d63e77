"""Plain text and Markdown (as extracted from PDF/DOCX by other tools, or flattened by crawlers).

A line with tabs and two or more non-empty cells is a table row (blank cells kept); Markdown
pipe rows likewise (``|---|`` rows dropped); consecutive rows form one table. Any other line
is a paragraph, so one-cell-per-line text becomes one paragraph per cell.
"""

from __future__ import annotations

import re

from crawler.documents.encoding import decode_text
from crawler.documents.grid import clean, rectangular
from crawler.documents.model import Block, Cell, Document

_MD_SEP = re.compile(r"^:?-{2,}:?$")


def read_text(data: bytes, name: str, kind: str = "text") -> Document:
    text, _ = decode_text(data)
    return Document(name=name, kind=kind, blocks=tuple(text_blocks(text)))


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[Cell]] = []

    def flush() -> None:
        if rows:
            blocks.append(Block(table=rectangular(rows)))
            rows.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            cells = [clean(c) for c in stripped[1:-1].split("|")]
            if all(_MD_SEP.match(c) for c in cells if c):
                continue
            if sum(1 for c in cells if c) >= 1:
                rows.append(list(cells))
                continue
        cells = line.split("\t")
        if sum(1 for c in cells if c.strip()) >= 2:
            rows.append([clean(c) for c in cells])
            continue
        flush()
        if stripped:
            blocks.append(Block(text=clean(stripped)))
    flush()
    return blocks
