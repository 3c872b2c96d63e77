"""Fitting the numbers after a label into a row's cells (crawler.reports.split)."""

from __future__ import annotations

import pytest

from crawler.reports.numbers import parse_number
from crawler.reports.split import Shape, plain, resolve

ROW = Shape(((7, True),))
APPEALS = Shape(((5, True), (5, True), (5, True)))


def nums(*pieces: str | None):
    return [None if p is None else parse_number(p) for p in pieces]


def test_exact_row_is_published() -> None:
    r = resolve(nums("3", "1", "0", "0", "0", "0", "4"), ROW, "row")
    assert r.values == (3, 1, 0, 0, 0, 0, 4)
    assert set(r.sources) == {"published"}
    assert r.warning is None


def test_blank_cells_stay_none_and_extra_blanks_are_trimmed() -> None:
    # the grid's padding is at the end; the blank after the label is the row's first cell
    r = resolve(nums(None, "1", "0", "0", "0", "0", "0", None, None), ROW, "row")
    assert r.values == (None, 1, 0, 0, 0, 0, 0)
    r = resolve(nums(None, None, "1", "0", "0", "0", "0", "0", "1"), ROW, "row")
    assert r.values == (1, 0, 0, 0, 0, 0, 1)


def test_stray_number_after_row_is_dropped_with_warning() -> None:
    r = resolve(nums("0", "0", "0", "0", "0", "0", "0", "1625"), ROW, "四、结转")
    assert r.values == (0,) * 7
    assert r.warning and "kept the first 7" in r.warning


def test_digits_run_together_split_by_row_sum() -> None:
    r = resolve(nums("801000081"), ROW, "一、本年新收")
    assert r.values == (80, 1, 0, 0, 0, 0, 81)
    assert r.sources[0] == "split"


def test_split_respects_whitespace_boundaries_and_leading_zeros() -> None:
    r = resolve(nums("230", "000023"), ROW, "row")
    assert r.values == (23, 0, 0, 0, 0, 0, 23)


def test_ambiguous_split_keeps_only_the_cells_every_reading_agrees_on() -> None:
    r = resolve(nums("220000022"), ROW, "（一）予以公开")
    assert (22, 0, 0, 0, 0, 0, 22) in r.candidates and (2, 20, 0, 0, 0, 0, 22) in r.candidates
    assert r.values == (None, None, 0, 0, 0, 0, 22)
    assert r.sources[:3] == (None, None, "split")
    assert r.warning and "2 readings" in r.warning


CHANGE = plain(3, frozenset({1}))  # 上一年项目数量 | 本年增/减 (signed) | 处理决定数量


def test_sign_belongs_to_the_change_column() -> None:
    assert resolve(nums("1", "-10"), CHANGE, "行政许可").values == (1, -1, 0)
    assert resolve(nums("34", "-10"), CHANGE, "行政处罚").values == (34, -1, 0)


def test_partly_ambiguous_row_keeps_the_certain_cell() -> None:
    r = resolve(nums("8478", "-39767"), CHANGE, "其他对外管理服务事项")
    assert r.values[0] == 8478 and r.values[2] is None


def test_long_appeal_run_is_split_by_group_totals() -> None:
    # 72 64 178 37 351 | 13 4 8 1 26 | 12 1 1 6 20 run together (a city's table 四 in flattened text):
    # the first two groups have one reading each; "1211620" also reads 1|2|1|16|20 and 1|2|11|6|20,
    # so only its total is certain
    r = resolve(nums("72641783735113481261211620"), APPEALS, "四")
    assert r.values == (72, 64, 178, 37, 351, 13, 4, 8, 1, 26, None, None, None, None, 20)


def test_ambiguous_split_without_sums_is_blank() -> None:
    r = resolve(nums("898989"), plain(3), "规范性文件")
    assert r.values == (None, None, None)
    assert r.warning and "left blank" in r.warning


def test_zeros_split_uniquely_without_sums() -> None:
    assert resolve(nums("000"), plain(3), "规章").values == (0, 0, 0)


def test_appeal_row_of_single_digits() -> None:
    r = resolve(nums("110024001510102"), APPEALS, "四")
    assert r.values == (1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2)


def test_one_lost_cell_all_zero_is_certain() -> None:
    r = resolve(nums("0", "0", "0", "0", "0", "0"), ROW, "1.属于国家秘密")
    assert r.values == (0,) * 7
    assert set(r.sources) == {"repaired"}


def test_one_lost_cell_only_the_blank_total_fits() -> None:
    # 3 + 0*5 cannot total 0, so the lost cell must be the (blank) total
    r = resolve(nums("3", "0", "0", "0", "0", "0"), ROW, "row")
    assert r.values == (3, 0, 0, 0, 0, 0, 3)


def test_one_lost_cell_ambiguous_is_blank() -> None:
    r = resolve(nums("2", "1", "0", "0", "0", "3"), ROW, "row")
    # lost total (2+1+0+0+0+3=6) or lost part (2+1+0+0+0+x=3 -> x=0) both fit
    assert r.values == (None,) * 7
    assert r.warning and "left blank" in r.warning


@pytest.mark.parametrize("raw", ["+1036", "-1", "347.92万元", "1,234", "２５１０００元"])
def test_number_forms(raw: str) -> None:
    n = parse_number(raw)
    assert n is not None
    assert (
        n.value
        == {"+1036": 1036, "-1": -1, "347.92万元": 347.92, "1,234": 1234, "２５１０００元": 251000}[raw]
    )
