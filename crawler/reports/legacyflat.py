"""A pre-2019 统计表 flattened into one line, read back row by row.

Crawled page text runs a table's cells together: ``主动公开信息数条281850其中：1.网站公开条
2547692.政府公报公开条2788…`` is 主动公开信息数 | 条 | 281 | 850, 网站公开 | 条 | 254 | 769,
政府公报公开 | 条 | 27 | 88. Four things of the table itself separate it again:

* the unit word closes each label (条, 件, 人次, 万元 …), so it marks where the numbers start;
* row numbering: a label that starts with its item number glues that number to the previous
  row's digits (``2547692.``), and the number is the previous item's plus one (or 1 where a
  list starts), so it is taken off the end;
* with a 历年累计 column, the digits are this year's value then the cumulative one, and the
  cumulative is never smaller;
* 其中 rows add up to the row above them in this year's column (and, where some split allows
  it, in the cumulative one too), when some split allows that at all.

A row whose splits still disagree on this year's value is left out with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

from crawler.reports.numbers import parse_number

_UNIT = r"人次|万元|条|件|次|个|人|元|篇|项|家|期|场|份"
_ROW_END = re.compile(rf"({_UNIT})(\d+(?:\.\d+)?)(?![\d])")
_SECTION = "——"
_ITEM = re.compile(r"^(?:其中\s*[:：]\s*)?(\d{1,2})\s*[.．、]")
_NOTE = re.compile(r"[（(][^（）()]*[)）]\s*$")
_MAX_LABEL = 80
_JOINT_LIMIT = 20_000

Value = int | float | None


@dataclass
class _Row:
    label: str
    unit: str
    options: list[tuple[Value, Value]]
    """(this year, cumulative) readings of the row's digits; cumulative None with one column."""
    item: int | None


def read_flat_legacy(line: str, two_columns: bool) -> tuple[dict[str, Value], dict[str, str], list[str]]:
    """Label → this year's value, label → unit, and warnings, from the flattened rows of
    ``line`` (the text after the table's header). ``two_columns`` when the header has a
    cumulative column (历年累计) after the year's."""
    rows: list[_Row] = []
    pos = 0
    glued = ""  # the next label's item number, cut off the previous row's digits
    warnings: list[str] = []
    while True:
        m = _ROW_END.search(line, pos)
        if m is None or m.start() - pos > _MAX_LABEL:
            break
        raw_label = glued + line[pos : m.start()]
        label = _clean(raw_label)
        item_m = _ITEM.match(label)
        item = int(item_m.group(1)) if item_m else None
        digits = m.group(2)
        pos = m.end()
        glued = ""
        if pos < len(line) and line[pos] in ".．、" and "." not in digits:
            nxt = str(item + 1 if item is not None else 1)  # the next item: one more, or a new list
            if digits.endswith(nxt) and len(digits) > len(nxt):
                glued, digits = nxt, digits[: -len(nxt)]
            elif digits.endswith("1") and len(digits) > 1:
                glued, digits = "1", digits[:-1]
        rows.append(_Row(label, m.group(1), _options(digits, two_columns), item))
    _apply_sums(rows)
    values: dict[str, Value] = {}
    units: dict[str, str] = {}
    for row in rows:
        years = {t for t, _ in row.options}
        units[row.label] = row.unit
        if len(years) == 1:
            values[row.label] = years.pop()
        else:
            values[row.label] = None
            shown = "" if not row.options else f" ({len(row.options)} readings)"
            warnings.append(f"统计表 {row.label}: digits run together and nothing decides the split{shown}; left blank")
    return values, units, warnings


def _clean(label: str) -> str:
    if _SECTION in label:
        label = label.rsplit(_SECTION, 1)[1]
    label = re.sub(r"\s+", "", label).lstrip("—")
    while _NOTE.search(label) and len(_NOTE.sub("", label)) >= 4:
        label = _NOTE.sub("", label)
    return label


def _options(digits: str, two_columns: bool) -> list[tuple[Value, Value]]:
    if not two_columns:
        num = parse_number(digits)
        return [(num.value, None)] if num is not None else []
    if "." in digits:
        return []
    out: list[tuple[Value, Value]] = []
    for cut in range(1, len(digits)):
        a, b = digits[:cut], digits[cut:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        if int(b) >= int(a):
            out.append((int(a), int(b)))
    return out


def _apply_sums(rows: list[_Row]) -> None:
    """Keep, for each row followed by a 其中 list, the readings under which the list adds up to
    it — when some reading does; the rows stay as they are otherwise."""
    i = 0
    while i < len(rows) - 1:
        if not rows[i + 1].label.startswith("其中"):
            i += 1
            continue
        group = [i, i + 1]
        item = rows[i + 1].item
        j = i + 2
        while item is not None and j < len(rows) and rows[j].item == item + 1:
            group.append(j)
            item = rows[j].item
            j += 1
        if len(group) > 2:
            _restrict(rows, group)
        i = j


def _restrict(rows: list[_Row], group: list[int]) -> None:
    options = [rows[k].options for k in group]
    total = 1
    for o in options:
        total *= len(o)
    if total == 0 or total > _JOINT_LIMIT:
        return
    kept = [c for c in product(*options) if c[0][0] == sum(x[0] or 0 for x in c[1:])]
    # where the cumulative column adds up too (it does in real tables), that decides further
    both = [c for c in kept if c[0][1] is None or c[0][1] == sum(x[1] or 0 for x in c[1:])]
    kept = both or kept
    if not kept:
        return
    for pos, k in enumerate(group):
        rows[k].options = list(dict.fromkeys(c[pos] for c in kept))
