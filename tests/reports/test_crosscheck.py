"""Cross-year checks over two years' values (pure): X1 carried over, X2 in force, X3 templates."""

from __future__ import annotations

import pytest

from crawler.reports.crosscheck import (
    FAIL,
    FLAG,
    PASS,
    YearReport,
    carried_over,
    check_series,
    in_force,
    only_in,
    template_sequence,
)
from crawler.reports.template import field_keys

COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")


def _requests(carried: dict[str, int], forward: dict[str, int]) -> dict[str, object]:
    out: dict[str, object] = {}
    for c in COLUMNS:
        out[f"requests.carried_over.{c}"] = carried.get(c, 0)
        out[f"requests.carried_forward.{c}"] = forward.get(c, 0)
    return out


def _report(year: int, template: str | None = "2021", **values: object) -> YearReport:
    base = dict.fromkeys(field_keys(template), 0) if template in ("2019", "2021") else {}
    return YearReport(year, template, {**base, **{k.replace("__", "."): v for k, v in values.items()}})


def test_x1_passes_when_this_years_carried_over_is_last_years_carried_forward() -> None:
    before = YearReport(2022, "2021", _requests({}, {"natural_person": 3, "commercial": 1, "total": 4}))
    after = YearReport(2023, "2021", _requests({"natural_person": 3, "commercial": 1, "total": 4}, {}))
    checks = carried_over(before, after)
    assert [c.scope for c in checks] == [f"requests.*.{c}" for c in COLUMNS]
    assert {c.status for c in checks} == {PASS}
    total = checks[-1]
    assert (total.actual, total.expected, total.year, total.previous_year) == (4, 4, 2023, 2022)
    assert [(n.year, n.key, n.value) for n in total.numbers] == [
        (2023, "requests.carried_over.total", 4),
        (2022, "requests.carried_forward.total", 4),
    ]
    assert total.note == "2023 上年结转（总计）4 = 2022 结转下年度继续办理（总计）4"


def test_x1_fails_per_column_that_differs_and_skips_unread_cells() -> None:
    before = YearReport(2022, "2021", _requests({}, {"natural_person": 5, "total": 5}))
    after_values = _requests({"natural_person": 3, "total": 3}, {})
    after_values["requests.carried_over.research"] = None  # blank in the document: nothing to compare
    checks = carried_over(before, YearReport(2023, "2021", after_values))
    by_scope = {c.scope: c for c in checks}
    assert "requests.*.research" not in by_scope
    assert {s for s, c in by_scope.items() if c.status == FAIL} == {"requests.*.natural_person", "requests.*.total"}
    assert by_scope["requests.*.total"].note == "2023 上年结转（总计）3 ≠ 2022 结转下年度继续办理（总计）5"
    assert (by_scope["requests.*.total"].actual, by_scope["requests.*.total"].expected) == (3, 5)


def test_x1_works_across_the_template_switch_and_needs_consecutive_years() -> None:
    before = YearReport(2020, "2019", _requests({}, {"total": 2, "natural_person": 2}))
    after = YearReport(2021, "2021", _requests({"total": 2, "natural_person": 2}, {}))
    assert {c.status for c in carried_over(before, after)} == {PASS}
    gap = YearReport(2022, "2021", after.values)
    assert carried_over(before, gap) == []
    assert carried_over(YearReport(2018, "legacy", {}), YearReport(2019, "2019", after.values)) == []


def test_x2_flags_a_stock_that_does_not_add_up_and_passes_one_that_does() -> None:
    before = _report(2022, active__regulations__in_force=12, active__normative_documents__in_force=40)
    after = _report(
        2023,
        active__regulations__in_force=13, active__regulations__issued=2, active__regulations__repealed=1,
        active__normative_documents__in_force=50, active__normative_documents__issued=6,
        active__normative_documents__repealed=3,
    )
    regs, docs = in_force(before, after)
    assert (regs.scope, regs.status, regs.actual, regs.expected) == ("active.regulations", PASS, 13, 13)
    assert (docs.scope, docs.status, docs.actual, docs.expected) == ("active.normative_documents", FLAG, 50, 43)
    assert docs.note == "2023 行政规范性文件现行有效 50 ≠ 2022 现行有效 40 + 制发 6 − 废止 3 = 43"
    assert {n.key for n in docs.numbers} == {
        "active.normative_documents.in_force", "active.normative_documents.issued",
        "active.normative_documents.repealed",
    }
    assert FAIL not in {c.status for c in in_force(before, after)}  # X2 never fails


def test_x2_needs_the_2021_table_in_both_years() -> None:
    after = _report(2021, active__regulations__in_force=5, active__regulations__issued=1)
    assert in_force(_report(2020, "2019"), after) == []
    unread = in_force(_report(2020), _report(2021, active__regulations__in_force=None))
    assert [c.scope for c in unread] == ["active.normative_documents"]  # the blank row is not compared


def test_only_in_names_the_cells_one_generation_has() -> None:
    assert "active.regulations.in_force" in only_in("2021")
    assert "requests.other_unpaid_fee.total" in only_in("2021")
    assert "active.procurement.projects" in only_in("2019")
    assert not set(only_in("2021")) & set(field_keys("2019"))
    assert only_in("legacy") == ()


@pytest.mark.parametrize(
    ("before", "after", "status", "why"),
    [
        ((2020, "2019"), (2021, "2021"), PASS, "28 of 28 2021-only cells read"),
        ((2021, "2021"), (2022, "2021"), PASS, "same generation"),
        ((2018, "legacy"), (2019, "2019"), PASS, "a newer generation"),
        ((2022, "2019"), (2023, "2019"), PASS, "same generation"),  # a straggler keeping the old form
        ((2019, "2019"), (2020, "2021"), FAIL, "the 2021 template applies from the 2021 reports"),
        ((2017, "legacy"), (2018, "2019"), FAIL, "the 2019 template applies from the 2019 reports"),
        ((2021, "2021"), (2022, "2019"), FLAG, "the template goes back to an older generation"),
        ((2019, "2019"), (2020, "legacy"), FLAG, "the template goes back to an older generation"),
    ],
)
def test_x3_template_sequence(before: tuple[int, str], after: tuple[int, str], status: str, why: str) -> None:
    check = template_sequence(_report(*before), _report(*after))
    assert check is not None
    assert (check.rule, check.scope, check.status) == ("X3", "template", status)
    assert check.note == f"{before[0]} {before[1]} → {after[0]} {after[1]}: {why}"


def test_x3_flags_a_switch_to_2021_the_layout_does_not_show() -> None:
    blank_2021 = {k: None for k in only_in("2021")}
    after = YearReport(2021, "2021", {**_report(2021).values, **blank_2021})
    check = template_sequence(_report(2020, "2019"), after)
    assert check is not None and check.status == FLAG
    assert check.note.endswith("none of the 28 cells only the 2021 template has was read")
    one_cell = YearReport(2021, "2021", {**after.values, "active.regulations.in_force": 0})
    assert template_sequence(_report(2020, "2019"), one_cell).status == PASS  # type: ignore[union-attr]


def test_x3_flags_documents_of_one_version_that_disagree() -> None:
    after = YearReport(2021, "2021", _report(2021).values, other_templates=("2019",))
    check = template_sequence(_report(2020, "2019"), after)
    assert check is not None and check.status == FLAG
    assert check.note.endswith("another document of 2021 was called 2019")
    before = YearReport(2020, "2019", _report(2020, "2019").values, other_templates=("2021",))
    assert template_sequence(before, _report(2021)).note.endswith(  # type: ignore[union-attr]
        "another document of 2020 was called 2021"
    )


def test_x3_needs_both_calls() -> None:
    assert template_sequence(_report(2020, None), _report(2021)) is None
    assert template_sequence(_report(2021), YearReport(2022, None, {})) is None


def test_series_compares_each_year_with_the_one_before_and_x3_skips_prose_years() -> None:
    reports = [
        _report(2021, requests__carried_forward__total=2),
        YearReport(2022, None, {}),  # prose only: nothing to compare, X3 looks past it
        _report(2023, "2019"),
        _report(2019, "2019"),
    ]
    checks = check_series(reports)
    x3 = [(c.previous_year, c.year, c.status) for c in checks if c.rule == "X3"]
    assert x3 == [(2019, 2021, PASS), (2021, 2023, FLAG)]
    assert not [c for c in checks if c.rule in ("X1", "X2")]  # no two consecutive years with tables
    with pytest.raises(ValueError, match="two reports for one year"):
        check_series([_report(2021), _report(2021)])
