"""Reading table 二 (主动公开, the 第二十条 blocks) of a 2019/2021 report out of the linearised text.

Each row is found by its label in any order (PDF extractions shuffle the blocks). A row of
cells is read on its own line, blank cells kept in place; run-together digits are cut where
the row allows one reading, or where the numbers the report's prose states decide
(:mod:`.stated`); a block that lost a column has its numbers placed by its header or by the one
lost position that fits every row (:mod:`.lostcol`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from crawler.reports.lostcol import header_columns, lost_position, place
from crawler.reports.numbers import Num, parse_number
from crawler.reports.split import Resolved, plain, resolve, trim_blanks
from crawler.reports.stated import choose, splits, statements
from crawler.reports.stream import take_values
from crawler.reports.tables import Reading
from crawler.reports.template import Row, Template

_ACTIVE_STOPS = (r"第\s*二\s*十\s*条", r"信\s*息\s*内\s*容", r"[三四]\s*[、.．]")


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _chunk(text: str, start: int, end: int, stops: Sequence[str]) -> str:
    chunk = text[start:end]
    for stop in stops:
        m = _rx(stop).search(chunk)
        if m:
            chunk = chunk[: m.start()]
    return chunk


def read_active(text: str, template: Template, end: int | None = None) -> Reading | None:
    """Table 二 (主动公开): each row by its label, wherever it stands in the table's region."""
    stop = len(text) if end is None else end
    region = _rx(r"第\s*二\s*十\s*条|信\s*息\s*内\s*容").search(text, 0, stop)
    if region is None:
        return None
    reading = Reading(start=region.start(), end=stop)
    said = statements(text[: region.start()] + "\n" + text[stop:])  # the prose around the table
    for block in template.active:
        keys_cols = [c.key for c in block.columns]
        signed = frozenset(i for i, c in enumerate(keys_cols) if c == "items_change")
        rows: list[tuple[Row, list[str], list[Num | None], int]] = []
        apart = True  # every number in a cell of its own (not flat text, where digits run together)
        for row in block.rows:
            keys = [f"active.{row.key}.{c}" for c in keys_cols]
            for key in keys:
                reading.values[key] = None
            for hit in _rx(row.pattern).finditer(text, region.start(), stop):
                line_end = text.find("\n", hit.end(), stop)
                own = text[hit.end() : stop if line_end < 0 else line_end]
                if "\t" in own:  # a row of cells: its values are on its line, blank or not
                    found = take_values(own)
                    rows.append((row, keys, found or [None] * len(keys), hit.start()))
                    break
                found = take_values(_chunk(text, hit.end(), min(stop, hit.end() + 300), _ACTIVE_STOPS))
                if found:
                    rows.append((row, keys, found, hit.start()))
                    apart = apart and _cells_apart(text[hit.end() : hit.end() + 300], len(found))
                    break
        if rows and apart and _lost_column(text, region.start(), rows, keys_cols, signed, said, reading):
            continue
        for row, keys, found, _ in rows:
            if apart and len(trim_blanks(found, len(keys))) < len(keys):
                # numbers in cells of their own are not digits run together: nothing to split
                n = len(keys)
                warn = f"{row.label}: found {len(trim_blanks(found, n))} numbers for {n} cells; left blank"
                reading.put(keys, Resolved((None,) * n, (None,) * n, warn))
                continue
            res = resolve(found, plain(len(keys), signed), row.label)
            if None in res.values and said:
                res = _stated_row(found, res, keys_cols, row.key, signed, said, row.label)
            reading.put(keys, res)
    if all(v is None for v in reading.values.values()):
        return None
    if template.name == "2019":
        reading.values["active.procurement.amount_unit"] = _amount_unit(text, region.start(), stop)
    return reading


def _lost_column(
    text: str,
    region: int,
    rows: list[tuple[Row, list[str], list[Num | None], int]],
    cols: list[str],
    signed: frozenset[int],
    said: dict[tuple[str, str], set[int]],
    reading: Reading,
) -> bool:
    """A block whose rows all have one number fewer than its columns (a column lost in
    extraction): place the numbers by the block's header, or by the one lost position that
    fits every row (see :mod:`crawler.reports.lostcol`). True when the block was read so."""
    n = len(cols)
    if n < 2:
        return False
    counts = {len(trim_blanks(found, n)) for _, _, found, _ in rows}
    if any(None in trim_blanks(found, n) for _, _, found, _ in rows) or counts - set(range(1, n)):
        return False
    first = min(at for *_, at in rows)
    present = header_columns(text[max(region, first - 200) : first], cols)
    vals = [[x.value for x in trim_blanks(found, n) if x is not None] for _, _, found, _ in rows]
    how = "published"
    if present is not None and len(present) < n and counts == {len(present)}:
        note = "the columns its header names"
    elif counts == {n - 1}:
        lost = lost_position([(r.key, v) for (r, *_), v in zip(rows, vals, strict=True)], cols, signed, said)
        if lost is None:
            return False
        present = [i for i in range(n) if i != lost[0]]
        how = "stated" if lost[1] else "published"
        note = "the one lost column that fits every row"
    else:
        return False
    for (_, keys, _, _), v in zip(rows, vals, strict=True):
        cells = place(v, present, n)
        reading.put(keys, Resolved(cells, tuple(None if c is None else how for c in cells)))
    reading.warnings.append(f"{rows[0][0].label}…: a column lost in the table; numbers placed by {note}")
    return True


def _cells_apart(chunk: str, count: int) -> bool:
    """True when the first ``count`` values after a label each fill a cell of their own (a
    tab-separated cell or a line), so that no number can be two cells run together."""
    seen = 0
    for li, line in enumerate(chunk.split("\n")):
        cells = line.split("\t")
        for ci, cell in enumerate(cells):
            piece = cell.strip()
            if (li == 0 and ci == 0) or not piece:
                continue
            if parse_number(piece) is None:
                return seen >= count
            seen += 1
            if seen >= count:
                return True
    return seen >= count


def _stated_row(
    found: Sequence[Num | None],
    res: Resolved,
    cols: Sequence[str],
    row: str,
    signed: frozenset[int],
    said: dict[tuple[str, str], set[int]],
    label: str,
) -> Resolved:
    """A table 二 row of run-together digits, its cells chosen among the row's splits by the
    numbers the report's prose states (source ``stated``); unchanged when nothing decides."""
    present = [v for v in found if v is not None]
    if len(present) != len(found) or not any(v.is_digit_run for v in present):
        return res
    picked = choose(splits(present, len(cols), signed), cols, row, said)
    if picked is None:
        return res
    values, sources = list(res.values), list(res.sources)
    for i, v in enumerate(picked):
        if v is not None and values[i] is None:
            values[i], sources[i] = v, "stated"
    if values == list(res.values):
        return res
    kept = sum(v is not None for v in values)
    return Resolved(
        tuple(values),
        tuple(sources),
        f"{label}: digits run together; {kept} of {len(cols)} cells chosen by the numbers the report's text states",
    )


def _amount_unit(text: str, start: int, stop: int) -> str | None:
    """The unit of 采购总金额: printed in the cell or in its column header."""
    m = _rx(r"政\s*府\s*集\s*中\s*采\s*购").search(text, start, stop)
    if not m:
        return None
    num = re.match(r"[\s\d,.]*?\d\s*(万\s*元|元)", text[m.end() : m.end() + 80])
    if num:
        return re.sub(r"\s+", "", num.group(1))
    head = _rx(r"采\s*购\s*总\s*金\s*额").search(text, max(start, m.start() - 200), m.start())
    if head:
        unit = re.search(r"(万\s*元|元)", text[head.end() : m.start()])
        if unit:
            return re.sub(r"\s+", "", unit.group(1))
    return None
