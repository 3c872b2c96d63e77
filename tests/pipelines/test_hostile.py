"""Hostile documents a portal may serve, each through a parser worker with its limits: a
one-line parse error naming the problem (or a harmless reading), a bounded time, and the worker
goes on with the next document."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from crawler.pipelines.limits import Limits
from crawler.pipelines.reports import _parse
from tests.pipelines.test_limits import GOOD, _doc, _pool, _span_bomb

pytestmark = pytest.mark.slow

def docx(document_xml: bytes) -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document_xml)
    return b.getvalue()

def _builders() -> dict[str, bytes]:
    """The hostile inputs, made when the test runs (a 300 MB zip bomb is not built at import)."""
    W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    XXE = docx(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY ext SYSTEM "file:///etc/passwd">]><w:document ' + W + b'><w:body><w:p><w:r><w:t>&ext;</w:t></w:r></w:p></w:body></w:document>')
    LAUGHS = docx(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]><w:document ' + W + b'><w:body><w:p><w:r><w:t>&h;</w:t></w:r></w:p></w:body></w:document>')
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z, z.open("word/document.xml", "w") as m:
        chunk = b"\0" * (1 << 20)
        for _ in range(300):
            m.write(chunk)
    BOMB = b.getvalue()
    NESTED = b"<html><head><meta charset='utf-8'><title>x</title></head><body>" + b"<div>" * 200000 + b"2024" + b"</div>" * 200000 + b"</body></html>"
    PAGES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1000000000>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
    TRUNCATED = PAGES[:60]
    ENCRYPTED = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n4 0 obj<</Filter/Standard/V 2/R 3/O(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)/U(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)/P -4/Length 128>>endobj\ntrailer<</Root 1 0 R/Encrypt 4 0 R/ID[<00><00>]>>\n%%EOF"


    return {"xxe": XXE, "laughs": LAUGHS, "bomb": BOMB, "nested": NESTED, "pages": PAGES,
            "truncated": TRUNCATED, "encrypted": ENCRYPTED}


CASES = [
    # (name, input, file name, what the error must say; None: read, harmlessly)
    ("external entity (XXE)", "xxe", "a.docx", None),
    ("billion laughs", "laughs", "a.docx", "Maximum entity amplification"),
    ("zip bomb", "bomb", "a.docx", "refusing a possible zip bomb"),
    ("HTML nested 200,000 deep", "nested", "a.html", None),
    ("absurd rowspan/colspan", "spans", "a.html", "holds a table covering more than 1,000,000 cells: refused"),
    ("a PDF claiming 10^9 pages", "pages", "a.pdf", None),
    ("truncated PDF", "truncated", "a.pdf", "damaged PDF"),
    ("encrypted PDF", "encrypted", "a.pdf", "encrypted PDF: cannot read without a password"),
]


def test_each_hostile_document_is_bounded_and_the_worker_goes_on() -> None:
    limits = Limits(memory_mb=700, cpu_s=30, wall_s=0)
    seen = []
    inputs = {**_builders(), "spans": _span_bomb()}
    with _pool(limits) as pool:
        for name, key, filename, says in CASES:
            data = inputs[key]
            started = time.monotonic()
            parsed = pool.submit(_parse, _doc(data, filename), False, limits).result(timeout=120)
            took = time.monotonic() - started
            assert took < 60, (name, took)
            if says is None:
                text = repr(parsed.result) if parsed.result is not None else (parsed.error or "")
                assert "root:" not in text, name  # /etc/passwd was never read into the report
            else:
                assert parsed.result is None and parsed.error and says in parsed.error, (name, parsed.error)
                assert "\n" not in parsed.error
            seen.append(f"{name}: {parsed.error or 'read'} ({took:.1f} s)")
            good = pool.submit(_parse, _doc(GOOD), False, limits).result(timeout=60)
            assert good.error is None and good.result is not None, name
    print("\n" + "\n".join(seen))


def test_an_external_entity_is_never_read_into_the_document() -> None:
    from crawler.documents import read_document

    document = read_document(_builders()["xxe"], "a.docx")
    assert "root:" not in repr(document.blocks)
    with open("/etc/passwd", encoding="utf-8") as fh:  # the file the entity names exists here
        assert fh.read(5)
