"""A document as one searchable string, and the numbers that follow a label in it.

Every format ends up here the same way: a table row becomes one line whose cells are joined
by tabs (blank cells kept, merged slots dropped), a paragraph becomes a line. Labels are then
found by regular expressions over the whole string, which works equally for grids, for
tab-separated text, for one-cell-per-line text and for flattened text with no separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from crawler.documents.model import Document
from crawler.documents.text import BLANK_CELL
from crawler.reports.numbers import UNIT_RE, Num, is_blank_mark, normalise, parse_number

_PIECE = re.compile(rf"[+\-]?\d[\d,]*(?:\.\d+)?(?:\s*(?:{UNIT_RE}))?")
# An item number such as "1." or "2、" is text, not a value.
_ITEM_AFTER = frozenset(".．、")


def linearize(doc: Document) -> str:
    """The document as lines: one per paragraph, one per table row with tab-joined cells."""
    lines: list[str] = []
    for block in doc.blocks:
        if block.table is not None:
            for row in block.table.rows:
                cells = [_flat(c) for c in row if c is not None]
                lines.append("\t".join(cells))
        elif block.text == BLANK_CELL:
            lines.append(BLANK_CELL)
        elif block.text:
            lines.extend(normalise(block.text).replace("\t", " ").split("\n"))
    return "\n".join(lines)


def _flat(cell: str) -> str:
    return normalise(cell).replace("\t", " ").replace("\n", " ").strip()


@dataclass(frozen=True)
class Item:
    """One thing met after a label: a number, a blank cell, or text."""

    kind: str
    """``num``, ``blank`` or ``text``."""
    num: Num | None = None
    text: str = ""
    line: int = 0
    """Index of the line within the chunk, to tell rows apart."""
    multi: bool = False
    """True when the item stands in a row of several cells (a grid or tab-separated row)."""


def items(chunk: str) -> Iterator[Item]:
    """Numbers, blank cells and text pieces of a chunk, in order.

    The first cell of the chunk is the rest of the label's own cell, so it is never a blank
    value; blank cells count only in rows of several cells, because a blank line in
    one-cell-per-line text says nothing about a cell. The label's cell counts as one of
    them even when nothing of it is left in the chunk: a grid row whose publisher left the
    zeros blank and filled one cell is still a row of cells, and the blanks give each number
    its column.
    """
    for li, line in enumerate(chunk.split("\n")):
        if line == BLANK_CELL:
            yield Item("blank", line=li)
            continue
        cells = line.split("\t")
        filled = sum(1 for c in cells if c.strip())
        multi = filled + (li == 0 and len(cells) > 1 and not cells[0].strip()) >= 2
        for ci, cell in enumerate(cells):
            s = cell.strip()
            if not s or is_blank_mark(s):
                if (multi and not (li == 0 and ci == 0)) or s:
                    yield Item("blank", line=li, multi=multi)
                continue
            for kind, num, text in _pieces(s):
                yield Item(kind, num, text, li, multi)


def _pieces(s: str) -> Iterator[tuple[str, Num | None, str]]:
    pos, n = 0, len(s)
    while pos < n:
        if s[pos].isspace():
            pos += 1
            continue
        m = _PIECE.match(s, pos)
        if m:
            end = m.end()
            nxt = s[end] if end < n else " "
            if nxt not in _ITEM_AFTER and not (nxt.isascii() and nxt.isalnum()):
                num = parse_number(m.group())
                if num is not None:
                    yield "num", num, ""
                    pos = end
                    continue
        end = pos
        while end < n and not s[end].isspace():
            end += 1
        yield "text", None, s[pos:end]
        pos = end


def take_values(chunk: str) -> list[Num | None]:
    """The values of one table row that starts right after a label.

    Text before the first value is the rest of the label and is skipped; text after a value
    ends the row. Blank cells before the first value count (a row may start blank).
    """
    out: list[Num | None] = []
    started = False
    for it in items(chunk):
        if it.kind == "text":
            if started:
                break
            out.clear()
            continue
        if it.kind == "num":
            started = True
            out.append(it.num)
        else:
            out.append(None)
    while out and out[-1] is None and not started:
        out.pop()
    return out if started else []


def runs(chunk: str) -> list[list[Num | None]]:
    """Maximal runs of values: each row of a grid is one run; in one-cell-per-line text a run
    continues over lines until text interrupts it."""
    result: list[list[Num | None]] = []
    cur: list[Num | None] = []
    cur_key: tuple[int, bool] | None = None
    for it in items(chunk):
        key = (it.line, True) if it.multi else (-1, False)
        if it.kind == "text" or (cur_key is not None and key != cur_key):
            if any(v is not None for v in cur):
                result.append(cur)
            cur, cur_key = [], None
            if it.kind == "text":
                continue
        cur_key = key
        cur.append(it.num if it.kind == "num" else None)
    if any(v is not None for v in cur):
        result.append(cur)
    return result


def fuzzy(label: str) -> str:
    """A pattern for a label that lets whitespace stand between any two characters."""
    return r"\s*".join(re.escape(ch) for ch in label if not ch.isspace())
