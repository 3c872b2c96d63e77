"""What format a file is: magic bytes first, then the file name, then a look at the text."""

from __future__ import annotations

import io
import zipfile

from crawler.documents.model import DocumentError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")


def sniff(data: bytes, name: str) -> str:
    """One of pdf, docx, xlsx, doc, wps, xls, image, html, text; DocumentError when none fits."""
    lower = name.lower().split("?")[0]
    head = data[:1024]
    if not data.strip():
        raise DocumentError(name, "empty file")
    if head.lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, name)
    if head.startswith(_OLE):
        return _ole_kind(data, lower)
    if head.startswith(_IMAGES):
        return "image"
    if b"\x00" in head.replace(b"\x00\x00", b"") and not _utf16(head):
        raise DocumentError(name, "not a recognised document format (binary data)")
    sample = head.lower()
    if any(tag in sample for tag in (b"<html", b"<!doctype", b"<table", b"<body", b"<meta", b"<div", b"<p>", b"<head")):
        return "html"
    if lower.endswith((".htm", ".html", ".shtml", ".jsp", ".asp", ".aspx", ".php")) and b"<" in head:
        return "html"
    if _mostly_text(data[:4096]):
        return "text"
    raise DocumentError(name, "not a recognised document format (binary data)")


def _utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _mostly_text(chunk: bytes) -> bool:
    if _utf16(chunk):
        return True
    for enc in ("utf-8", "gb18030"):
        try:
            chunk.decode(enc)
            return True
        except UnicodeDecodeError as e:
            if e.start >= len(chunk) - 4:  # cut in the middle of a character
                return True
    control = sum(1 for b in chunk if b < 9 or 13 < b < 32)
    return control < len(chunk) * 0.01


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        kind = "DOCX" if name.lower().endswith(".docx") else "XLSX" if name.lower().endswith(".xlsx") else "zip"
        raise DocumentError(name, f"damaged {kind}: not a complete zip archive") from None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    raise DocumentError(name, "a zip archive that is neither DOCX nor XLSX")


def _ole_kind(data: bytes, lower: str) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError) as e:
        raise DocumentError(lower, f"damaged OLE2 (DOC/XLS/WPS) file: {e}") from None
    streams = {"/".join(s).lower() for s in ole.listdir()}
    ole.close()
    if "workbook" in streams or "book" in streams:
        return "xls"
    if lower.endswith(".wps") or "wpsdocument" in streams:
        return "wps"
    if "worddocument" in streams:
        return "doc"
    return "wps" if lower.endswith(".wps") else "doc"
