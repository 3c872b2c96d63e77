"""Turning the numbers found after a label into exactly the row's cells.

Real text loses cells (blanks vanish in extracted text), gains stray numbers (page numbers)
and runs adjacent cells together (``801000081`` for 80, 1, 0, 0, 0, 0, 81). The template's
own arithmetic decides: a reading is accepted only when it is the single one that the row's
sums allow; otherwise the row is left blank with a warning. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from crawler.reports.numbers import Num

Value = int | float | None


@dataclass(frozen=True)
class Shape:
    """How a row's cells relate: groups of ``size`` cells whose last is the sum of the others
    when ``total`` is true (table 三 rows: one group of 7; table 四: three groups of 5)."""

    groups: tuple[tuple[int, bool], ...]

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


def plain(n: int) -> Shape:
    return Shape(((n, False),))


@dataclass(frozen=True)
class Resolved:
    """A row read into exactly its cells."""

    values: tuple[Value, ...]
    sources: tuple[str | None, ...]
    """Per cell: published, split or repaired (None for a blank cell)."""
    warning: str | None = None
    candidates: tuple[tuple[Value, ...], ...] = ()
    """When digits ran together and the row alone allows several readings: those readings,
    for the table's column sums to choose from."""


_BUDGET = 200_000
_MAX_CANDIDATES = 32


def resolve(found: Sequence[Num | None], shape: Shape, label: str) -> Resolved:
    """Fit the values found after a label into the row's cells, or blank it with a warning."""
    n = shape.size
    vals = list(found)
    while len(vals) > n and vals[0] is None:
        vals.pop(0)
    while len(vals) > n and vals[-1] is None:
        vals.pop()
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
        readings = _readings(_splits(present, n, shape))
        if len(readings) == 1:
            values, split_mask = next(iter(readings.items()))
            return Resolved(
                values,
                tuple("split" if s else "published" for s in split_mask),
                f"{label}: digits run together, separated by the row's arithmetic",
            )
        blank = _blank(
            n,
            f"{label}: digits run together and the row's arithmetic allows "
            f"{'more than one reading' if readings else 'no reading'} "
            f"({' '.join(v.raw for v in present)}); left blank",
        )
        if 1 < len(readings) <= _MAX_CANDIDATES:
            return Resolved(blank.values, blank.sources, blank.warning, tuple(readings))
        return blank
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


def _readings(
    cands: Iterator[tuple[tuple[Value, ...], tuple[bool, ...]]],
) -> dict[tuple[Value, ...], tuple[bool, ...]]:
    """Distinct readings (values → which cells were split), stopping past the candidate cap."""
    out: dict[tuple[Value, ...], tuple[bool, ...]] = {}
    for values, mask in cands:
        out.setdefault(values, mask)
        if len(out) > _MAX_CANDIDATES:
            break
    return out


def _splits(present: list[Num], n: int, shape: Shape) -> Iterator[tuple[tuple[Value, ...], tuple[bool, ...]]]:
    """Every way to cut digit runs into numbers so that there are n cells and the sums hold."""
    budget = [_BUDGET]
    extra = n - len(present)

    def rec(i: int, left: int, acc: list[Value], mask: list[bool]):
        budget[0] -= 1
        if budget[0] < 0:
            return
        if i == len(present):
            if left == 0 and shape.holds(acc):
                yield tuple(acc), tuple(mask)
            return
        tok = present[i]
        if not tok.is_digit_run:
            yield from rec(i + 1, left, [*acc, tok.value], [*mask, False])
            return
        for k in range(1, min(len(tok.raw), left + 1) + 1):
            for parts in _cuts(tok.raw, k):
                yield from rec(i + 1, left - (k - 1), acc + parts, mask + [k > 1] * k)

    yield from rec(0, extra, [], [])


def _cuts(digits: str, k: int) -> Iterator[list[Value]]:
    """Ways to cut a digit string into k numbers, none with a leading zero."""
    if k == 1:
        if digits == "0" or not digits.startswith("0"):
            yield [int(digits)]
        return
    for i in range(1, len(digits) - k + 2):
        head = digits[:i]
        if len(head) > 1 and head.startswith("0"):
            break
        for rest in _cuts(digits[i:], k - 1):
            yield [int(head), *rest]


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
