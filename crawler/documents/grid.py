"""Rowspan/colspan tables to rectangular grids, and the cell-text rules every reader shares."""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.documents.model import Cell, Table

_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u200b]+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def clean(text: str) -> str:
    """Cell or paragraph text: spaces collapsed; line breaks joined with no space between two
    CJK characters (one-character-per-line vertical labels), a space otherwise."""
    parts = [_WS.sub(" ", p).strip() for p in re.split(r"\n+", text)]
    out = ""
    for p in parts:
        if not p:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(p[0])):
            out += " "
        out += p
    return out


def expand(rows: Iterable[Iterable[tuple[str, int, int]]]) -> Table:
    """A grid from rows of (text, rowspan, colspan) cells; covered slots become None."""
    grid: list[list[Cell | object]] = []
    pending: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        line = grid[r]
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in pending:
                _put(line, c, None)
                pending.pop((r, c))
                c += 1
            rowspan, colspan = max(1, min(rowspan, 500)), max(1, min(colspan, 100))
            _put(line, c, text)
            for dc in range(1, colspan):
                _put(line, c + dc, None)
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    pending[(r + dr, c + dc)] = True
            c += colspan
        while (r, c) in pending:
            _put(line, c, None)
            pending.pop((r, c))
            c += 1
    for (r, c) in sorted(pending):
        while len(grid) <= r:
            grid.append([])
        _put(grid[r], c, None)
    width = max((len(row) for row in grid), default=0)
    out = tuple(tuple(_cell(x) for x in row) + ("",) * (width - len(row)) for row in grid if row)
    return Table(out)


_UNSET = object()


def _put(line: list[Cell | object], c: int, value: Cell) -> None:
    while len(line) <= c:
        line.append(_UNSET)
    line[c] = value


def _cell(x: Cell | object) -> Cell:
    return "" if x is _UNSET else x  # type: ignore[return-value]


def rectangular(rows: list[list[Cell]]) -> Table:
    """Pad rows of a plain grid to equal length."""
    width = max((len(r) for r in rows), default=0)
    return Table(tuple(tuple(r) + ("",) * (width - len(r)) for r in rows))
