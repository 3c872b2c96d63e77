"""Checks across two years of one agency's reports: what one year hands on to the next.

X1  table 三, every column: this year's 二、上年结转 = last year's 四、结转下年度继续办理. An
    application still open on 31 December is the next report's carried-over one, so a
    difference means one of the two reports (or our reading of it) is wrong: a failure.
X2  table 二 (2021 template), 规章 and 行政规范性文件: 现行有效件数 = last year's 现行有效件数 +
    本年制发件数 − 本年废止件数. Only a flag, never a failure: agencies restate their stock
    (清理 campaigns, documents expiring without a 废止 decision, a new 统计口径).
X3  the template sequence. Generations only move forward (pre-2019 统计指标 → 〔2019〕60号 →
    〔2021〕30号), and a generation cannot be used before it was issued: the 2019 template
    applies from the 2019 reports, the 2021 one from the 2021 reports. What the store can show
    about a call is the template read from the tables' own headers, the calls of the version's
    other documents (HTML body and attachments), and which cells were read — a cell only the
    called template has (2021: 本年制发件数/本年废止件数/现行有效件数, 本年收费金额, the three rows
    of 三（六）其他处理; 2019: 本年新制作数量…, 上一年项目数量, 政府集中采购, 三（六）其他) is there
    only when its header was found. For each report and the agency's nearest earlier report:

    - fail: the later report's template did not exist in its year (a 2021-template 2020
      report): the call or the year is wrong;
    - flag: the template goes back (2021 → 2019, 2019 → legacy): one call may be wrong, or the
      agency reused an old form;
    - flag: a 2021-template year after a 2019-template year where the layout says otherwise —
      none of the 2021-only cells was read (the call rests on the year breaking a tie), or
      another document of the same version was called 2019;
    - pass: everything else.

Pure: two years' values in, checks out; the store (:mod:`storage.crosscheck`) picks the
reports and keeps the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from crawler.reports.template import REQUEST_COLUMNS, field_keys

PASS, FAIL, FLAG = "pass", "fail", "flag"

GENERATIONS = {"legacy": 0, "2019": 1, "2021": 2}
"""Template generations in the order they were issued."""

FIRST_YEAR = {"2019": 2019, "2021": 2021}
"""The first report year each template applies to (国办公开办函〔2019〕60号, 〔2021〕30号)."""

IN_FORCE_ROWS = {"regulations": "规章", "normative_documents": "行政规范性文件"}
"""Rows of the 2021 table 二 with 本年制发件数, 本年废止件数 and 现行有效件数 (X2)."""

Num = int | float


@dataclass(frozen=True)
class YearReport:
    """One year of one agency's report, as the cross-year checks need it."""

    year: int
    """The year the report covers."""
    template: str | None
    """Template of the document the values come from (2019, 2021, legacy or None)."""
    values: Mapping[str, object]
    """The version's values (fields.tsv key → number, text or None)."""
    other_templates: tuple[str, ...] = ()
    """Template calls of the version's other documents (None calls left out)."""


@dataclass(frozen=True)
class Number:
    """One number a check used."""

    year: int
    key: str
    value: Num | None


@dataclass(frozen=True)
class CrossCheck:
    """One cross-year check over the reports of ``previous_year`` and ``year``."""

    rule: str
    """X1, X2 or X3."""
    scope: str
    """``requests.*.<column>`` (X1), ``active.<row>`` (X2) or ``template`` (X3)."""
    status: str
    """pass, fail or flag."""
    year: int
    """The later year: the report whose numbers are checked."""
    previous_year: int
    """The earlier year compared with."""
    actual: Num | None
    """The later year's number (None for X3)."""
    expected: Num | None
    """What the earlier year's numbers make it (None for X3)."""
    numbers: tuple[Number, ...]
    """Every number involved."""
    note: str
    """The check in one line, in words."""


def _num(v: object) -> Num | None:
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def _clean(x: float) -> Num:
    return int(x) if float(x).is_integer() else round(x, 6)


def _show(x: Num | None) -> str:
    return "—" if x is None else str(_clean(x))


def carried_over(before: YearReport, after: YearReport) -> list[CrossCheck]:
    """X1 for each column of table 三 both years have read (consecutive years only)."""
    if after.year != before.year + 1:
        return []
    out = []
    for column in REQUEST_COLUMNS:
        now_key, then_key = f"requests.carried_over.{column.key}", f"requests.carried_forward.{column.key}"
        now, then = _num(after.values.get(now_key)), _num(before.values.get(then_key))
        if now is None or then is None:
            continue
        ok = abs(now - then) < 1e-6
        sign = "=" if ok else "≠"
        out.append(CrossCheck(
            "X1", f"requests.*.{column.key}", PASS if ok else FAIL, after.year, before.year, _clean(now),
            _clean(then), (Number(after.year, now_key, _clean(now)), Number(before.year, then_key, _clean(then))),
            f"{after.year} 上年结转（{column.label}）{_show(now)} {sign} "
            f"{before.year} 结转下年度继续办理（{column.label}）{_show(then)}",
        ))
    return out


def in_force(before: YearReport, after: YearReport) -> list[CrossCheck]:
    """X2 for each row of the 2021 table 二 both years have read (consecutive years only)."""
    if after.year != before.year + 1:
        return []
    out = []
    for row, label in IN_FORCE_ROWS.items():
        keys = [f"active.{row}.{c}" for c in ("in_force", "issued", "repealed")]
        now, issued, repealed = (_num(after.values.get(k)) for k in keys)
        then = _num(before.values.get(keys[0]))
        if now is None or issued is None or repealed is None or then is None:
            continue
        expected = _clean(then + issued - repealed)
        ok = abs(now - expected) < 1e-6
        numbers = (
            Number(after.year, keys[0], _clean(now)),
            Number(before.year, keys[0], _clean(then)),
            Number(after.year, keys[1], _clean(issued)),
            Number(after.year, keys[2], _clean(repealed)),
        )
        out.append(CrossCheck(
            "X2", f"active.{row}", PASS if ok else FLAG, after.year, before.year, _clean(now), expected, numbers,
            f"{after.year} {label}现行有效 {_show(now)} {'=' if ok else '≠'} {before.year} 现行有效 {_show(then)}"
            f" + 制发 {_show(issued)} − 废止 {_show(repealed)} = {_show(expected)}",
        ))
    return out


@cache
def only_in(template: str) -> tuple[str, ...]:
    """Field keys of ``template`` that the other generation (2019 vs 2021) does not have."""
    other = {"2019": "2021", "2021": "2019"}.get(template)
    if other is None:
        return ()
    theirs = set(field_keys(other))
    return tuple(k for k in field_keys(template) if k not in theirs)


def template_sequence(before: YearReport, after: YearReport) -> CrossCheck | None:
    """X3 over two of an agency's reports, ``before`` earlier; None when a call is missing."""
    t0, t1 = before.template, after.template
    if t0 not in GENERATIONS or t1 not in GENERATIONS or before.year >= after.year:
        return None
    assert t0 is not None and t1 is not None

    def result(status: str, why: str) -> CrossCheck:
        return CrossCheck("X3", "template", status, after.year, before.year, None, None, (),
                          f"{before.year} {t0} → {after.year} {t1}: {why}")

    first = FIRST_YEAR.get(t1)
    if first is not None and after.year < first:
        return result(FAIL, f"the {t1} template applies from the {first} reports")
    if GENERATIONS[t1] < GENERATIONS[t0]:
        return result(FLAG, "the template goes back to an older generation")
    if (t0, t1) == ("2019", "2021"):
        distinctive = only_in("2021")
        read = sum(1 for k in distinctive if _num(after.values.get(k)) is not None)
        if not read:
            return result(FLAG, f"none of the {len(distinctive)} cells only the 2021 template has was read")
        disagree = [(y, t) for y, r, t in ((before.year, before, "2021"), (after.year, after, "2019"))
                    if t in r.other_templates]
        if disagree:
            said = "; ".join(f"another document of {y} was called {t}" for y, t in disagree)
            return result(FLAG, said)
        return result(PASS, f"{read} of {len(distinctive)} 2021-only cells read")
    return result(PASS, "same generation" if t0 == t1 else "a newer generation")


def check_pair(before: YearReport, after: YearReport) -> list[CrossCheck]:
    """Every cross-year check over two of an agency's reports (``before`` the earlier one)."""
    out = carried_over(before, after) + in_force(before, after)
    x3 = template_sequence(before, after)
    return [*out, x3] if x3 is not None else out


def check_series(reports: Sequence[YearReport]) -> list[CrossCheck]:
    """The checks of each of an agency's reports against its earlier ones, oldest first.

    X1 and X2 compare with the year right before; X3 with the nearest earlier report that has a
    template (a prose-only year in between is skipped). Two reports of one year (not possible
    for one agency and variant) raise ValueError.
    """
    ordered = sorted(reports, key=lambda r: r.year)
    years = [r.year for r in ordered]
    if len(set(years)) != len(years):
        raise ValueError(f"check_series: two reports for one year among {years}")
    out: list[CrossCheck] = []
    called: YearReport | None = None
    for i, after in enumerate(ordered):
        if i:
            out += carried_over(ordered[i - 1], after) + in_force(ordered[i - 1], after)
        if called is not None:
            x3 = template_sequence(called, after)
            if x3 is not None:
                out.append(x3)
        if after.template in GENERATIONS:
            called = after
    return out
