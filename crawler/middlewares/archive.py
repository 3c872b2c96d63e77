"""Archive every exchange as it comes off the wire: WARC request + response records and a
capture row, before any other middleware touches the response.

It sits closest to the downloader (highest process_response priority), so it sees redirects,
errors, challenge pages and compressed bodies exactly as served. A page rendered by the
browser is stored as a ``resource`` record (the DOM) linked to the plain capture of the same
URL when there is one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.browser.tap import Exchange
from crawler.context import CrawlContext, context_of
from crawler.fetch import header
from crawler.frontier import REPLAYED, request_key
from crawler.middlewares.encoding import CUT_FLAG, CUT_KEY, cut_stream
from storage.models import RecordType
from storage.repo import record_capture
from storage.warc import WrittenRecord, sha256_b32
from storage.warcrecord import HDR_PAGE, HDR_RESOURCE_TYPE, header_value


def _headers(h: Any) -> list[tuple[str, str]]:
    out = []
    for key, values in h.items():
        k = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if k.lower() == "proxy-authorization":
            continue  # meant for the proxy, not the server; and a credential, never archived
        for v in values:
            out.append((k, v.decode("latin-1") if isinstance(v, bytes) else str(v)))
    return out


class ArchiveMiddleware:
    """Writes WARC records and capture rows; puts ``nianbao_capture`` into request.meta."""

    def __init__(self, ctx: CrawlContext, crawler: Crawler) -> None:
        self.ctx = ctx
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        return cls(context_of(crawler), crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if REPLAYED in response.flags:  # read back from this run's archive: already recorded
            return response
        ctx = self.ctx
        now = datetime.now(UTC)
        hop = request.meta.get("nianbao", {})
        rendered = "playwright" in response.flags
        truncated = None if rendered else _truncated(request, response)
        ctype = header(response, b"Content-Type") or None
        if rendered:
            prior = request.meta.get("nianbao_plain_record")
            rec = ctx.writer.write_rendered(
                response.url, response.body, prior, rendered_at=now,
                discovered_from=hop.get("from"),
            )
            refers = ctx.captures.ids(ctx.session, [prior]).get(prior) if prior else None
            self._capture(request, response, rec, hop, record_type=RecordType.RESOURCE,
                          content_type="text/html; charset=utf-8", rendered=True, refers_to_capture_id=refers)
            ctx.bump("rendered")
            self._page_exchanges(request, response, rec.record_id, hop)
        elif (revisit := self._revisit(request, response, now, hop)) is not None:
            rec = revisit
        else:
            rec = ctx.writer.write_exchange(
                response.url, status=response.status, response_headers=_headers(response.headers),
                body=response.body, fetched_at=now, method=request.method,
                request_headers=_headers(request.headers), request_body=request.body,
                ip=str(response.ip_address) if response.ip_address else None, rendered=False,
                discovered_from=hop.get("from"), truncated=truncated,
            )
            self._capture(request, response, rec, hop, content_type=ctype, etag=header(response, b"ETag") or None,
                          last_modified=header(response, b"Last-Modified") or None)
        if not rendered:
            request.meta["nianbao_plain_record"] = rec.record_id
        request.meta["nianbao_capture"] = rec.record_id
        ctx.bump("captures")
        ctx.log.write(
            "fetched",
            response.url,
            status=response.status,
            capture=rec.record_id,
            rendered=rendered,
            bytes=len(response.body),
            kind=hop.get("kind"),
            depth=hop.get("depth"),
            discovered_from=hop.get("from"),
            via=hop.get("via"),
            path=hop.get("path"),
            truncated=truncated,
        )
        ctx.maybe_commit()
        if CUT_KEY in request.meta and truncated == "unspecified":
            return response.replace(flags=[*response.flags, CUT_FLAG])
        return response

    def _page_exchanges(self, request: Request, response: Response, page_record: str, hop: dict[str, Any]) -> None:
        """Each XHR/fetch answer the rendered page received (and each document a pager took it
        to) as its own request/response pair, linked to the page's DOM record (``HDR_PAGE``).
        Their captures carry no request key: a resumed run never answers a request with them."""
        exchanges: list[Exchange] = request.meta.get("nianbao_xhr") or []
        path = discovery_path({**hop, "via": "browser-xhr"})
        for ex in exchanges:
            rec = self.ctx.writer.write_exchange(
                ex.url, status=ex.status, response_headers=ex.response_headers, body=ex.body,
                fetched_at=ex.at, method=ex.method, request_headers=ex.request_headers,
                request_body=ex.request_body, rendered=True, discovered_from=response.url,
                extra_headers={HDR_PAGE: page_record, HDR_RESOURCE_TYPE: ex.resource_type},
            )
            record_capture(self.ctx.session, self.ctx.run_id, ex.url, rec, check_existing=False,
                           defer=self.ctx.captures.rows, status=ex.status, method=ex.method, rendered=True,
                           content_type=header_value(ex.response_headers, "content-type") or None,
                           discovered_from=response.url, discovery_path=path)
            self.ctx.bump("captures")
            self.ctx.bump("captures_xhr")
            self.ctx.log.write("fetched", ex.url, status=ex.status, capture=rec.record_id, rendered=True,
                               bytes=len(ex.body), kind="xhr", discovered_from=response.url, via="browser-xhr",
                               path=path)

    def _capture(self, request: Request, response: Response, rec: WrittenRecord, hop: dict[str, Any],
                 **extra: Any) -> None:
        """Queue the capture row of a record just written (inserted in a batch at the next commit)."""
        record_capture(self.ctx.session, self.ctx.run_id, response.url, rec, check_existing=False,
                       defer=self.ctx.captures.rows, status=response.status, method=request.method,
                       discovered_from=hop.get("from"), discovery_path=discovery_path(hop),
                       request_key=request_key(self.crawler, request),
                       **extra)

    def _revisit(self, request: Request, response: Response, now: datetime, hop: dict[str, Any]) -> WrittenRecord | None:
        """A revisit record when the server said 304 or sent the payload we already hold."""
        found = request.meta.get("nianbao_validators")
        if found is None:
            return None
        not_modified = response.status == 304
        if not not_modified and (response.status != 200 or sha256_b32(response.body) != found.digest):
            return None
        cap = found.capture
        rec = self.ctx.writer.write_revisit(
            response.url,
            original_record_id=cap.warc_record_id,
            original_uri=cap.url,
            original_date=cap.fetched_at,
            digest=found.digest,
            status=response.status,
            response_headers=_headers(response.headers),
            fetched_at=now,
            not_modified=not_modified,
            method=request.method,
            request_headers=_headers(request.headers),
            discovered_from=hop.get("from"),
        )
        self._capture(request, response, rec, hop, record_type=RecordType.REVISIT, content_type=cap.content_type,
                      refers_to_capture_id=cap.id, etag=header(response, b"ETag") or cap.etag,
                      last_modified=header(response, b"Last-Modified") or cap.last_modified)
        self.ctx.bump("revisits")
        return rec


def _truncated(request: Request, response: Response) -> str | None:
    """``length`` for a body the slow-host middleware cut at the size limit (crawler/middlewares/slow.py);
    ``unspecified`` for an encoded body whose stream ends early (crawler/middlewares/encoding.py),
    its reason put in ``request.meta[CUT_KEY]`` and the response flagged ``CUT_FLAG`` for the
    retry middleware."""
    request.meta.pop(CUT_KEY, None)  # a reason left by an earlier answer to this request
    if "download_stopped" in response.flags:
        return request.meta.get("nianbao_truncated")
    coding = header(response, b"Content-Encoding")
    why = cut_stream(response.body, coding) if coding else None
    if why is None:
        return None
    request.meta[CUT_KEY] = why
    return "unspecified"


def discovery_path(hop: dict[str, Any]) -> str | None:
    """The hop codes from the seed, and how the last link was found when it was not a plain
    ``<a href>`` (``HDC~iframe``, ``HDCR~onclick``)."""
    path, via = hop.get("path"), hop.get("via")
    return f"{path}~{via}" if path and via and via != "a" else path
