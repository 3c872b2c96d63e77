"""Readers: bytes of any report format → :class:`~crawler.documents.model.Document`.

:func:`read_document` sniffs the format (magic bytes first, the name second) and hands the
bytes to one reader per format: html, text (and Markdown), pdf, docx, doc/wps (LibreOffice),
xls/xlsx, and OCR for images and scanned pages.
"""

from __future__ import annotations

import email
import email.policy

from crawler.documents.grid import TableTooLarge
from crawler.documents.limits import check_size
from crawler.documents.model import Block, Cell, Document, DocumentError, Table
from crawler.documents.sniff import sniff

__all__ = ["MAX_BYTES", "Block", "Cell", "Document", "DocumentError", "Table", "read_document"]

MAX_BYTES = 200 * 2**20
_LABELS = {
    "pdf": "PDF",
    "docx": "DOCX",
    "xlsx": "XLSX",
    "xls": "XLS",
    "doc": "DOC",
    "wps": "WPS",
    "html": "HTML",
    "mht": "MHT",
    "text": "text",
    "image": "image",
}


def read_document(
    data: bytes, name: str, *, ocr: bool = False, content_type: str | None = None, max_bytes: int = MAX_BYTES
) -> Document:
    """Read a report file of any supported format.

    A pure function of the bytes (``name`` is the extension hint and appears in messages;
    ``content_type`` is the HTTP header, for its charset), apart from LibreOffice for DOC/WPS
    and tesseract when ``ocr`` is set. Raises :class:`DocumentError` naming the file and the
    problem when the bytes cannot be read; non-fatal problems go to ``Document.warnings``.
    """
    check_size(data, name, max_bytes)
    kind = sniff(data, name)
    if kind == "image" and not ocr:
        raise DocumentError(name, "image file: OCR needed (use --ocr)")
    try:
        return _read(kind, data, name, ocr, content_type)
    except DocumentError:
        raise
    except RecursionError:
        raise DocumentError(name, f"damaged {_LABELS[kind]} (nested too deeply)") from None
    except TableTooLarge as e:
        raise DocumentError(name, f"{_LABELS[kind]} holds {e}: refused") from None
    except MemoryError:  # under a worker's address-space limit (crawler/pipelines/limits.py), or none left
        raise DocumentError(name, f"{_LABELS[kind]} needs more memory than the parser may use") from None
    except Exception as e:  # a library choking on malformed input must not crash a batch
        raise DocumentError(name, f"damaged {_LABELS[kind]} ({type(e).__name__}: {str(e)[:100]})") from None


def _read(kind: str, data: bytes, name: str, ocr: bool, content_type: str | None) -> Document:
    if kind == "html":
        from crawler.documents.html import read_html

        return read_html(data, name, content_type)
    if kind == "mht":
        return _read_mht(data, name)
    if kind == "text":
        from crawler.documents.text import read_text

        return read_text(data, name, content_type)
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
    from crawler.documents.ocr import ocr_image

    return ocr_image(data, name)


def _read_mht(data: bytes, name: str) -> Document:
    """Word's single-file web page (``.mht``, often published as ``.doc``): its HTML part."""
    from crawler.documents.html import read_html

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return read_html(payload, name, part.get("Content-Type"))
    raise DocumentError(name, "damaged MHT: no HTML part")
