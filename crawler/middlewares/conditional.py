"""Cheap re-crawls: ask only for what changed, and store nothing twice.

Requests for a URL captured by an earlier run carry If-None-Match / If-Modified-Since from
that capture. The archive middleware then writes a ``revisit`` record for a 304 or for a 200
whose payload has the stored digest; on a 304 this middleware hands the spider the stored
payload (read back from the WARC), so parsing and versioning see the page as it is.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.context import CrawlContext, context_of
from storage.repo import last_validators
from storage.warcread import read_capture


class ConditionalMiddleware:
    """Adds validators to requests and restores the stored payload behind a 304."""

    def __init__(self, ctx: CrawlContext) -> None:
        self.ctx = ctx
        self._earlier: bool | None = None
        """Whether any earlier run captured these sites (else no lookup is worth making)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalMiddleware:
        return cls(context_of(crawler))

    def process_request(self, request: Request) -> None:
        if request.method != "GET" or request.meta.get("playwright") or request.meta.get("nianbao_validators"):
            return
        if self._earlier is None:
            self._earlier = _earlier_captures(self.ctx)
        if not self._earlier:
            return
        found = last_validators(self.ctx.session, request.url)
        if found is None or found.capture.run_id == self.ctx.run_id:
            return
        request.meta["nianbao_validators"] = found
        if found.etag:
            request.headers.setdefault(b"If-None-Match", found.etag.encode("latin-1"))
        if found.last_modified:
            request.headers.setdefault(b"If-Modified-Since", found.last_modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        found = request.meta.get("nianbao_validators")
        if response.status != 304 or found is None:
            return response
        cap = found.capture
        stored = read_capture(self.ctx.config.archive_dir, cap)
        headers = dict(stored.body_headers())
        self.ctx.bump("not_modified")
        cls = responsetypes.from_args(headers=Headers(headers), url=response.url, body=stored.payload)
        # A fresh response, not response.replace(): the 304's own (bodiless) encoding guess must
        # not override the stored page's declared charset.
        return cls(url=response.url, status=200, headers=headers, body=stored.payload, request=request,
                   flags=[*response.flags, "revisit"], ip_address=response.ip_address, protocol=response.protocol)


def _earlier_captures(ctx: CrawlContext) -> bool:
    """True when an earlier run captured a page on one of this crawl's hosts."""
    from sqlmodel import col, select

    from storage.models import Capture

    for target in ctx.targets:
        for netloc in target.netlocs:
            found = ctx.session.exec(
                select(Capture.id).where(Capture.run_id != ctx.run_id,
                                         col(Capture.url).startswith(f"http://{netloc}/") |
                                         col(Capture.url).startswith(f"https://{netloc}/")).limit(1)
            ).first()
            if found is not None:
                return True
    return False
