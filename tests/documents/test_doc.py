"""crawler.documents.doc: DOC and WPS through LibreOffice; antiword's text as the fallback."""

import shutil
import subprocess

import pytest

from crawler.documents import read_document
from crawler.documents.text import text_blocks
from tests.documents.fixtures import docx_with_merges, soffice_convert

EXPECTED = (
    ("第二十条第（一）项", None, None, None),
    ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
    ("三、本年", "1", "2", "12"),
    (None, "347.92", "0", ""),
)


@pytest.fixture(scope="module")
def doc_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return soffice_convert(docx_with_merges(), "docx", "doc", tmp_path_factory.mktemp("doc"))


@pytest.mark.slow
def test_doc_keeps_its_merged_table(doc_bytes):
    doc = read_document(doc_bytes, "r.doc")
    assert doc.kind == "doc"
    assert [b.text for b in doc.blocks if b.text] == ["一、总体情况", "二、主动公开政府信息情况"]
    assert [b.table.rows for b in doc.blocks if b.table] == [EXPECTED]


@pytest.mark.slow
def test_wps_is_the_same_path(doc_bytes):
    doc = read_document(doc_bytes, "r.wps")
    assert doc.kind == "wps"
    assert [b.table.rows for b in doc.blocks if b.table] == [EXPECTED]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword not installed")
def test_antiword_text_becomes_a_table(doc_bytes):
    out = subprocess.run(
        ["antiword", "-m", "UTF-8.txt", "-"], input=doc_bytes, capture_output=True, check=True
    )
    blocks = text_blocks(out.stdout.decode())
    table = next(b.table for b in blocks if b.table)
    assert ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数") in table.rows


@pytest.mark.slow
def test_rtf_goes_to_libreoffice():
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    rtf = rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 SimSun;}}\f0 \u25919?\u24220? report\par}"
    doc = read_document(rtf, "r.doc")
    assert doc.kind == "doc" and doc.blocks[0].text == "政府 report"
