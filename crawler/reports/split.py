"""Turning the numbers found after a label into exactly the row's cells.

Real text loses cells (blanks vanish in extracted text), gains stray numbers (page numbers)
and runs adjacent cells together (``801000081`` for 80, 1, 0, 0, 0, 0, 81). The template's
own arithmetic decides: a reading is accepted only when it is the single one that the row's
sums allow; otherwise the row is left blank with a warning. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from crawler.reports.numbers import Num

Value = int | float | None


@dataclass(frozen=True)
class Shape:
    """How a row's cells relate: groups of ``size`` cells whose last is the sum of the others
    when ``total`` is true (table 三 rows: one group of 7; table 四: three groups of 5)."""

    groups: tuple[tuple[int, bool], ...]
    signed: frozenset[int] = frozenset()
    """Cells that may be negative (本年增/减); every other count is non-negative."""

    @property
    def size(self) -> int:
        return sum(n for n, _ in self.groups)

    def holds(self, values: Sequence[Value]) -> bool:
        """True when every group with a total adds up (groups with a blank cell are skipped)."""
        at = 0
        for n, total in self.groups:
            part = values[at : at + n]
            at += n
            if total and None not in part and abs(sum(part[:-1]) - part[-1]) > 1e-9:  # type: ignore[arg-type, operator]
                return False
        return True

    @property
    def has_total(self) -> bool:
        return any(t for _, t in self.groups)


def plain(n: int, signed: frozenset[int] = frozenset()) -> Shape:
    return Shape(((n, False),), signed)


@dataclass(frozen=True)
class Resolved:
    """A row read into exactly its cells."""

    values: tuple[Value, ...]
    sources: tuple[str | None, ...]
    """Per cell: published, split, stated or repaired (None for a blank cell)."""
    warning: str | None = None
    candidates: tuple[tuple[Value, ...], ...] = ()
    """When digits ran together and the row alone allows several readings: those readings,
    for the table's column sums to choose from."""


_BUDGET = 200_000
_MAX_CANDIDATES = 32


def trim_blanks(found: Sequence[Num | None], n: int) -> list[Num | None]:
    """Drop blank cells from the ends while there are more than ``n`` (layout blanks around a
    row): trailing ones first, because a grid pads rows at the end (a sheet's used width, a
    stacked table's spare columns) while a blank right after the label is the row's own first
    cell, left blank by a publisher who prints no zeros."""
    vals = list(found)
    while len(vals) > n and vals[-1] is None:
        vals.pop()
    while len(vals) > n and vals[0] is None:
        vals.pop(0)
    return vals


def resolve(found: Sequence[Num | None], shape: Shape, label: str) -> Resolved:
    """Fit the values found after a label into the row's cells, or blank it with a warning."""
    n = shape.size
    vals = trim_blanks(found, n)
    warning = None
    if len(vals) > n:
        warning = f"{label}: {len(vals)} numbers for {n} cells; kept the first {n}"
        vals = vals[:n]
    if len(vals) == n:
        return Resolved(tuple(_v(x) for x in vals), tuple(_src(x) for x in vals), warning)
    if not any(v is not None for v in vals):
        return _blank(n, None)
    present = [v for v in vals if v is not None]
    if any(v.is_digit_run for v in present) and None not in vals:
        readings = _readings(present, shape)
        if len(readings) == 1:
            values, split_mask = next(iter(readings.items()))
            return Resolved(values, tuple("split" if s else "published" for s in split_mask),
                            f"{label}: digits run together, separated by the row's arithmetic")
        raw = " ".join(v.raw for v in present)
        if not readings or len(readings) > _MAX_CANDIDATES:
            how = "no reading" if not readings else "too many readings"
            return _blank(n, f"{label}: digits run together and the row's arithmetic allows {how} ({raw}); left blank")
        agreed = tuple(col[0] if len(set(col)) == 1 else None for col in zip(*readings, strict=True))
        kept = sum(v is not None for v in agreed)
        warning = (f"{label}: digits run together and the row's arithmetic allows {len(readings)} readings ({raw}); "
                   + (f"kept the {kept} cell(s) they agree on" if kept else "left blank"))
        return Resolved(agreed, tuple("split" if v is not None else None for v in agreed), warning, tuple(readings))
    if len(vals) == n - 1 and None not in vals and shape.has_total:
        got = _one_lost(vals, shape)
        if got is not None:
            return Resolved(
                got, ("repaired",) * n, f"{label}: one cell lost; the row's sums leave a single reading"
            )
    return _blank(n, f"{label}: found {len(vals)} numbers for {n} cells; left blank")


def _v(x: Num | None) -> Value:
    return None if x is None else x.value


def _src(x: Num | None) -> str | None:
    return None if x is None else "published"


def _blank(n: int, warning: str | None) -> Resolved:
    return Resolved((None,) * n, (None,) * n, warning)


def _readings(present: list[Num], shape: Shape) -> dict[tuple[Value, ...], tuple[bool, ...]]:
    """Every way to cut the digit runs into exactly the row's cells (no leading zeros; a sign
    belongs to the first number of its run; only signed cells may be negative; totals are the
    sums of their groups, which prunes the search), up to a cap."""
    n = shape.size
    group_of: list[tuple[int, int, bool]] = []
    for size, total in shape.groups:
        start = len(group_of)
        group_of.extend((start, size, total) for _ in range(size))
    min_left = [0] * (len(present) + 1)
    max_left = [0] * (len(present) + 1)
    for i in range(len(present) - 1, -1, -1):
        tok = present[i]
        min_left[i] = min_left[i + 1] + 1
        max_left[i] = max_left[i + 1] + (len(tok.raw.lstrip("+-")) if tok.is_digit_run else 1)
    out: dict[tuple[Value, ...], tuple[bool, ...]] = {}
    budget = [_BUDGET]

    def dfs(ti: int, pos: int, acc: list[Value], mask: list[bool]) -> None:
        budget[0] -= 1
        if budget[0] < 0 or len(out) > _MAX_CANDIDATES:
            return
        idx = len(acc)
        if ti == len(present):
            if idx == n and shape.holds(acc):
                out.setdefault(tuple(acc), tuple(mask))
            return
        tok = present[ti]
        if not tok.is_digit_run:
            if idx >= n:
                return
            if pos == 0 and _allowed(tok.value, idx, shape):
                dfs(ti + 1, 0, [*acc, tok.value], [*mask, False])
            return
        digits = tok.raw.lstrip("+-")
        sign = -1 if tok.raw.startswith("-") and pos == 0 else 1
        if pos == 0 and tok.raw[0] in "+-" and shape.signed and len(acc) not in shape.signed:
            return  # a printed sign starts a 本年增/减 cell: counts are printed without one
        rest = digits[pos:]
        if not rest:
            dfs(ti + 1, 0, acc, mask)
            return
        if idx >= n:
            return
        # enough cells left for the remaining digits, and not too many
        if idx + (1 if rest else 0) + min_left[ti + 1] > n or idx + len(rest) + max_left[ti + 1] < n:
            return
        split = pos > 0 or len(rest) < len(digits)
        start, size, total = group_of[idx]
        if total and idx == start + size - 1:
            forced = sum(v for v in acc[start:idx] if v is not None)  # type: ignore[misc]
            text = str(forced)
            if forced >= 0 and sign > 0 and rest.startswith(text):
                dfs(ti, pos + len(text), [*acc, forced], [*mask, split or len(text) < len(rest)])
            return
        for length in range(1, min(len(rest), 12) + 1):
            part = rest[:length]
            if length > 1 and part[0] == "0":
                break
            value = sign * int(part)
            if _allowed(value, idx, shape):
                dfs(ti, pos + length, [*acc, value], [*mask, split or length < len(rest)])

    dfs(0, 0, [], [])
    return out


def _allowed(value: Value, idx: int, shape: Shape) -> bool:
    return value is None or value >= 0 or idx in shape.signed


def _one_lost(vals: list[Num | None], shape: Shape) -> tuple[Value, ...] | None:
    """Insert the one lost cell wherever the sums allow; accept only a single outcome."""
    n = shape.size
    outcomes: set[tuple[Value, ...]] = set()
    for (pos,) in combinations(range(n), 1):
        row: list[Value] = [v.value if v else None for v in vals]
        row.insert(pos, None)
        filled = _solve_one(row, shape)
        if filled is not None:
            outcomes.add(filled)
    return outcomes.pop() if len(outcomes) == 1 else None


def _solve_one(row: list[Value], shape: Shape) -> tuple[Value, ...] | None:
    at = 0
    out = list(row)
    for size, total in shape.groups:
        part = out[at : at + size]
        if None in part:
            if not total:
                return None
            idx = part.index(None)
            known = [v for v in part if v is not None]
            # the lost cell is the total (sum of the parts) or a part (total minus the others)
            val = sum(known) if idx == size - 1 else part[-1] - sum(known[:-1])  # type: ignore[operator, arg-type]
            if val < 0:
                return None
            out[at + idx] = val
        at += size
    return tuple(out) if shape.holds(out) else None
