"""File extensions and Content-Types of report renderings, as nginx/Tomcat would label them."""

from __future__ import annotations

EXT = {
    "pdf": "pdf",
    "scan-pdf": "pdf",
    "doc": "doc",
    "docx": "docx",
    "wps": "wps",
    "xls": "xls",
    "xlsx": "xlsx",
    "txt": "txt",
    "html": "html",
}

CONTENT_TYPE = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    # nginx's mime.types has no .wps: real servers send octet-stream.
    "wps": "application/octet-stream",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
}

NAME = {
    "pdf": "PDF",
    "scan-pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "wps": "WPS",
    "xls": "Excel",
    "xlsx": "Excel",
    "txt": "文本",
    "html": "网页",
}


def ext(fmt: str) -> str:
    return EXT[fmt]


def content_type(fmt: str) -> str:
    return CONTENT_TYPE[EXT[fmt]]
