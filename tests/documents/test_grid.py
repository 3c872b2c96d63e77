"""crawler.documents.grid: spanning cells to rectangular grids."""

from crawler.documents.grid import SpanCell, apply_merges, build_grid, pad_rows


def test_rowspan_and_colspan_leave_none_in_covered_slots():
    table = build_grid(
        [
            [SpanCell("a", rowspan=2), SpanCell("b", colspan=2)],
            [SpanCell("c"), SpanCell("")],
            [SpanCell("d")],
        ]
    )
    assert table.rows == (("a", "b", None), (None, "c", ""), ("d", "", ""))


def test_rowspan_past_the_last_row_is_cut():
    table = build_grid([[SpanCell("a", rowspan=9), SpanCell("b")], [SpanCell("c")]])
    assert table.rows == (("a", "b"), (None, "c"))


def test_absurd_colspan_is_capped():
    table = build_grid([[SpanCell("a", colspan=10**6)]])
    assert len(table.rows[0]) == 200


def test_pad_and_merges():
    assert pad_rows([["a"], ["b", "c"]]).rows == (("a", ""), ("b", "c"))
    merged = apply_merges([["x", "", ""], ["", "", "y"]], [(0, 1, 0, 1)])
    assert merged.rows == (("x", None, ""), (None, None, "y"))
