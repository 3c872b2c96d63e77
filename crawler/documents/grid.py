"""Spanning cells (HTML rowspan/colspan, Word gridSpan/vMerge, spreadsheet merges) → rectangular grids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.documents.model import Cell, Table

#: Spans beyond this are typos (``colspan="1000"``) and are capped, so one bad attribute
#: cannot allocate a huge grid.
MAX_SPAN = 200
#: More slots than this in one table is no report table: refused before it is built (a page of
#: 200 × 200 cells each spanning 200 × 200 would otherwise take gigabytes).
MAX_SLOTS = 1_000_000


class TableTooLarge(ValueError):
    """A table whose cells and spans cover more than :data:`MAX_SLOTS` slots."""


@dataclass(frozen=True)
class SpanCell:
    """A cell as written in its source: its text and how many rows/columns it covers."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def build_grid(rows: Sequence[Sequence[SpanCell]]) -> Table:
    """Lay spanning cells out as a browser does: each cell takes the next free slot of its row,
    covered slots become ``None``, slots no cell reaches become ``""``.

    A rowspan reaching past the last row is cut there (browsers do the same).
    """
    n_rows = len(rows)
    taken: dict[tuple[int, int], Cell] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(cell.rowspan, MAX_SPAN, n_rows - r))
            colspan = max(1, min(cell.colspan, MAX_SPAN))
            if len(taken) + rowspan * colspan > MAX_SLOTS:
                raise TableTooLarge(f"a table covering more than {MAX_SLOTS:,} cells")
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = None
            taken[(r, c)] = cell.text
            c += colspan
            width = max(width, c)
    return Table(rows=tuple(tuple(taken.get((r, c), "") for c in range(width)) for r in range(n_rows)))


def pad_rows(rows: Iterable[Sequence[Cell]], fill: Cell = "") -> Table:
    """Make rows equal length by appending ``fill`` cells: blank ``""``, or ``None`` where
    the source printed no cell at all (a short line of tab-separated text), so that no
    reader mistakes the missing cells for blanks at the end of the row."""
    materialised = [tuple(row) for row in rows]
    width = max((len(row) for row in materialised), default=0)
    return Table(rows=tuple(row + (fill,) * (width - len(row)) for row in materialised))


def apply_merges(values: Sequence[Sequence[str]], merges: Iterable[tuple[int, int, int, int]]) -> Table:
    """A grid from cell values and merged ranges ``(first_row, last_row, first_col, last_col)``
    (inclusive, 0-based): every slot of a range except its top-left one becomes ``None``."""
    grid: list[list[Cell]] = [list(row) for row in values]
    for r0, r1, c0, c1 in merges:
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0):
                    row[c] = None
    return pad_rows(grid)


def is_blank(table: Table) -> bool:
    """True when no slot holds text."""
    return not any(cell for row in table.rows for cell in row)
