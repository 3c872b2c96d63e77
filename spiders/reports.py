"""The one generic spider: from each portal's home page to every annual report on it.

Thin by design: what to follow is decided by :mod:`crawler.discovery.page` (pure), rendering
by the render middleware, archiving by the archive middleware, parsing and storing by the
pipelines. The spider only turns decisions into requests and report documents into items.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.context import CrawlContext
from crawler.discovery.page import Hop, PageDecision, analyse, follow_link
from crawler.discovery.pagination import PageRequest, datastore_records, json_list, record_links
from crawler.documents.encoding import decode_html
from crawler.fetch import header
from crawler.frontier.steps import frontier_step
from crawler.items import ReportDocument

_QUERY_VARIANTS = 25
"""More query-string variants of one path than this is a trap (calendars, session ids)."""


class ReportsSpider(scrapy.Spider):
    name = "reports"
    custom_settings: dict[str, Any] = {}

    def __init__(self, ctx: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self._variants: dict[str, set[str]] = {}
        self._yielded: set[str] = set()
        """URLs of the plain GET requests this process has yielded. The scheduler would drop such
        a request again as a duplicate; most links of a page repeat earlier pages' links, and not
        building them saves the cost of a request on its way to the scheduler."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.ctx.resuming:  # the frontier has the run's requests; the seeds only if it lost them
            from storage.frontier import frontier_urls

            for url in frontier_urls(self.ctx.session, self.ctx.run_id):
                self._is_trap(url)
        for target in self.ctx.targets:
            for url in target.start_urls:
                yield self._request(url, Hop("home", 0, "H"), 1000, seed=not self.ctx.resuming)
            for url in target.hints:
                yield self._request(url, Hop("column", 1, "HC"), 900)

    def _request(
        self,
        url: str,
        hop: Hop,
        priority: int,
        method: str = "GET",
        body: str | None = None,
        headers: dict[str, str] | None = None,
        callback: Any = None,
        seed: bool = False,
        seen: int | None = None,
    ) -> scrapy.Request:
        meta: dict[str, Any] = {"nianbao": hop.as_meta()}
        if seen is not None:
            meta["nianbao_seen"] = seen
        return scrapy.Request(
            url,
            method=method,
            body=body,
            headers=headers,
            priority=priority,
            callback=callback or self.parse_page,
            errback=self.failed,
            meta=meta,
            dont_filter=seed,
        )

    @frontier_step
    def parse_page(self, response: Response) -> Iterator[Any]:
        hop = Hop.from_meta(response.meta.get("nianbao", {}))
        state = response.meta.get("nianbao_state", "content")
        if state != "content":
            self.ctx.log.write("skipped", response.url, reason=f"{state} page", status=response.status)
            self.ctx.bump(f"skipped_{state}")
            return
        if hop.kind == "attachment" or not isinstance(response, TextResponse) or not _is_html(response):
            yield from self._document(response, hop, "attachment")
            return
        target = self.ctx.target_for(response.url)
        netlocs = target.netlocs if target else frozenset()
        text, _ = decode_html(
            response.body, header(response, b"Content-Type") or None
        )
        decision = analyse(
            response.url, text, hop, netlocs, self.ctx.config.max_depth, self.ctx.config.scope == "site"
        )
        for skip in decision.skips:
            self.ctx.log.write("skipped", skip.url, reason=skip.reason, discovered_from=response.url)
        for follow in decision.follows:
            req = follow.request
            if self._yielded_before(req):
                continue
            if self._is_trap(req.url):
                self.ctx.log.write(
                    "skipped", req.url, reason="trap: too many query-string variants of one path"
                )
                continue
            callback = {"datastore": self.parse_datastore, "json": self.parse_json}.get(req.kind)
            self._mark_yielded(req)
            yield self._request(
                req.url, follow.hop, follow.priority, req.method, req.body, req.headers, callback
            )
        if decision.is_report:
            yield from self._document(response, hop, "html_body", decision.attachments, decision.meta)

    @frontier_step
    def parse_datastore(self, response: Response) -> Iterator[Any]:
        """A dataproxy.jsp answer: its records are list items."""
        fragment = "".join(datastore_records(decode_html(response.body, _ctype(response))[0]))
        yield from self._list_items(response, record_links(fragment, response.url))

    @frontier_step
    def parse_json(self, response: Response) -> Iterator[Any]:
        """A JSON list page: its items, and the next page (which learns how many came before)."""
        hop = Hop.from_meta(response.meta.get("nianbao", {}))
        seen = int(response.meta.get("nianbao_seen", 0))
        page = json_list(response.url, decode_html(response.body, "application/json; charset=utf-8")[0], seen)
        yield from self._list_items(response, page.items)
        if page.next is not None:
            yield self._request(page.next.url, hop.child("json", response.url), 70, callback=self.parse_json,
                                seen=seen + len(page.items))

    def _list_items(self, response: Response, items: list[tuple[str, str]]) -> Iterator[scrapy.Request]:
        hop = Hop.from_meta(response.meta.get("nianbao", {}))
        target = self.ctx.target_for(response.url)
        decision = PageDecision()
        for url, title in items:
            follow_link(
                decision,
                response.url,
                url,
                title,
                title,
                hop,
                target.netlocs if target else frozenset(),
                self.ctx.config.max_depth,
            )
        for skip in decision.skips:
            self.ctx.log.write("skipped", skip.url, reason=skip.reason, discovered_from=response.url)
        for follow in decision.follows:
            if not self._yielded_before(follow.request):
                self._mark_yielded(follow.request)
                yield self._request(follow.request.url, follow.hop, follow.priority)

    def _document(
        self,
        response: Response,
        hop: Hop,
        role: str,
        attachments: list[str] | None = None,
        meta: dict[str, str] | None = None,
    ) -> Iterator[ReportDocument]:
        target = self.ctx.target_for(response.url)
        report_url = hop.report_url if role == "attachment" and hop.report_url else response.url
        yield self._held(ReportDocument(
            report_url=report_url,
            url=response.url,
            role=role,
            body=response.body,
            content_type=header(response, b"Content-Type") or None,
            capture_record=response.meta.get("nianbao_capture"),
            site_key=target.key if target else "",
            link_title=hop.link_title,
            filename=_filename(response),
            attachments=tuple(attachments or ()),
            rendered="playwright" in response.flags,
            meta=meta or {},
        ))

    def _held(self, doc: ReportDocument) -> ReportDocument:
        """Hand a document on, held in the frontier until its report is stored (crash safety)."""
        self.ctx.ledger.hold(doc.held())
        return doc

    @frontier_step
    def failed(self, failure: Failure) -> Iterator[ReportDocument]:
        request = failure.request  # type: ignore[attr-defined]
        hop = Hop.from_meta(request.meta.get("nianbao", {}))
        kind = getattr(failure.type, "__name__", "Error")
        reason = failure.getErrorMessage() or kind
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        self.ctx.log.write(
            "failed",
            request.url,
            reason=f"{kind}: {reason}"[:300],
            status=status,
            kind=hop.kind,
            discovered_from=hop.source,
        )
        self.ctx.bump("errors")
        if hop.kind == "attachment" and hop.report_url:
            target = self.ctx.target_for(request.url)
            yield self._held(ReportDocument(
                report_url=hop.report_url,
                url=request.url,
                role="attachment",
                body=b"",
                content_type=None,
                capture_record=request.meta.get("nianbao_capture"),
                site_key=target.key if target else "",
                link_title=hop.link_title,
                error=f"{status or kind}: {reason}"[:300],
            ))

    def _yielded_before(self, req: PageRequest) -> bool:
        return req.url in self._yielded and _plain(req)

    def _mark_yielded(self, req: PageRequest) -> None:
        if _plain(req):
            self._yielded.add(req.url)

    def _is_trap(self, url: str) -> bool:
        """More than ``_QUERY_VARIANTS`` distinct query strings on one path: a trap."""
        parts = urlsplit(url)
        if not parts.query:
            return False
        variants = self._variants.setdefault(parts.netloc + parts.path, set())
        if url in variants:
            return False
        if len(variants) >= _QUERY_VARIANTS:
            return True
        variants.add(url)
        return False


def _plain(req: PageRequest) -> bool:
    """A GET with no body and no headers of its own: its URL alone decides its fingerprint."""
    return req.method == "GET" and not req.body and not req.headers


def _ctype(response: Response) -> str | None:
    return header(response, b"Content-Type") or None


def _is_html(response: Response) -> bool:
    ctype = header(response, b"Content-Type").lower()
    if "html" in ctype or "xml" in ctype:
        head = response.body[:64].lstrip()
        return not head.startswith(b"%PDF") and not head.startswith(b"PK\x03\x04")
    return False


def _filename(response: Response) -> str:
    cd = (response.headers.get(b"Content-Disposition") or b"")
    if cd:
        text = cd.decode("latin-1")
        star = re.search(r"filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)", text)
        if star:
            return unquote(star.group(1))
        plain = re.search(r'filename\s*=\s*"?([^";]+)"?', text)
        if plain:
            raw = plain.group(1).encode("latin-1")
            for enc in ("utf-8", "gb18030"):
                try:
                    return raw.decode(enc)
                except UnicodeDecodeError:
                    continue
    return unquote(urlsplit(response.url).path.rsplit("/", 1)[-1]) or "document"
