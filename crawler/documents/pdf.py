"""Text PDFs with pdfplumber: ruled tables as grids (merged cells as covered slots), the text
around them as paragraphs, page numbers dropped; pages without a text layer go to OCR when
asked, else they are reported."""

from __future__ import annotations

import io
import logging
import re

from crawler.documents.grid import clean
from crawler.documents.model import Block, Document, DocumentError, Table

_PAGE_NO = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/共]\s*共?\s*\d+\s*页)?|"
                      r"\d{1,4}\s*/\s*\d{1,4}|\d{1,3})\s*$")
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                   "join_tolerance": 3, "intersection_tolerance": 5}


def read_pdf(data: bytes, name: str, *, ocr: bool = False) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise DocumentError(name, "encrypted PDF: cannot read without a password") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError, OSError) as e:
        raise DocumentError(name, f"damaged PDF ({type(e).__name__}: {str(e)[:80] or 'unreadable'})") from None
    except Exception as e:  # pdfminer raises many kinds on broken files
        if "password" in str(e).lower() or "encrypt" in str(e).lower():
            raise DocumentError(name, "encrypted PDF: cannot read without a password") from None
        raise DocumentError(name, f"damaged PDF ({type(e).__name__})") from None
    blocks: list[Block] = []
    warnings: list[str] = []
    used_ocr = False
    with pdf:
        for number, page in enumerate(pages, 1):
            try:
                page_blocks = _page(page)
            except Exception as e:  # one bad page must not lose the others
                warnings.append(f"page {number}: unreadable ({type(e).__name__})")
                continue
            if not page_blocks and not page.chars:
                if ocr:
                    from crawler.documents.ocr import ocr_pdf_page

                    blocks.extend(ocr_pdf_page(data, number - 1, name))
                    used_ocr = True
                else:
                    warnings.append(f"page {number} has no text layer (scanned?); use --ocr")
                continue
            blocks.extend(page_blocks)
    if not pages:
        raise DocumentError(name, "damaged PDF (no pages)")
    return Document(name=name, kind="pdf", blocks=tuple(blocks), warnings=tuple(warnings), ocr=used_ocr)


def _page(page) -> list[Block]:  # type: ignore[no-untyped-def]
    found = page.find_tables(_TABLE_SETTINGS)
    items: list[tuple[float, Block]] = []
    boxes = []
    for t in found:
        rows = t.extract()
        if not rows or len(rows) < 2:
            continue
        grid = tuple(tuple(None if c is None else clean(c) for c in row) for row in rows)
        items.append((t.bbox[1], Block(table=Table(grid))))
        boxes.append(t.bbox)

    def outside(obj) -> bool:  # type: ignore[no-untyped-def]
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    lines = rest.extract_text_lines(keep_blank_chars=False) if rest.chars else []
    texts = [(ln["top"], ln["text"]) for ln in lines if ln["text"].strip()]
    if texts and _PAGE_NO.match(texts[-1][1]):
        texts.pop()
    if texts and _PAGE_NO.match(texts[0][1]):
        texts.pop(0)
    items.extend((top, Block(text=clean(text))) for top, text in texts)
    items.sort(key=lambda it: it[0])
    return [b for _, b in items]
