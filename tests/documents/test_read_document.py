"""crawler.documents.read_document: format sniffing and one clear message per bad input."""

import io
import os
import random
import zipfile

import pytest

from crawler.documents import DocumentError, read_document
from crawler.documents.sniff import sniff
from tests.documents.fixtures import blank_png, docx_with_merges, encrypted_pdf


def problem(data: bytes, name: str = "x.bin", **kwargs: object) -> str:
    with pytest.raises(DocumentError) as info:
        read_document(data, name, **kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"{name}: ")
    return info.value.problem


def test_empty_and_whitespace_only():
    assert problem(b"", "a.pdf") == "empty file"
    assert problem(b" \r\n\t ", "a.txt") == "empty file"


def test_random_binary():
    data = random.Random(7).randbytes(5000)
    assert problem(data) == "not a recognised document format (binary data)"


def test_truncated_pdf():
    assert problem(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "t.pdf").startswith("damaged PDF (")


def test_encrypted_pdf():
    assert problem(encrypted_pdf(), "e.pdf") == "encrypted PDF: cannot read without a password"


def test_truncated_docx():
    data = docx_with_merges()
    assert problem(data[: len(data) // 2], "t.docx") == "damaged DOCX: not a complete zip archive"


def test_docx_declaring_a_huge_member_is_refused_before_inflating():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/big.bin", b"\0" * 1000)
    data = bytearray(buffer.getvalue())
    # declare 1.2 GB uncompressed in the central directory entry of big.bin
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1_288_490_189).to_bytes(4, "little")
    assert problem(bytes(data), "bomb.docx") == "DOCX expands to 1.2 GB: refusing a possible zip bomb"


def test_docx_with_a_real_highly_compressed_member_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            chunk = b"\0" * 2**20
            for _ in range(12):
                member.write(chunk)
    assert problem(buffer.getvalue(), "z.docx") == "DOCX expands to 12.0 MB: refusing a possible zip bomb"


def test_oversized_input_uses_max_bytes():
    assert (
        problem(b"%PDF-1.4" + b"\0" * 3 * 2**20, "big.pdf", max_bytes=2**20)
        == "file is 3.0 MB, over the 1 MB limit"
    )


def test_image_without_ocr():
    assert problem(blank_png(), "scan.png") == "image file: OCR needed (use --ocr)"


def test_other_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.pdf", b"%PDF-1.4")
    assert problem(buffer.getvalue(), "a.zip") == "a zip archive, not a DOCX or XLSX document"


def test_sniffing_prefers_magic_over_extension():
    assert sniff(b"%PDF-1.4 ...", "report.doc") == "pdf"
    assert sniff(docx_with_merges(), "report.wps") == "docx"
    assert sniff("<html><body><p>年报</p></body></html>".encode("gbk"), "report.doc") == "html"
    assert sniff("# 标题\n\n正文".encode(), "report.md") == "text"
    assert sniff(b"{\\rtf1\\ansi hello}", "report.doc") == "doc"
    assert sniff(blank_png(), "x.pdf") == "image"


def test_html_saved_as_doc_reads_as_html():
    data = "<html><body><div id='zoom'><p>政府信息公开工作年度报告</p></div></body></html>".encode("gbk")
    doc = read_document(data, "report.doc")
    assert doc.kind == "html" and doc.blocks[0].text == "政府信息公开工作年度报告"


def test_mht_reads_its_html_part():
    html = "<html><body><p>政府信息公开工作年度报告</p><table><tr><td>规章</td><td>3</td></tr></table></body></html>"
    qp = html.encode("gb2312")
    import quopri

    body = quopri.encodestring(qp).decode("ascii")
    mht = (
        'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
        'Content-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        f"{body}\r\n--B--\r\n"
    ).encode("ascii")
    doc = read_document(mht, "report.doc")
    assert doc.kind == "html"
    assert doc.blocks[0].text == "政府信息公开工作年度报告"
    assert doc.blocks[1].table is not None and doc.blocks[1].table.rows == (("规章", "3"),)


def test_missing_file_name_extension_does_not_matter():
    assert read_document("规章\t1\t2".encode(), os.devnull).blocks[0].table is not None
