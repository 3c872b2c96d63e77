"""sitefarm.content: generated values obey the template arithmetic, renders are well-formed documents
with the template's real spans, and expectations follow what each rendering keeps."""

from __future__ import annotations

import io
import json
import random
import zipfile
from importlib.resources import files

import pytest
from docx import Document
from lxml import html as lxml_html
from openpyxl import load_workbook

from crawler.reports.template import RESULT_ROWS, field_keys
from sitefarm.content import (
    STYLES,
    ReportSpec,
    expected_values,
    generate_report,
    known_report_names,
    known_reports,
    render,
    rule_failures,
    template_for_year,
)
from sitefarm.content.known import agency_from_title

AGENCY = "示范市交通运输局"


def _spec(seed: int, year: int = 2023, **kw: object) -> ReportSpec:
    return generate_report(random.Random(seed), AGENCY, year, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("scale", ["department", "city"])
def test_generated_values_satisfy_every_rule(template: str, scale: str) -> None:
    for seed in range(40):
        spec = _spec(seed, template=template, scale=scale)
        assert list(spec.values) == list(field_keys(template))
        assert rule_failures(template, spec.values) == []
        assert spec.consistent
        for key, v in spec.values.items():
            if key == "active.procurement.amount_unit":
                assert v in (None, "万元", "元")
            elif key.endswith("items_change"):
                assert isinstance(v, int)
            elif key.endswith(("amount", "amount_wan_yuan")):
                assert isinstance(v, int | float) and v >= 0
            else:
                assert isinstance(v, int) and v >= 0, key


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_broken_reports_fail_exactly_one_rule(template: str) -> None:
    seen = set()
    for seed in range(60):
        spec = _spec(seed, template=template, broken=True)
        rules = {rule for rule, _ in rule_failures(template, spec.values)}
        assert len(rules) == 1, (seed, rules)
        assert not spec.consistent
        assert all(
            isinstance(v, int) and v >= 0
            for k, v in spec.values.items()
            if k.startswith(("requests", "appeals"))
        )
        seen |= rules
    assert seen == {"R1", "R2", "R3", "R4"}


def test_generation_is_deterministic() -> None:
    assert _spec(7) == _spec(7)
    assert _spec(7).values != _spec(8).values
    assert render(_spec(7), "docx") == render(_spec(7), "docx")
    assert render(_spec(7), "xlsx", style="split") == render(_spec(7), "xlsx", style="split")


@pytest.mark.parametrize(
    ("year", "template"),
    [(2011, "legacy"), (2016, "legacy"), (2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")],
)
def test_template_follows_the_year(year: int, template: str) -> None:
    assert template_for_year(year) == template
    spec = _spec(1, year)
    assert spec.template == template and str(year) in spec.title and AGENCY in spec.title


def test_a_straggler_keeps_the_old_template() -> None:
    spec = _spec(3, 2022, template="2019")
    assert spec.template == "2019" and "active.procurement.amount" in spec.values


def test_departments_are_mostly_zero_and_cities_are_not() -> None:
    dept = [_spec(s, scale="department") for s in range(30)]
    zeros = sum(v == 0 for s in dept for v in s.values.values()) / sum(len(s.values) for s in dept)
    assert zeros > 0.8
    city = [_spec(s, scale="city") for s in range(10)]
    assert all(int(s.values["requests.new_received.total"]) >= 150 for s in city)
    assert any(isinstance(s.values["active.fees.amount_wan_yuan"], float) for s in city)


def test_legacy_reports_carry_label_rows() -> None:
    old, national = _spec(2, 2011), _spec(2, 2016)
    rows = old.legacy_rows
    assert old.values == {} and rows["主动公开信息数"] == (rows["网站公开"] or 0) + (
        rows["政府公报公开"] or 0
    )
    assert "收到申请数" in national.legacy_rows
    page = lxml_html.fromstring(render(old, "html").decode()).text_content()
    assert "指标名称" in page and "历年累计" in page and "2011年度" in page
    assert "统计指标" in lxml_html.fromstring(render(national, "html").decode()).text_content()


# --- HTML --------------------------------------------------------------------------------------


def _grid(table: lxml_html.HtmlElement) -> list[list[str | None]]:
    """An independent rowspan/colspan expansion; covered slots are None."""
    rows = table.xpath("./tbody/tr|./tr")
    width = max(sum(int(td.get("colspan", 1)) for td in tr.xpath("./td|./th")) for tr in rows)
    out: list[list[str | bool | None]] = [[False] * width for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.xpath("./td|./th"):
            while out[r][c] is not False:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    out[r + dr][c + dc] = None
            out[r][c] = td.text_content().replace("\xa0", "").strip()
            c += cs
    return out  # type: ignore[return-value]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_html_tables_have_the_template_spans(template: str) -> None:
    spec = _spec(11, template=template, scale="city")
    doc = lxml_html.fromstring(render(spec, "html-gbk").decode("gbk"))
    assert doc.xpath("//meta[@http-equiv='Content-Type']/@content") == ["text/html; charset=gbk"]
    tables = doc.xpath("//table")
    assert len(tables) == 3
    three = tables[1]
    note = three.xpath(".//td[contains(., '勾稽关系')]")[0]
    assert (note.get("rowspan"), note.get("colspan")) == ("3", "3")
    result = three.xpath(".//td[contains(., '三、本年度办理结果')]")[0]
    assert result.get("rowspan") == str(len(RESULT_ROWS[template]) + 1)
    assert three.xpath(".//td[contains(., '（三）不予公开')]")[0].get("rowspan") == "8"
    grid = _grid(three)
    assert len(grid[0]) == 10 and grid[3][0] == "一、本年新收政府信息公开申请数量"
    assert grid[3][3:] == [
        str(spec.values[f"requests.new_received.{c}"])
        for c in (
            "natural_person",
            "commercial",
            "research",
            "social_welfare",
            "legal_services",
            "other_org",
            "total",
        )
    ]
    last = grid[-1]
    assert last[0] == "四、结转下年度继续办理" and last[9] == str(
        spec.values["requests.carried_forward.total"]
    )
    four = _grid(tables[2])
    assert len(four) == 4 and four[3][4] == str(spec.values["appeals.review.total"])


def test_word_html_splits_numbers_over_spans_and_breaks_headers() -> None:
    spec = _spec(11, template="2019", scale="city")
    page = render(spec, "html").decode()
    doc = lxml_html.fromstring(page)
    split_numbers = [
        td
        for td in doc.xpath("//td")
        if td.text_content().strip().isdigit()
        and len(td.xpath(".//span[string-length(normalize-space(.))>0]")) > 1
    ]
    assert split_numbers
    header = doc.xpath("//td[contains(., '制作数量')]")[0]
    assert header.text_content().replace("\xa0", "").strip() == "本年新制作数量" and header.xpath(".//br")
    clean = render(spec, "html", style="clean").decode()
    assert "<span" not in clean and 'rowspan="8"' in clean


def test_split_style_publishes_table_two_block_by_block() -> None:
    for template, blocks in (("2019", 5), ("2021", 4)):
        doc = lxml_html.fromstring(render(_spec(5, template=template), "body", style="split").decode())
        assert len(doc.xpath("//table")) == blocks + 2


def test_blank_total_and_sparse_blank_cells_and_expect_none() -> None:
    spec = _spec(4, template="2019", scale="city")
    grid = _grid(lxml_html.fromstring(render(spec, "body", style="blank-total").decode()).xpath("//table")[1])
    assert grid[5][9] == "" and grid[3][9] == str(spec.values["requests.new_received.total"])
    exp = expected_values(spec, "html", "blank-total")
    assert exp["requests.granted.total"] is None and exp["requests.total_handled.total"] is not None
    dept = next(
        s
        for s in (_spec(i, template="2021") for i in range(50))
        if s.values["requests.new_received.research"] == 0 and s.values["appeals.review.total"] == 0
    )
    sparse = expected_values(dept, "docx", "sparse")
    assert sparse["requests.granted.research"] is None and sparse["appeals.review.upheld"] is None
    assert sparse["requests.granted.natural_person"] == dept.values["requests.granted.natural_person"]
    assert expected_values(dept, "docx", "word") == dict(dept.values)


def test_flat_text_expects_none_only_where_digits_are_ambiguous() -> None:
    spec = next(s for s in known_reports() if s.agency == "平潭综合实验区" and s.year == 2023)
    exp = expected_values(spec, "txt-flat", "word")
    assert exp["active.normative_documents.issued"] is None  # '77132470' has several readings
    assert exp["requests.new_received.natural_person"] == 80  # '801000081': only 80|1|0|0|0|0|81 sums
    assert exp["appeals.suit_direct.total"] == 5  # 15 digits for 15 cells
    assert exp["active.licensing.decisions"] == 2629  # alone in its row
    text = render(spec, "txt-flat").decode()
    assert text.startswith(f"标题: {spec.title}\n") and "行政规范性文件77132470" in text


# --- DOCX, XLSX, text ---------------------------------------------------------------------------


def test_docx_has_merged_cells_and_values() -> None:
    spec = _spec(11, template="2021", scale="city")
    data = render(spec, "docx")
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == 3 and doc.paragraphs[0].text == spec.title
    three = doc.tables[1]
    assert three.cell(3, 0).text == "一、本年新收政府信息公开申请数量"
    assert three.cell(3, 9).text == str(spec.values["requests.new_received.total"])
    assert three.cell(5, 0).text == "三、本年度办理结果" and three.cell(20, 0).text == "三、本年度办理结果"
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert '<w:gridSpan w:val="3"/>' in xml and '<w:vMerge w:val="restart"/>' in xml
    assert 'w:eastAsia="宋体"' in xml


def test_xlsx_has_title_merges_and_numbers() -> None:
    spec = _spec(11, template="2019", scale="city")
    wb = load_workbook(io.BytesIO(render(spec, "xlsx")))
    ws = wb.worksheets[0]
    assert ws["A1"].value == spec.title
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    top = next(r for (r, c), v in cells.items() if isinstance(v, str) and "勾稽" in v)
    assert any(str(m) == f"A{top}:C{top + 2}" for m in ws.merged_cells.ranges)
    assert cells[(top + 3, 10)] == spec.values["requests.new_received.total"]
    split = load_workbook(io.BytesIO(render(spec, "xlsx", style="split")))
    assert len(split.worksheets) == 7


def test_text_renderings_follow_the_extractors() -> None:
    spec = next(s for s in known_reports() if s.agency == "市商务局")
    tabbed = render(spec, "txt").decode()
    assert "行政许可\t1\t-1\t0" in tabbed and "政府集中采购\t2\t347.92" in tabbed
    cells = render(spec, "txt-cells").decode()
    assert "\t三、本年度办理结果\n\t（一）予以公开\n\t0\n" in cells
    assert "\n\t\n\t（二）部分公开" in cells  # the slot under the rowspan is an empty cell


# --- known reports ------------------------------------------------------------------------------


def test_known_reports_match_their_expected_files() -> None:
    names = known_report_names()
    specs = known_reports()
    assert len(names) == len(specs) == 13 and names[0].startswith("seeds/000_")
    root = files("sitefarm.content").joinpath("data")
    for name, spec in zip(names, specs, strict=True):
        doc = json.loads(root.joinpath(f"{name}.expected.json").read_text(encoding="utf-8"))
        assert (spec.year, spec.template, spec.title) == (doc["year"], doc["template"], doc["title"])
        assert dict(spec.values) == doc.get("values", {})
        assert any(p.startswith("五、") for p in spec.prose) or spec.template == "legacy"
    hongze = specs[names.index("realdata/hongze-district-gov-2023")]
    assert not hongze.consistent  # table 四 as printed: 10|1|0|0| 总计 0
    assert specs[names.index("realdata/huaian-city-gov-2024")].consistent


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府"),
        ("市商务局 2020 年政府信息公开年度报告", "市商务局"),
        ("2024年上海市科委政府信息公开工作年度报告", "上海市科委"),
        ("平潭综合实验区2019年度政府信息公开工作年度报告", "平潭综合实验区"),
    ],
)
def test_agency_from_title(title: str, agency: str) -> None:
    assert agency_from_title(title) == agency


def test_every_style_renders_every_fast_format() -> None:
    spec = _spec(21, template="2019")
    for style in STYLES:
        for fmt in ("html", "html-gbk", "body", "docx", "xlsx", "txt", "txt-cells", "txt-flat"):
            assert len(render(spec, fmt, style=style)) > 1000, (fmt, style)
    with pytest.raises(ValueError, match="format 'rtf'"):
        render(spec, "rtf")
    with pytest.raises(ValueError, match="style 'fancy'"):
        render(spec, "html", style="fancy")


def test_the_procurement_unit_is_printed_exactly_when_the_spec_has_one() -> None:
    units = set()
    for seed in range(40):
        spec = _spec(seed, 2020)
        unit = spec.values["active.procurement.amount_unit"]
        text = render(spec, "txt", style="word").decode()
        block = text[text.index("第二十条第（九）项") : text.index("三、收到")]
        assert (unit in block) if unit else ("元" not in block), (seed, unit, block)
        units.add(unit)
    assert units == {None, "万元", "元"}
