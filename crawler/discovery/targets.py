"""Is a string from a page the URL of a page or document a browser would go to (not a script,
a style sheet, an image, a template placeholder or ``javascript:``)? And which documents does a
viewer URL show? Shared by the static harvest of a page and by its reading of inline scripts.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from crawler.discovery.links import resolve, site_origin

_NOT_PAGE_SCHEME = re.compile(r"^(?:javascript|mailto|tel|data|about|blob|vbscript|file):", re.I)
_STATIC_EXT = re.compile(
    r"\.(?:js|mjs|css|png|jpe?g|gif|bmp|webp|svg|ico|woff2?|ttf|eot|otf|mp[34]|m4a|wav|avi|flv|swf|map|"
    r"less|scss)$",
    re.I,
)
_DOC_EXT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar)$", re.I)
_PAGE_EXT = re.compile(r"\.(?:s?html?|jsp|jspx|aspx?|php|do|action|cgi|pdf|docx?|wps|xlsx?|et|ofd)$", re.I)
_URLISH = re.compile(r"^(?:https?://[^\s/]+|\.{0,2}/)[^\s<>\"'{}]*$|^[\w.~%-]+(?:/[\w.~%-]*)*(?:\?[^\s<>\"'{}]*)?$")
_TEMPLATE = re.compile(r"\{\{|\$\{|<%|\[\[")
_VIEWER_PARAM = frozenset({"file", "url", "src", "fileurl", "filepath", "pdf", "doc"})


def is_page(value: str, strict: bool = True) -> bool:
    """Could ``value`` be the URL of a page or a document (not a script, style sheet, image,
    template placeholder or ``javascript:``)? ``strict`` also asks that it look like a URL."""
    if not value or len(value) > 2000 or _NOT_PAGE_SCHEME.match(value) or value[0] == "#":
        return False
    if _TEMPLATE.search(value):
        return False
    path = urlsplit(value).path
    if _STATIC_EXT.search(path):
        return False
    return not strict or bool(_URLISH.match(value))


def is_link(value: str) -> bool:
    """:func:`is_page`, and shaped like a link (a path, a query or a page/document name), for
    values read out of attributes and scripts, where a bare word is a code, not a link."""
    return is_page(value) and ("/" in value or value[:1] == "?" or bool(_PAGE_EXT.search(urlsplit(value).path)))


def viewer_documents(url: str) -> list[str]:
    """The documents a viewer URL shows: a ``file=``/``url=``/``src=`` parameter holding a
    document (``/generic2/web/viewer.html?file=/…/原件.pdf``, resolved against the viewer as pdf.js
    does), or any such parameter of a page whose path names a viewer."""
    parts = urlsplit(url)
    if not parts.query or "=" not in parts.query:
        return []
    viewer = "viewer" in parts.path.lower() or "preview" in parts.path.lower()
    out = []
    for key, value in parse_qsl(parts.query):
        value = value.strip()
        if key.lower() not in _VIEWER_PARAM or not value or _TEMPLATE.search(value):
            continue
        path = urlsplit(unquote(value)).path
        if _DOC_EXT.search(path) or (viewer and is_link(value)):
            out.append(resolve(url, site_origin(url), value))
    return out
