"""The shape every renderer reads: paragraphs and tables whose cells carry real rowspan/colspan."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """One table cell as published: text (``\\n`` for a line break) and its spans."""

    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    key: str | None = None
    """The field key when the cell holds a value."""


@dataclass(frozen=True)
class Table:
    """A table as HTML lists it: each row holds only the cells that start in it."""

    name: str
    ncols: int
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    """Column widths in centimetres (DOCX/PDF page layout)."""


@dataclass(frozen=True)
class Para:
    """A paragraph: ``title``, ``heading`` or ``body``."""

    text: str
    kind: str = "body"


@dataclass(frozen=True)
class Layout:
    """The report as blocks in reading order, plus the markup flavour (``word`` or ``clean``)."""

    blocks: tuple[Para | Table, ...]
    markup: str


@dataclass(frozen=True)
class Slot:
    """One position of the expanded grid."""

    cell: Cell
    origin: bool
    """True at the cell's top-left slot, False where its span covers the slot."""
    ident: tuple[int, int]
    """(row, index in row) of the cell in :attr:`Table.rows`; tells equal cells apart."""
    top: bool
    """True when the slot is in the cell's first row."""


def grid(table: Table) -> list[list[Slot | None]]:
    """The table expanded to ``rows × ncols`` slots; ``None`` where a row is short."""
    out: list[list[Slot | None]] = [[None] * table.ncols for _ in table.rows]
    for r, row in enumerate(table.rows):
        c = 0
        for i, cell in enumerate(row):
            while c < table.ncols and out[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(out) and c + dc < table.ncols:
                        out[r + dr][c + dc] = Slot(cell, dr == 0 and dc == 0, (r, i), dr == 0)
            c += cell.colspan
    return out


def word_rows(table: Table) -> list[list[str]]:
    """Cell texts per row as Word stores them: a horizontal span is one cell, a slot under a
    vertical span is an empty continuation cell (what PDF and DOCX text extractors print)."""
    out: list[list[str]] = []
    for row in grid(table):
        texts: list[str] = []
        for c, slot in enumerate(row):
            if slot is None:
                continue
            left = row[c - 1] if c else None
            if slot.origin:
                texts.append(slot.cell.text)
            elif not slot.top and (left is None or left.ident != slot.ident):
                texts.append("")
        out.append(texts)
    return out
