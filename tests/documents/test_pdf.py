"""crawler.documents.pdf: ruled tables, reading order, page numbers, rotation, scans."""

import io
import shutil
import subprocess

import pytest

from crawler.documents import Document, read_document
from crawler.documents.pdf import _PAGE_NUMBER
from tests.documents.fixtures import (
    blank_png,
    docx_with_merges,
    image_only_pdf,
    shared_files,
    soffice_convert,
)

PDFS = shared_files("realdata", "*.pdf")
HONGZE = next((p for p in PDFS if p.name == "hongze-district-gov-2023.pdf"), None)


def tables(doc: Document) -> list[tuple[tuple[str | None, ...], ...]]:
    return [b.table.rows for b in doc.blocks if b.table is not None]


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if b.text is not None]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_realdata_pdf_tables(path):
    doc = read_document(path.read_bytes(), path.name)
    assert doc.kind == "pdf" and not doc.warnings
    cells = [cell for rows in tables(doc) for row in rows for cell in row if cell]
    assert "一、本年新收政府信息公开申请数量" in cells
    assert "三、本年度办理结果" in cells  # the vertical one-character-per-line label
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in [
        c.replace("情 形", "情形") for c in cells
    ]
    review = next(rows for rows in tables(doc) if rows[0][0] == "行政复议")
    assert len(review[0]) == 15 and all(cell for cell in review[-1])
    assert texts(doc)[texts(doc).index("一、总体情况") + 1].startswith(("2023", "2024"))
    assert not any(_PAGE_NUMBER.match(t) for t in texts(doc))


@pytest.mark.skipif(HONGZE is None, reason="../shared/realdata not present")
def test_hongze_grid_and_reading_order():
    assert HONGZE is not None
    doc = read_document(HONGZE.read_bytes(), HONGZE.name)
    first = tables(doc)[0]
    assert first[:4] == (
        ("第二十条第（一）项", None, None, None),
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "0", "0", "0"),
        ("行政规范性文件", "0", "5", "5"),
    )
    heading = [b.text for b in doc.blocks].index("二、主动公开政府信息情况")
    assert doc.blocks[heading + 1].table is not None and doc.blocks[heading + 1].table.rows == first
    request = next(rows for rows in tables(doc) if "申请人情况" in rows[0])
    assert request[3] == ("一、本年新收政府信息公开申请数量", None, None, "21", "0", "0", "0", "0", "0", "21")
    assert request[5][:2] == ("三、本年度办理结果", "（一）予以公开")
    # a paragraph wrapped over several lines comes back as one block
    assert any(t.startswith("本报告由淮安市洪泽区人民政府办公室") and t.endswith("）。") for t in texts(doc))


@pytest.mark.skipif(HONGZE is None, reason="../shared/realdata not present")
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_rotated_pages_read_the_same(turn):
    import pypdfium2 as pdfium

    assert HONGZE is not None
    data = HONGZE.read_bytes()
    original = read_document(data, "a.pdf").blocks
    pdf = pdfium.PdfDocument(data)
    for index in range(len(pdf)):
        pdf[index].set_rotation(turn)  # upright content on pages turned for printing
    buffer = io.BytesIO()
    pdf.save(buffer)
    assert read_document(buffer.getvalue(), "b.pdf").blocks == original


@pytest.mark.skipif(HONGZE is None, reason="../shared/realdata not present")
def test_sideways_content_is_turned_upright():
    import pypdfium2 as pdfium

    assert HONGZE is not None
    data = HONGZE.read_bytes()
    original = read_document(data, "a.pdf").blocks
    pdf = pdfium.PdfDocument(data)
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        for obj in list(page.get_objects(max_depth=1)):
            obj.transform(pdfium.PdfMatrix().rotate(90).translate(0, width))
        page.set_mediabox(0, 0, height, width)
        page.set_cropbox(0, 0, height, width)
        page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    assert read_document(buffer.getvalue(), "sideways.pdf").blocks == original


def test_page_without_text_layer_is_reported():
    doc = read_document(image_only_pdf(blank_png()), "scan.pdf")
    assert doc.blocks == () and doc.warnings == ("page 1 has no text layer (scanned?); use --ocr",)


@pytest.mark.parametrize("line", ["- 3 -", "—3—", "3", "第 3 页", "3/12", "第3页 共12页", "－ 12 －"])
def test_page_number_lines(line):
    assert _PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["2023 年", "一、总体情况", "3 件", "2024-01-20"])
def test_not_page_numbers(line):
    assert not _PAGE_NUMBER.match(line)


@pytest.mark.slow
def test_pdf_made_by_libreoffice_from_docx(tmp_path):
    doc = read_document(soffice_convert(docx_with_merges(), "docx", "pdf", tmp_path), "lo.pdf")
    assert texts(doc)[0] == "一、总体情况" and texts(doc)[-1] == "二、主动公开政府信息情况"
    grid = tables(doc)
    assert len(grid) == 1
    assert grid[0][0] == ("第二十条第（一）项", None, None, None)
    assert grid[0][2] == ("三、本年", "1", "2", "12")
    assert grid[0][3] == (None, "347.92", "0", "")


@pytest.mark.slow
@pytest.mark.skipif(
    HONGZE is None or not shutil.which("pdftoppm") or not shutil.which("tesseract"), reason="tools"
)
def test_scanned_pdf_with_ocr(tmp_path):
    assert HONGZE is not None
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", str(HONGZE), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    png = next(tmp_path.glob("p*.png")).read_bytes()
    scan = image_only_pdf(png, dpi=300)
    assert read_document(scan, "scan.pdf").warnings
    doc = read_document(scan, "scan.pdf", ocr=True)
    assert doc.ocr and not doc.warnings
    joined = "\n".join(texts(doc))
    assert "2023 年政府信息公开工作年度报告" in joined
    assert "223100" in joined and "0517-87222589" in joined
