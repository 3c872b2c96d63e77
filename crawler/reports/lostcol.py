"""Tables that lost a column: which column each remaining number belongs to.

PDF and OCR extraction (and some publishers' own tables) drop a column that is blank all
the way down: a block of three columns then has two numbers a row. Two things can say which
column went missing, and nothing else is used:

* the block's header, when the column went with it (``信息内容 | 本年制发件数 | 现行有效件数``):
  the numbers fill the columns the header still names, in order (table 三 too: a header
  without ``科研机构`` puts the six numbers of each row in the other six columns);
* otherwise, the same column is lost in every row of the block, so one position must fit
  every row: only 本年增/减 may hold a negative number, and numbers the report's prose states
  for a cell (see :mod:`crawler.reports.stated`) must land in that cell. A single position
  that fits decides; several leave the block blank.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

Value = int | float | None

# Header words per column key, loose enough for the ways headers are printed (本年增/减, 本年增减).
_HEADER_WORDS: dict[str, str] = {
    "made": r"新\s*制\s*作|制\s*作\s*数",
    "published": r"新\s*公\s*开",
    "total_public": r"公\s*开\s*总",
    "items_last_year": r"上\s*一?\s*年\s*(?:度\s*)?项\s*目",
    "items_change": r"增\s*[/／、]?\s*减",
    "decisions": r"处\s*理\s*决\s*定",
    "issued": r"制\s*发",
    "repealed": r"废\s*止",
    "in_force": r"现\s*行\s*有\s*效",
    "projects": r"采\s*购\s*项\s*目",
    "amount": r"金\s*额",
}
_HEADER_START = re.compile(r"信\s*息\s*内\s*容")


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def header_columns(before_row: str, columns: Sequence[str]) -> list[int] | None:
    """Indices of ``columns`` (keys) that the block header just before its first row names, in
    order; None when no header is there (no 信息内容 cell, or a column word it cannot tell)."""
    starts = list(_HEADER_START.finditer(before_row))
    if not starts:
        return None
    header = before_row[starts[-1].end() :]
    present = []
    for i, col in enumerate(columns):
        word = _HEADER_WORDS.get(col)
        if word is None:
            return None
        if _rx(word).search(header):
            present.append(i)
    return present or None


def lost_position(
    rows: Sequence[tuple[str, Sequence[Value]]],
    columns: Sequence[str],
    signed: frozenset[int],
    stated: Mapping[tuple[str, str], set[int]],
) -> tuple[int, bool] | None:
    """The one column position lost in every row (each row: key, its n-1 numbers), and
    whether prose statements decided it; None when zero or several positions fit."""
    n = len(columns)
    fits: list[tuple[int, bool]] = []
    for pos in range(n):
        ok, used = True, False
        for row, vals in rows:
            cells = [*vals[:pos], None, *vals[pos:]]
            for i, v in enumerate(cells):
                said = stated.get((row, columns[i]))
                if v is None:
                    ok = ok and not (said and 0 not in said)  # the prose counts what the blank lacks
                    continue
                if v < 0 and i not in signed:
                    ok = False
                if said:
                    ok, used = ok and v in said, used or v in said
            if not ok:
                break
        if ok:
            fits.append((pos, used))
    return fits[0] if len(fits) == 1 else None


# Table 三's column headers, in order (其他 only as a header of its own, not in 法人或其他组织).
_REQUEST_HEADERS = (
    r"自\s*然\s*人",
    r"商\s*业\s*企\s*业",
    r"科\s*研\s*机\s*构",
    r"社\s*会\s*公\s*益\s*组\s*织",
    r"法\s*律\s*服\s*务\s*机\s*构",
    r"(?<!或)其\s*他",
    r"总\s*计",
)
_REQUEST_HEAD = re.compile(r"申\s*请\s*人\s*情\s*况|自\s*然\s*人")


def lost_request_column(before_table: str) -> int | None:
    """The one applicant column table 三's header no longer names (lost with its cells in
    extraction), or None when the header names all seven or cannot be read."""
    head = _REQUEST_HEAD.search(before_table)
    if head is None:
        return None
    header = before_table[head.start() :]
    missing = [i for i, p in enumerate(_REQUEST_HEADERS) if not _rx(p).search(header)]
    if len(missing) != 1 or missing[0] in (0, len(_REQUEST_HEADERS) - 1):
        return None  # 自然人 and 总计 frame the header: without them it is not this header
    return missing[0]


def place(vals: Sequence[Value], present: Sequence[int], n: int) -> tuple[Value, ...]:
    """The row's cells with ``vals`` in the ``present`` positions and blanks elsewhere."""
    out: list[Value] = [None] * n
    for i, v in zip(present, vals, strict=True):
        out[i] = v
    return tuple(out)
