"""Report extraction: from any report document to the canonical fields of the templates."""

from __future__ import annotations

from crawler.reports.parse import parse_document
from crawler.reports.result import Check, ParseResult

__all__ = ["Check", "ParseResult", "parse_document", "parse_report"]


def parse_report(
    data: bytes, name: str, *, ocr: bool = False, content_type: str | None = None
) -> ParseResult:
    """Parse one report file (any supported format) into canonical fields.

    Pure: bytes and a name in, a result out. Raises ``DocumentError`` (message: the name and
    what is wrong) when the bytes are not a readable document.
    """
    from crawler.documents import read_document

    return parse_document(read_document(data, name, ocr=ocr, content_type=content_type))
