"""Scrapy requests to frontier rows and back.

Only what rebuilds the request is kept: URL, method, body, headers, priority, callback and
errback names, and the JSON-safe meta the spider reads (its hop, Scrapy's depth). Everything
else in ``request.meta`` belongs to a download in progress and is rebuilt by the middlewares.
"""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy import Request

from storage.frontier import FrontierRequest
from storage.models import FrontierEntry, FrontierState

KEPT_META = ("nianbao", "depth", "nianbao_seen", "nianbao_answer", "nianbao_plain_record")
"""request.meta keys that travel through the frontier (``nianbao_answer``: which reader an API
answer needs; without it a resumed run would read a search service's answer as another kind)."""


def _method_name(spider: scrapy.Spider, func: Any) -> str | None:
    if func is None:
        return None
    name = getattr(func, "__name__", None)
    if name is None or getattr(type(spider), name, None) is None:
        raise ValueError(f"request callback {func!r} is not a method of spider {spider.name!r}")
    return str(name)


def to_frontier(request: Request, fingerprint: str, spider: scrapy.Spider) -> FrontierRequest:
    """The frontier row of a request the scheduler just accepted."""
    meta = {k: request.meta[k] for k in KEPT_META if k in request.meta}
    hop = meta.get("nianbao") or {}
    meta["callback"] = _method_name(spider, request.callback)
    meta["errback"] = _method_name(spider, request.errback)
    meta["headers"] = [
        [k.decode("latin-1"), v.decode("latin-1")] for k, values in request.headers.items() for v in values
    ]
    if request.dont_filter:
        meta["dont_filter"] = True
    return FrontierRequest(
        url=request.url,
        method=request.method,
        body=request.body or None,
        priority=request.priority,
        depth=int(hop.get("depth", 0)),
        discovered_from=hop.get("from"),
        meta=meta,
        fingerprint=fingerprint,
    )


def continuation(request: Request, fingerprint: str, continues: str) -> FrontierRequest:
    """A done row recording that a redirect (or the like) of request ``continues`` was seen."""
    return FrontierRequest(
        url=request.url,
        method=request.method,
        body=request.body or None,
        priority=request.priority,
        meta={"continues": continues},
        fingerprint=fingerprint,
        state=FrontierState.DONE,
    )


def from_frontier(entry: FrontierEntry, spider: scrapy.Spider) -> Request:
    """The Scrapy request of an unfinished frontier row."""
    meta = dict(entry.meta or {})
    callback = meta.pop("callback", None)
    errback = meta.pop("errback", None)
    headers = meta.pop("headers", [])
    dont_filter = bool(meta.pop("dont_filter", False))
    request_headers: dict[str, list[str]] = {}
    for k, v in headers:
        request_headers.setdefault(k, []).append(v)
    return Request(
        entry.url,
        method=entry.method,
        body=entry.body,
        headers=request_headers,
        priority=entry.priority,
        callback=getattr(spider, callback) if callback else None,
        errback=getattr(spider, errback) if errback else None,
        meta=meta,
        dont_filter=dont_filter,
    )
