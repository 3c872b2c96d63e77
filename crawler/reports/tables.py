"""Reading tables 二, 三 and 四 of a 2019/2021 report out of the linearised document.

Table 三 is read two ways. *By label*: find each row's label in template order and take
the numbers after it. *By position*: collect the runs of numbers in the table's region and,
when there are exactly as many as the template has rows, assign them in order (this rescues
PDF extractions whose labels drifted away from their numbers). The reading whose figures
pass more of the template's arithmetic wins. Table 四 is the fifteen numbers after its header,
or three small tables under their own headings. Table 二 is read in :mod:`.active`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import product

from crawler.reports.checks import evaluate
from crawler.reports.lostcol import lost_request_column
from crawler.reports.numbers import Num
from crawler.reports.split import Resolved, Shape, resolve, trim_blanks
from crawler.reports.stream import runs, take_values
from crawler.reports.template import REQUEST_COLUMNS, Row, Template

Value = int | float | str | None
REQUEST_SHAPE = Shape(((7, True),))
APPEAL_SHAPE = Shape(((5, True), (5, True), (5, True)))
_JOINT_LIMIT = 20_000

_APPEAL_WORDS = (
    "结果维持|结果纠正|其他结果|尚未审结|未经复议直接起诉|复议后起诉|直接起诉|行政复议|行政诉讼|"
    "维持|纠正|结果|其他|尚未|审结|总计|起诉"
)


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def _appeal_header() -> re.Pattern[str]:
    words = "|".join(r"\s*".join(w) for w in _APPEAL_WORDS.split("|"))
    return re.compile(rf"(?:(?:{words})[\s、，,|]*){{4,}}")


@dataclass
class Reading:
    """Values read from one table, with their sources and the problems met."""

    values: dict[str, Value] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ambiguous: list[tuple[tuple[str, ...], tuple[tuple[Value, ...], ...], str]] = field(default_factory=list)
    """Rows whose run-together digits allow several readings: (keys, readings, warning)."""
    start: int = 0
    """Where in the text the table starts."""
    end: int = 0
    """Where in the text the table ended (start of the next table's search)."""

    def put(self, keys: Sequence[str], row: Resolved) -> None:
        for key, value, src in zip(keys, row.values, row.sources, strict=True):
            self.values[key] = value
            if src:
                self.sources[key] = src
        if row.candidates:
            self.ambiguous.append((tuple(keys), row.candidates, row.warning or ""))
        elif row.warning:
            self.warnings.append(row.warning)

    def score(self, template: str) -> tuple[int, int]:
        checks = evaluate(self.values, template)
        good = sum(c.ok for c in checks) - 2 * sum(not c.ok for c in checks)
        return good, sum(v is not None for v in self.values.values())


def _anchor(text: str, rows: Sequence[Row], start: int, end: int, window: int = 400) -> int | None:
    """Where the table starts: the first label of its first rows that is followed, soon, by the
    next row's label with a number, or the cells of a grid row, in between (so prose that
    names the rows is skipped; a row whose zeros were left blank is still a row)."""
    for i in range(min(3, len(rows) - 1)):
        first, second = _rx(rows[i].pattern), _rx(rows[i + 1].pattern)
        for m in first.finditer(text, start, end):
            nxt = second.search(text, m.end(), min(end, m.end() + window))
            between = text[m.end() : nxt.start()] if nxt else ""
            if nxt and (take_values(between) or "\t" in between.split("\n", 1)[0]):
                return m.start()
    return None


def read_requests(text: str, template: Template, start: int = 0) -> Reading | None:
    """Table 三, or None when the report has no such table."""
    rows = template.request_rows
    anchor = _anchor(text, rows, start, len(text))
    if anchor is None:
        return None
    m = _rx(r"行\s*政\s*复\s*议").search(text, anchor)
    end = m.start() if m else len(text)
    cols = [c.key for c in template.request_columns]
    keys = [tuple(f"requests.{r.key}.{c}" for c in cols) for r in rows]

    label = Reading(start=anchor, end=anchor)
    hits, pos = [], anchor
    for i, row in enumerate(rows):  # in template order, each after the previous
        hit = _rx(row.pattern).search(text, pos, end)
        if hit:
            hits.append((i, hit))
            pos = hit.end()
    lost = lost_request_column(text[max(start, anchor - 400) : anchor])
    for k, (i, hit) in enumerate(hits):
        stop = hits[k + 1][1].start() if k + 1 < len(hits) else min(end, hit.end() + 600)
        found = take_values(text[hit.end() : stop])
        six = trim_blanks(found, 6)[:6]  # a number beyond the row's six (a page number) is no cell
        if lost is not None and len(six) == 6 and None not in six and _adds_up(six):
            found = [*six[:lost], None, *six[lost:]]  # the column its header no longer names
        label.put(keys[i], resolve(found, REQUEST_SHAPE, rows[i].label))
        label.end = hit.end()
    for key_row in keys:
        for key in key_row:
            label.values.setdefault(key, None)
    _joint(label, template.name)
    if template.name == "2021":
        _one_row_other(text, anchor, end, label)

    best = label
    complete = all(v is not None for v in label.values.values())
    if complete and all(c.ok for c in evaluate(label.values, template.name)):
        return label  # every cell read by label and the sums agree: nothing to rescue
    row_runs = [r for r in runs(text[anchor:end]) if _fits(r, 7)]
    if len(row_runs) == len(rows):
        pos_reading = Reading(start=anchor, end=label.end)
        for row, key_row, vals in zip(rows, keys, row_runs, strict=True):
            pos_reading.put(key_row, resolve(vals, REQUEST_SHAPE, row.label))
        _joint(pos_reading, template.name)
        if pos_reading.score(template.name) > label.score(template.name):
            best = pos_reading
    return best


def _adds_up(six: list[Num | None]) -> bool:
    """Six cells of a table 三 row that lost a blank applicant column: its 总计 is the sum."""
    vals = [v.value for v in six if v is not None]
    return abs(sum(vals[:-1]) - vals[-1]) < 1e-9


def _joint(reading: Reading, template: str) -> None:
    """Choose among the readings of run-together rows the one combination that the table's
    column sums (R1, R3) accept; leave the rows blank when none or several do."""
    if not reading.ambiguous:
        return
    accepted = _joint_readings(reading, template)
    if accepted is None:
        reading.warnings.extend(w for _, _, w in reading.ambiguous)
    else:
        for (keys, _, _), vals in zip(reading.ambiguous, accepted, strict=True):
            for key, val in zip(keys, vals, strict=True):
                reading.values[key] = val
                reading.sources[key] = "split"
        reading.warnings.append(f"{len(accepted)} rows of run-together digits separated by the column sums")
    reading.ambiguous.clear()


def _joint_readings(reading: Reading, template: str) -> tuple[tuple[Value, ...], ...] | None:
    options = [cands for _, cands, _ in reading.ambiguous]
    total = 1
    for o in options:
        total *= len(o)
    if total > _JOINT_LIMIT:
        return None
    involved = {k for keys, _, _ in reading.ambiguous for k in keys}
    accepted = []
    for combo in product(*options):
        trial = dict(reading.values)
        for (keys, _, _), vals in zip(reading.ambiguous, combo, strict=True):
            trial.update(zip(keys, vals, strict=True))
        checks = [c for c in evaluate(trial, template) if c.rule in ("R1", "R3") and involved & set(c.cells)]
        if checks and all(c.ok for c in checks):
            accepted.append(combo)
            if len(accepted) > 1:
                return None
    return accepted[0] if accepted else None


_OTHER_2019 = r"[（(]\s*六\s*[)）]\s*其\s*他\s*处\s*理"
_OTHER_KEYS = ("other_no_correction", "other_unpaid_fee", "other_other")


def _one_row_other(text: str, start: int, end: int, reading: Reading) -> None:
    """A 2021 table that prints （六）其他处理 as one row, as the 2019 template did: when that row
    is all zero, so are its three sub-rows (counts are never negative); otherwise they stay
    blank with a warning."""
    cols = [c.key for c in REQUEST_COLUMNS]
    if any(reading.values.get(f"requests.{r}.{c}") is not None for r in _OTHER_KEYS for c in cols):
        return
    m = _rx(_OTHER_2019).search(text, start, end)
    if not m:
        return
    row = resolve(take_values(text[m.end() : m.end() + 300]), REQUEST_SHAPE, "（六）其他处理")
    if row.values and all(v == 0 for v in row.values):
        for r in _OTHER_KEYS:
            for c in cols:
                reading.values[f"requests.{r}.{c}"] = 0
                reading.sources[f"requests.{r}.{c}"] = "repaired"
        reading.warnings.append("（六）其他处理 printed as one row (2019 layout); all zero, so its three sub-rows are 0")
    elif any(v is not None for v in row.values):
        reading.warnings.append("（六）其他处理 printed as one row (2019 layout); its three sub-rows cannot be told apart")


def _fits(run: list[Num | None], n: int) -> bool:
    return len(trim_blanks(run, n)) == n


def read_appeals(text: str, template: Template, start: int = 0) -> Reading | None:
    """Table 四: the fifteen numbers after its header, or None when there is no header.

    When the numbers after the first header make one group only, the table was published as
    three small tables, each under its own heading (行政复议 / 未经复议直接起诉 / 复议后起诉,
    as Markdown and OCR output give it): each group is then read under its own heading.
    """
    header = None
    for m in _appeal_header().finditer(text, start):
        if re.search(r"维\s*持", m.group()) and re.search(r"总\s*计", m.group()):
            header = m
            break
    if header is None:
        return None
    keys = [f"appeals.{g.key}.{c.key}" for g in template.appeal_groups for c in template.appeal_columns]
    end = header.start() + len(header.group().rstrip())  # the data row's blank cells are not header
    reading = Reading(start=header.start(), end=end)
    found = take_values(text[end : end + 800])
    if len(trim_blanks(found, 15)) <= 5:
        groups = _appeal_groups(text, header.start(), template)
        if groups is not None:
            return groups
    reading.put(keys, resolve(found, APPEAL_SHAPE, "四、行政复议、行政诉讼"))
    return reading


_GROUP_HEADINGS = {
    "review": r"行\s*政\s*复\s*议(?!\s*[、和及]?\s*行\s*政\s*诉\s*讼)",
    "suit_direct": r"(?:未\s*经\s*复\s*议\s*)?直\s*接\s*起\s*诉",
    "suit_after_review": r"复\s*议\s*后\s*起\s*诉",
}
_GROUP_SHAPE = Shape(((5, True),))
_GLUED_ITEM = re.compile(r"[ \t]*(\d{2,})[.．、]")


def _appeal_groups(text: str, start: int, template: Template) -> Reading | None:
    """Table 四 as three small tables: each group's heading, then a header of the five result
    columns, then its five numbers. Every group must be found, in template order, each with a
    header of its own; otherwise None (the single-table reading stands)."""
    reading = Reading(start=start, end=start)
    pos = max(0, start - 120)  # the first group's heading stands just above the first header
    for index, group in enumerate(template.appeal_groups):
        heading = _rx(_GROUP_HEADINGS[group.key]).search(text, pos, pos + 600)
        if heading is None:
            return None
        header = None
        for m in _appeal_header().finditer(text, heading.end(), heading.end() + 300):
            if re.search(r"维\s*持", m.group()) and re.search(r"总\s*计", m.group()):
                header = m
                break
        if header is None:
            return None
        end = header.start() + len(header.group().rstrip())
        found = take_values(text[end : end + 300])
        glued = _GLUED_ITEM.match(text, end)
        if not found and glued and glued.group(1).endswith(str(index + 2)):
            # flat text: the next heading's item number ("2.行政诉讼") ran into this group's digits
            found = take_values(glued.group(1)[: -len(str(index + 2))])
        if len(trim_blanks(found, 5)) > 5:
            return None  # more than one group's numbers: not a small table of its own
        keys = [f"appeals.{group.key}.{c.key}" for c in template.appeal_columns]
        reading.put(keys, resolve(found, _GROUP_SHAPE, f"四、{group.label}"))
        pos = reading.end = end
    return reading
