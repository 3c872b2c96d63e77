"""crawler.documents.normalize: whitespace and the CJK line-joining rule."""

from crawler.documents.normalize import clean, clean_lines, join_parts, squeeze_cjk_spaces


def test_clean_collapses_every_kind_of_space():
    assert clean("\u3000\u3000一、\xa0 总体\t情况\u200b ") == "一、 总体 情况"


def test_vertical_label_lines_join_without_spaces():
    assert clean_lines("三\n、\n本\n年\n度") == "三、本年度"


def test_line_break_next_to_latin_or_digits_is_a_space():
    assert clean_lines("2011\n年度") == "2011 年度"
    assert clean_lines("结果\n维持") == "结果维持"


def test_join_parts_skips_empty_and_applies_rule():
    assert join_parts(["计量", "", "单位"]) == "计量单位"
    assert (
        join_parts(["（二）部分公开（区分处理的，只", "计这一情形）"])
        == "（二）部分公开（区分处理的，只计这一情形）"
    )
    assert join_parts(["Total", "12"]) == "Total 12"


def test_ocr_spacing_removed_between_cjk_only():
    assert squeeze_cjk_spaces("本 年 新 收 12 件") == "本年新收 12 件"
