"""Pre-2019 statistics tables (统计指标 | 单位 | 统计数, or 指标名称 | 计量单位 | 年度 | 累计).

These tables had no national grid, so they are read as label → value rows: a row is the
label cells, a unit cell, then the value of the report year (the first number after the unit).
"""

from __future__ import annotations

import re

from crawler.reports.legacyflat import read_flat_legacy
from crawler.reports.numbers import is_blank_mark, parse_number
from crawler.reports.stream import fuzzy

_UNIT_CELL = re.compile(r"^(?:条|件|次|个|人|人次|万元|元|篇|项|家|期|场|份|GB|%|——|—)$")
_HEAD = re.compile("|".join(fuzzy(w) for w in ("统计指标", "指标名称")))
_HEAD_WORDS = re.compile(
    r"^(?:统计指标|指标名称|计量|单位|计量单位|代码|统计数|本期实际|本年累计|历年累计|"
    r"(?:19|20)\d{2}|年度|(?:19|20)\d{2}年度|数量|备注)$"
)
_NOTE = re.compile(r"[（(][^（）()]*[)）]\s*$")
_HEAD_RUN = re.compile(
    r"(?:\s*(?:统计指标|指标名称|计量单位|计量|单位|代码|统计数|本期实际|本年累计|历年累计|累计|"
    r"(?:19|20)\d{2}\s*年度|(?:19|20)\d{2}|年度|数量|备注))+"
)
_CUMULATIVE = re.compile(r"累\s*计")
_FLAT_MIN = 60


def read_legacy(text: str) -> tuple[dict[str, int | float | None], dict[str, str], list[str]]:
    """Label → value, label → unit and the problems met, for every row of the first 统计指标
    table in the text (a table flattened into one line is read by :mod:`.legacyflat`)."""
    head = _HEAD.search(text)
    if not head:
        return {}, {}, []
    line_end = text.find("\n", head.start())
    line = text[head.start() : len(text) if line_end < 0 else line_end]
    if "\t" not in line and len(line) > _FLAT_MIN:  # the whole table run together on one line
        start = _HEAD_RUN.match(line)
        body = line[start.end() :] if start else line
        return read_flat_legacy(body, bool(_CUMULATIVE.search(line[: len(line) - len(body)])))
    cells = _cells(text[head.start() :])
    i = 0
    while i < len(cells) and (_HEAD_WORDS.match(cells[i].replace(" ", "")) or _HEAD.match(cells[i])):
        i += 1
    values: dict[str, int | float | None] = {}
    units: dict[str, str] = {}
    label: list[str] = []
    since_unit = 0
    while i < len(cells):
        cell = cells[i]
        i += 1
        if _UNIT_CELL.match(cell):
            since_unit = 0
            name = _clean_label("".join(label))
            label = []
            value = None
            if i < len(cells):
                num = parse_number(cells[i])
                if num is not None or is_blank_mark(cells[i]):
                    value = None if num is None else num.value
                    i += 1
            while i < len(cells) and (parse_number(cells[i]) is not None or is_blank_mark(cells[i])):
                i += 1  # further columns (历年累计) belong to the same row
            if name and cell not in ("——", "—"):
                values[name] = value
                units[name] = cell
            continue
        since_unit += 1
        if since_unit > 8:
            break
        if parse_number(cell) is None:
            label.append(cell)
    return values, units, []


def _cells(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        for cell in line.split("\t"):
            s = cell.strip()
            if s:
                out.append(s)
    return out


def _clean_label(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    while _NOTE.search(label) and len(_NOTE.sub("", label)) >= 4:
        label = _NOTE.sub("", label)
    return label
