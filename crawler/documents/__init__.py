"""Readers: bytes of any report format → :class:`~crawler.documents.model.Document`."""

from __future__ import annotations

from crawler.documents.model import Block, Document, DocumentError, Table
from crawler.documents.sniff import sniff

__all__ = ["Block", "Document", "DocumentError", "Table", "read_document"]

MAX_BYTES = 200 * 2**20


def read_document(data: bytes, name: str, *, ocr: bool = False, content_type: str | None = None,
                  max_bytes: int = MAX_BYTES) -> Document:
    """Read a report file of any supported format; pure apart from the external converters
    (LibreOffice for DOC/WPS, tesseract for OCR). Raises DocumentError naming the file and the
    problem when the bytes cannot be read."""
    if len(data) > max_bytes:
        raise DocumentError(name, f"file is {len(data) / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit")
    kind = sniff(data, name)
    if kind == "html":
        from crawler.documents.html import read_html

        return read_html(data, name, content_type)
    if kind == "text":
        from crawler.documents.text import read_text

        return read_text(data, name)
    if kind == "pdf":
        from crawler.documents.pdf import read_pdf

        return read_pdf(data, name, ocr=ocr)
    if kind == "docx":
        from crawler.documents.docx import read_docx

        return read_docx(data, name)
    if kind == "xlsx":
        from crawler.documents.xls import read_xlsx

        return read_xlsx(data, name)
    if kind == "xls":
        from crawler.documents.xls import read_xls

        return read_xls(data, name)
    if kind in ("doc", "wps"):
        from crawler.documents.doc import read_doc

        return read_doc(data, name, kind)
    if kind == "image":
        if not ocr:
            raise DocumentError(name, "image file: OCR needed (use --ocr)")
        from crawler.documents.ocr import ocr_image

        return ocr_image(data, name)
    raise DocumentError(name, f"unsupported format {kind}")
