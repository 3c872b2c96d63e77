"""The official tables redrawn from values, and the server-drawn charts (pure functions)."""

from __future__ import annotations

from crawler.reports.template import TEMPLATES
from crawler.web.charts import line_chart
from crawler.web.tables import field_labels, label_of, official_tables


def test_every_template_key_lands_in_exactly_one_cell() -> None:
    for name, template in TEMPLATES.items():
        cells = [c.key for t in official_tables(name, {}, {}) for c in t.cells()]
        assert len(cells) == len(set(cells))
        numeric = [k for k in template.keys() if not k.endswith("amount_unit")]  # noqa: SIM118 - a method
        assert sorted(cells) == sorted(numeric), name


def test_cells_carry_value_source_and_failure() -> None:
    key = "requests.granted.total"
    tables = official_tables("2021", {key: 7.0, "requests.granted.natural_person": None},
                             {key: "repaired"}, failed_cells=[key])
    cells = {c.key: c for t in tables for c in t.cells()}
    assert cells[key].value == 7 and isinstance(cells[key].value, int)
    assert cells[key].source == "repaired" and cells[key].failed
    blank = cells["requests.granted.natural_person"]
    assert blank.value is None and blank.source is None and not blank.failed
    assert [t.title for t in tables] == [
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    ]
    assert official_tables("legacy", {}, {}) == [] and official_tables(None, {}, {}) == []


def test_labels_come_from_fields_tsv() -> None:
    assert field_labels()[("2021", "appeals.review.upheld")].column == "结果维持"
    assert label_of("requests.new_received.total") == "一、本年新收政府信息公开申请数量 · 总计"
    assert label_of("no.such.key") == "no.such.key"


def test_line_chart_skips_blanks_and_scales_into_the_box() -> None:
    c = line_chart([2021, 2022, 2023], [10, None, 30], width=200, height=100, pad=20)
    assert len(c.points) == 2 and [p[2] for p in c.points] == ["2021", "2023"]
    (x1, y1, _, _), (x2, y2, _, _) = c.points
    assert x1 == 20 and x2 == 180 and y2 == 20 and y1 > y2
    assert all(20 <= y <= 80 for y, _ in c.y_ticks)
    assert line_chart([2023], ["n/a"]).points == []
