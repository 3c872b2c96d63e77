"""Property-based fuzzing (hypothesis) of the pure text-level pieces and of the whole parser on
generated HTML and text.

Each property says what must hold for *any* input, not one sample: a number printed in any of
the ways reports print it reads back; grids are rectangular whatever the spans; the row
splitter returns exactly the row's cells or a blank; and ``parse_report`` on generated pages and
text ends in a ParseResult or a DocumentError, nothing else. CI runs a few dozen examples each;
``python fuzz/run.py --properties N`` runs N (``NIANBAO_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.documents import DocumentError, read_document
from crawler.documents.grid import MAX_SPAN, SpanCell, apply_merges, build_grid
from crawler.documents.model import Block, Document, Table
from crawler.documents.text import text_blocks
from crawler.reports import ParseResult, parse_document, parse_report
from crawler.reports.numbers import UNIT_RE, Num, normalise, parse_number
from crawler.reports.split import Shape, plain, resolve
from crawler.reports.stream import items, linearize, runs, take_values
from crawler.reports.template import TEMPLATES, field_keys

EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_LABELS = [r.label for t in TEMPLATES.values() for r in t.request_rows] + [
    r.label for t in TEMPLATES.values() for b in t.active for r in b.rows]
_WORDS = ["政府信息公开工作年度报告", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "其中：", "总计",
          "自然人", "商业企业", "行政复议", "行政诉讼", "维持", "纠正", "（一）", "二、", "第二十条", "件", "条", "万元",
          "2019年", "2023年度", "示范市人民政府办公室", "—", "/", "无", "合计", " ", "\u3000", "１２３"]
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
cjk_text = st.lists(st.one_of(st.sampled_from(_WORDS + _LABELS), st.integers(0, 10**7).map(str),
                              st.text(max_size=6)), max_size=40).map("".join)
cell_text = st.one_of(st.sampled_from(_WORDS + _LABELS), st.integers(-50, 10**6).map(str),
                      st.sampled_from(["", "", "0", "—", "/", "12 34", "3,456", "１５"]), st.text(max_size=8))


@FUZZ
@given(st.integers(0, 10**12), st.booleans(), st.booleans(), st.sampled_from(["", *UNIT_RE.split("|")]),
       st.sampled_from(["", " ", "\u3000", "\xa0"]))
def test_a_printed_count_reads_back(n: int, commas: bool, fullwidth: bool, unit: str, pad: str) -> None:
    printed = f"{n:,}" if commas else str(n)
    if fullwidth:
        printed = printed.translate(_FULLWIDTH).replace(",", "，")
    num = parse_number(pad + printed + unit + pad)
    assert num is not None and num.value == n and num.unit == (unit or None)


@FUZZ
@given(st.text(max_size=60))
def test_parse_number_takes_any_text(text: str) -> None:
    num = parse_number(text)
    assert num is None or isinstance(num.value, int | float)
    assert normalise(normalise(text)) == normalise(text)


@FUZZ
@given(st.lists(st.lists(st.tuples(cell_text, st.integers(-3, 10**6), st.integers(-3, 10**6)), max_size=6),
                max_size=8))
def test_any_spans_give_a_bounded_rectangular_grid(spec: list[list[tuple[str, int, int]]]) -> None:
    rows = [[SpanCell(t, r, c) for t, r, c in row] for row in spec]
    grid = build_grid(rows).rows
    assert len(grid) == len(rows)
    assert len({len(r) for r in grid}) <= 1
    cells = sum(len(row) for row in rows)
    assert all(len(r) <= MAX_SPAN * cells for r in grid)  # spans are capped: no huge allocation
    texts = [c for r in grid for c in r if c]
    assert sorted(texts) == sorted(t for row in spec for t, _, _ in row if t)


@FUZZ
@given(st.lists(st.lists(cell_text, min_size=1, max_size=6), min_size=1, max_size=6),
       st.lists(st.tuples(*[st.integers(0, 9)] * 4), max_size=4))
def test_merges_beyond_the_sheet_never_fail(values: list[list[str]], merges: list[tuple[int, ...]]) -> None:
    ranges = [(min(a, b), max(a, b), min(c, d), max(c, d)) for a, b, c, d in merges]
    table = apply_merges(values, ranges)
    assert len(table.rows) == len(values) and len({len(r) for r in table.rows}) == 1


@FUZZ
@given(st.lists(st.one_of(cjk_text, st.lists(cell_text, max_size=8).map("\t".join),
                          st.lists(cell_text, max_size=6).map(lambda c: "|" + "|".join(c) + "|"),
                          st.sampled_from(["|---|---|", "\t", "", "# 二、收到和处理政府信息公开申请情况"])),
                max_size=30).map("\n".join))
def test_text_reader_and_stream_take_any_text(text: str) -> None:
    blocks = text_blocks(text)
    for block in blocks:
        assert (block.text is None) != (block.table is None)
        if block.table is not None:
            assert len({len(r) for r in block.table.rows}) == 1
    line = linearize(Document("t.txt", "text", tuple(blocks)))
    assert list(items(line)) is not None
    assert all(v is None or isinstance(v, Num) for v in take_values(line))
    assert all(any(v is not None for v in run) for run in runs(line))


@FUZZ
@given(st.lists(st.one_of(st.none(), st.integers(0, 10**9).map(lambda n: Num(n, str(n)))), max_size=12),
       st.lists(st.tuples(st.integers(1, 7), st.booleans()), min_size=1, max_size=3))
def test_resolve_fills_exactly_the_row_or_blanks_it(found: list[Num | None], groups: list[tuple[int, bool]]) -> None:
    for shape in (Shape(tuple(groups)), plain(sum(n for n, _ in groups))):
        got = resolve(found, shape, "行")
        assert len(got.values) == shape.size and len(got.sources) == shape.size
        assert all(v is None or v >= 0 for v in got.values)
        if any(s in ("split", "repaired") for s in got.sources) and None not in got.values:
            assert shape.holds(got.values)  # a cell the arithmetic chose satisfies it


def _document(draw: st.DrawFn) -> Document:
    blocks: list[Block] = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            blocks.append(Block(text=draw(cjk_text)))
        else:
            width = draw(st.integers(1, 9))
            rows = draw(st.lists(st.lists(st.one_of(st.none(), cell_text), min_size=width, max_size=width),
                                 min_size=1, max_size=10))
            blocks.append(Block(table=Table(tuple(tuple(r) for r in rows))))
    return Document("gen.html", "html", tuple(blocks), title=draw(st.one_of(st.none(), cjk_text)))


@FUZZ
@given(st.composite(_document)())
def test_the_mapper_takes_any_document(doc: Document) -> None:
    result = parse_document(doc)
    assert result.template in (None, "2019", "2021", "legacy")
    if result.template in TEMPLATES:
        assert set(result.values) == set(field_keys(result.template))
    assert set(result.sources) <= {k for k, v in result.values.items() if v is not None}
    assert set(result.sources.values()) <= {"published", "split", "stated", "repaired"}
    result.to_json()


_TAGS = ["div", "p", "span", "font", "td", "tr", "table", "tbody", "b", "br", "script", "style", "li"]


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """Real-shaped and broken pages: a CMS body with tables (any spans), stray and unclosed tags,
    nesting, entities, meta tags and a declared charset that may lie."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            parts.append(f"<p>{draw(cjk_text)}</p>")
        elif kind == 1:
            rows = draw(st.lists(st.lists(st.tuples(cell_text, st.sampled_from(["", "2", "7", "0", "1000000", "x"]),
                                                    st.sampled_from(["", "3", "-1", "999999"])), max_size=8),
                                 max_size=8))
            parts.append("<table>" + "".join(
                "<tr>" + "".join(f'<td rowspan="{r}" colspan="{c}">{t}</td>' for t, r, c in row) + "</tr>"
                for row in rows) + "</table>")
        elif kind == 2:
            tag = draw(st.sampled_from(_TAGS))
            parts.append(f"<{tag}>" * draw(st.integers(1, 300)) + draw(cjk_text))
        elif kind == 3:
            parts.append(draw(st.sampled_from(["&nbsp;", "&#0;", "&#x110000;", "<!--", "]]>", "<![CDATA[",
                                               "</div></div>", "<td>", "\x00", "&amp;lt;"])))
        else:
            parts.append(draw(cjk_text))
    charset = draw(st.sampled_from(["utf-8", "gbk", "gb2312", "big5", "nonsense", ""]))
    page = (f'<html><head><meta charset="{charset}"><title>{draw(cjk_text)}</title>'
            f'<meta name="ArticleTitle" content="{draw(cjk_text)}"></head>'
            f'<body><div class="{draw(st.sampled_from(["trs_editor", "zoom", "content", "x"]))}">'
            + "".join(parts) + "</div></body></html>")
    return page.encode(draw(st.sampled_from(["utf-8", "gb18030"])), errors="replace")


def _parse_or_refuse(data: bytes, name: str) -> None:
    try:
        result = parse_report(data, name)
    except DocumentError as e:
        assert e.problem and "\n" not in e.problem
        assert not re.match(r"^damaged HTML \(", e.problem), f"a library exception reached the user: {e}"
        return
    assert isinstance(result, ParseResult)
    result.to_json()


@FUZZ
@given(html_pages())
def test_parse_report_takes_any_generated_page(page: bytes) -> None:
    _parse_or_refuse(page, "page.html")
    try:
        doc = read_document(page, "page.html") if page.strip() else None
    except DocumentError:  # refused as a whole (e.g. so many NULs it is binary): checked clean above
        doc = None
    if doc is not None:
        for block in doc.blocks:
            if block.table is not None:
                assert len({len(r) for r in block.table.rows}) == 1


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(_LABELS + _WORDS), st.lists(st.integers(0, 999), max_size=8),
                          st.sampled_from(["\t", " ", "|"])), max_size=15),
       st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_parse_report_takes_any_generated_text(rows: list[tuple[str, list[int], str]], encoding: str) -> None:
    # glued digit runs and numbers of 4+ digits are left out until the backtracking below is fixed: with
    # them, _CELLS_ONLY tries every split of every number between two labels (2^(digits-1) each)
    lines = ["示范市2023年政府信息公开工作年度报告", "二、收到和处理政府信息公开申请情况"]
    lines += [sep.join([label, *map(str, nums)]) for label, nums, sep in rows]
    _parse_or_refuse("\n".join(lines).encode(encoding), "report.txt")


_REDOS = """
import sys
from crawler.reports import parse_report
text = "示范市2023年政府信息公开工作年度报告\\n一、本年新收政府信息公开申请数量" + "1" * 40 + "x二、上年结转政府信息公开申请数量"
parse_report(text.encode(), "report.txt")
"""


def test_a_glued_digit_run_between_labels_is_parsed_in_bounded_time() -> None:
    import subprocess
    import sys

    try:
        subprocess.run([sys.executable, "-c", _REDOS], timeout=20, check=True, capture_output=True)
    except subprocess.TimeoutExpired:
        pytest.fail("parse_report took over 20 s on 40 glued digits")


def test_an_endless_digit_run_is_not_a_crash() -> None:
    num = parse_number("1" * 5000)  # a cell of read_legacy in that input
    assert num is None or num.raw == "1" * 5000


def test_a_cell_beyond_float_range_is_not_a_crash() -> None:
    from crawler.reports.checks import evaluate

    values = dict.fromkeys(field_keys("2021"), 0) | {"requests.new_received.natural_person": 10**400}
    assert isinstance(evaluate(values, "2021"), list)
