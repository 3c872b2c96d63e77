"""What format a file really is: magic bytes first, the file name second, then a look at the text.

Agencies publish ``.doc`` files that are HTML, RTF or Word's single-file web page (MHT), and
``.wps`` files that are Word 97 documents, so the extension is only a hint.
"""

from __future__ import annotations

import io
import re
import zipfile

from crawler.documents.encoding import decode
from crawler.documents.model import DocumentError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a")
_HTML_MARKERS = re.compile(r"<(?:html|!doctype|table|body|meta|div|head|p[\s>]|span|font)", re.I)
_BINARY = "not a recognised document format (binary data)"
#: Bytes that never occur in text (NUL and C0 controls other than \t \n \f \r and ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sniff(data: bytes, name: str) -> str:
    """One of pdf, docx, xlsx, doc, wps, xls, image, html, mht, text.

    Raises DocumentError for empty input, binary data and archives that are no document.
    """
    head = data[:1024]
    if not head.strip() and not data.strip():
        raise DocumentError(name, "empty file")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, name)
    if head.startswith(_OLE):
        return _ole_kind(data, name)
    if head.startswith(_IMAGES) or (head.startswith(b"BM") and len(head) > 26 and head[6:10] == b"\0\0\0\0"):
        return "image"
    if b"%PDF-" in head:  # a PDF may follow some junk (an HTTP header saved with it)
        return "pdf"
    if head.lstrip().startswith(b"{\\rtf"):
        return "doc"
    if re.match(rb"\s*MIME-Version:", head, re.I) and b"text/html" in data[:65536].lower():
        return "mht"
    if not _looks_textual(data[:4096]):
        raise DocumentError(name, _BINARY)
    sample = decode(data[:4096], markup=True).text[:1024]
    if _HTML_MARKERS.search(sample):
        return "html"
    return "text"


def _looks_textual(chunk: bytes) -> bool:
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    stripped = chunk.translate(None, b"\x00")
    if len(stripped) < len(chunk) * 0.6 and len(chunk) - len(stripped) > len(chunk) // 4:
        return True  # UTF-16 without a byte-order mark: NUL in every other byte
    controls = len(chunk) - len(chunk.translate(None, _CONTROL))
    if controls > max(2, len(chunk) // 200):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            chunk.decode(encoding)
            return True
        except UnicodeDecodeError as e:
            if e.start >= len(chunk) - 4:  # the sample cut a character in two
                return True
    return False


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    # NotImplementedError: zipfile's answer to a damaged "version needed" field (seen fuzzing)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        lower = name.lower()
        kind = "XLSX" if lower.endswith((".xlsx", ".xlsm", ".et")) else "DOCX"
        raise DocumentError(name, f"damaged {kind}: not a complete zip archive") from None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    raise DocumentError(name, "a zip archive, not a DOCX or XLSX document")


def _ole_kind(data: bytes, name: str) -> str:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
    except (OSError, ValueError, IndexError, RuntimeError):
        raise DocumentError(name, "damaged OLE2 file (DOC/XLS/WPS): unreadable directory") from None
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "worddocument" in streams:
        return "wps" if name.lower().endswith(".wps") else "doc"
    if any(s.startswith("wps") or s.startswith("kingsoft") for s in streams) or name.lower().endswith(".wps"):
        return "wps"
    raise DocumentError(name, "an OLE2 file that is neither a Word nor an Excel document")
