"""Resolving a page's links to absolute URLs, as ``urljoin`` does, once per site for the links
a portal repeats on every page (navigation bars, footers).

``urljoin`` reads only the scheme and host of the page's URL when a link names its own host
(``http://…``, ``https://…``) or starts at the root (``/…``), so such a link resolves the same
from every page of a site and its resolution is cached by the site's origin.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

_NOT_ROOTED = ("/", "\t", "\r", "\n")
"""After a leading '/': a '//host' link (urlsplit drops tabs and line breaks first)."""
_NO_HOST = ("", "/", "?", "#", "\t", "\r", "\n")
"""After 'http://': an empty host, which urljoin takes from the page's URL."""


def site_origin(url: str) -> str | None:
    """``scheme://host/`` of an http(s) URL, else None."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme in ("http", "https") else None


def resolve(base: str, origin: str | None, href: str) -> str:
    """``urljoin(base, href)``; ``origin`` is ``site_origin(base)``."""
    if origin is not None and (
        (href[:1] == "/" and href[1:2] not in _NOT_ROOTED)
        or (href.startswith("http://") and href[7:8] not in _NO_HOST)
        or (href.startswith("https://") and href[8:9] not in _NO_HOST)
    ):
        return _resolve_rooted(origin, href)
    return urljoin(base, href)


@lru_cache(maxsize=4096)
def _resolve_rooted(origin: str, href: str) -> str:
    return urljoin(origin, href)
