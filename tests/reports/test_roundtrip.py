"""Round trip: every seed's and realdata report's values (and a few generated reports) rendered
into the formats agencies publish — GBK HTML with rowspan/colspan, DOCX, XLSX, text PDF via
LibreOffice, extracted text — and parsed back to the same year, template and cells.

Where a rendering leaves a cell undetermined (blank, or digits run together in flat text),
``expected_values`` says ``None``; the parser may then return ``None`` or the true value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest

from sitefarm.content import (
    EXTENSIONS,
    ReportSpec,
    expected_values,
    generate_report,
    implied_value,
    known_report_names,
    known_reports,
    render,
    render_batch,
)

try:
    from crawler.documents import read_document  # noqa: F401  (the parser needs it)
    from crawler.reports import parse_report
except ImportError as exc:  # the documents layer is being written alongside these tests
    pytest.skip(f"parser not importable yet: {exc}", allow_module_level=True)


@dataclass(frozen=True)
class Case:
    label: str
    spec: ReportSpec
    fmt: str
    style: str

    @property
    def id(self) -> str:
        return f"{self.label}-{self.fmt}-{self.style}"

    @property
    def name(self) -> str:
        return f"{self.label}.{EXTENSIONS[self.fmt]}"


def _label(name: str) -> str:
    folder, stem = name.split("/")
    return f"seed{stem[:3]}" if folder == "seeds" else stem.split(".")[0]


KNOWN = [
    (_label(n), s)
    for n, s in zip(known_report_names(), known_reports(), strict=True)
    if s.template in ("2019", "2021")
]
GENERATED = [
    ("gen-2019-dept", generate_report(random.Random(101), "示范市交通运输局", 2020)),
    ("gen-2021-city", generate_report(random.Random(102), "示范市人民政府", 2023, scale="city")),
    ("gen-2021-broken", generate_report(random.Random(103), "示范市示范区财政局", 2022, broken=True)),
    (
        "gen-2019-straggler",
        generate_report(random.Random(104), "示范市自然资源和规划局", 2021, template="2019", scale="city"),
    ),
]
FAST = [
    ("html-gbk", "word"),
    ("html", "clean"),
    ("docx", "word"),
    ("xlsx", "clean"),
    ("txt", "word"),
    ("txt-cells", "clean"),
    ("txt-flat", "word"),
]
GEN_FAST = [
    ("html-gbk", "split"),
    ("html", "blank-total"),
    ("html-gbk", "sparse"),
    ("docx", "clean"),
    ("docx", "blank-total"),
    ("xlsx", "split"),
    ("xlsx", "sparse"),
    ("txt", "sparse"),
    ("txt-cells", "split"),
    ("txt-flat", "clean"),
]

CITY = {"huaian-city-gov-2024", "gen-2021-city", "gen-2019-straggler"}
FAST_CASES = [Case(label, spec, fmt, style) for label, spec in KNOWN + GENERATED for fmt, style in FAST]
FAST_CASES += [Case(label, spec, fmt, style) for label, spec in GENERATED for fmt, style in GEN_FAST]
# Flat text of city-sized tables takes the parser's digit splitter minutes (80–110 s each when written).
FAST_PARAMS = [
    pytest.param(c, marks=pytest.mark.slow, id=c.id)
    if c.fmt == "txt-flat" and c.label in CITY
    else pytest.param(c, id=c.id)
    for c in FAST_CASES
]
PDF_CASES = [Case(label, spec, "pdf", "word") for label, spec in KNOWN + GENERATED]
PDF_CASES += [
    Case(label, spec, "pdf", style) for label, spec in GENERATED[:2] for style in ("split", "blank-total")
]
OFFICE_CASES = [Case(KNOWN[0][0], KNOWN[0][1], fmt, "word") for fmt in ("doc", "wps", "xls")]
OFFICE_CASES += [Case(GENERATED[1][0], GENERATED[1][1], fmt, "clean") for fmt in ("doc", "xls")]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(a - b) < 1e-6
    return a == b


def mismatches(case: Case, data: bytes, *, ocr: bool = False) -> list[str]:
    """Every way the parse of ``data`` differs from what the rendering determines."""
    result = parse_report(data, case.name, ocr=ocr)
    problems = []
    if result.year != case.spec.year:
        problems.append(f"year: expected {case.spec.year}, got {result.year}")
    if result.template != case.spec.template:
        problems.append(f"template: expected {case.spec.template}, got {result.template}")
        return problems
    for key, want in expected_values(case.spec, case.fmt, case.style).items():
        got = result.values.get(key, "<missing>")
        truth = case.spec.values.get(key)
        if want is None:
            if got is not None and not _same(got, truth) and not _same(got, implied_value(case.spec, key)):
                problems.append(f"{key}: undetermined (true {truth!r}), got {got!r}")
        elif not _same(got, want):
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return problems


def _check(case: Case, data: bytes, *, ocr: bool = False) -> None:
    problems = mismatches(case, data, ocr=ocr)
    assert not problems, f"{case.id}: {len(problems)} cells wrong:\n  " + "\n  ".join(problems[:40])


@pytest.mark.parametrize("case", FAST_PARAMS)
def test_roundtrip_fast_formats(case: Case) -> None:
    _check(case, render(case.spec, case.fmt, style=case.style))


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    """Every PDF case rendered in one LibreOffice run (cached on disk across sessions)."""
    out = render_batch([(c.spec, c.style) for c in PDF_CASES], "pdf")
    return {c.id: pdf for c, pdf in zip(PDF_CASES, out, strict=True)}


@pytest.mark.slow
@pytest.mark.parametrize("case", PDF_CASES, ids=lambda c: c.id)
def test_roundtrip_text_pdf(case: Case, pdfs: dict[str, bytes]) -> None:
    _check(case, pdfs[case.id])


@pytest.mark.slow
@pytest.mark.parametrize("case", OFFICE_CASES, ids=lambda c: c.id)
def test_roundtrip_legacy_office_formats(case: Case) -> None:
    _check(case, render(case.spec, case.fmt, style=case.style))


@pytest.mark.slow
def test_roundtrip_scanned_pdf_with_ocr() -> None:
    """OCR is not exact: year and template must match and three cells in four must be right.

    Tesseract (chi_sim) on a 200 dpi ruled table garbles some labels (予以公开 → 也以公开) and
    runs table 四's fifteen digits together; measured 80-82% of cells right on this case."""
    case = Case(GENERATED[0][0], GENERATED[0][1], "scan-pdf", "clean")
    problems = mismatches(case, render(case.spec, case.fmt, style=case.style), ocr=True)
    assert not [p for p in problems if p.startswith(("year", "template"))], problems
    assert len(problems) <= len(case.spec.values) // 4, "\n".join(problems)
