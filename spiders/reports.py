"""The one generic spider: from each portal's home page to every annual report on it.

Thin by design: what to follow is decided by :mod:`crawler.discovery.page` (pure), rendering
by the render middleware, archiving by the archive middleware, parsing and storing by the
pipelines. The spider only turns decisions into requests and report documents into items.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.browser.tap import CAPTURED_TYPES
from crawler.completeness import ITEM_KINDS, ITEM_SKIPS, column_key
from crawler.context import CrawlContext
from crawler.discovery.explore import answer_links
from crawler.discovery.page import LIST_KINDS, Hop, PageDecision, analyse, answer_hop, follow_link
from crawler.discovery.pagination import PageRequest
from crawler.discovery.protocols import Stated, read_answer
from crawler.documents.encoding import decode_html
from crawler.fetch import header
from crawler.frontier.steps import frontier_step
from crawler.items import ReportDocument
from crawler.middlewares.guard import Refused
from storage.warcrecord import header_value

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
        self._explored: dict[str, int] = {}
        """Column → pages of it this process explored in the browser."""
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
        answer: str = "list",
    ) -> scrapy.Request:
        """A request; ``answer`` is the kind of list answer it fetches (``list``: an HTML page for
        :meth:`parse_page`; any other kind goes to :meth:`parse_answer`, which reads it so)."""
        meta: dict[str, Any] = {"nianbao": hop.as_meta()}
        if answer != "list":
            meta["nianbao_answer"] = answer
            callback = callback or self.parse_answer
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
        target = self.ctx.target_for(response.url)
        if hop.kind == "home" and target:
            portal = self.ctx.completeness.portal(target.key)
            portal.home_fetched = portal.home_fetched or state == "content"
            portal.home_blocked = portal.home_blocked or state == "challenge"
        if state != "content":
            self.ctx.log.write("skipped", response.url, reason=f"{state} page", status=response.status)
            self.ctx.bump(f"skipped_{state}")
            if hop.kind in LIST_KINDS and target and (column := _column_of(hop, response.url)):
                self.ctx.completeness.list_failed(column, target.key, response.url)
            return
        if hop.kind == "attachment" or not isinstance(response, TextResponse) or not _is_html(response):
            yield from self._document(response, hop, "attachment")
            return
        netlocs = target.netlocs if target else frozenset()
        text, _ = decode_html(
            response.body, header(response, b"Content-Type") or None
        )
        decision = analyse(
            response.url, text, hop, netlocs, self.ctx.config.max_depth, self.ctx.config.scope == "site"
        )
        if decision.as_column:
            hop = replace(hop, kind="column")
        column = _column_of(hop, response.url)
        if target:
            self._tally(target.key, hop, response.url, decision)
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
                if column and target and follow.hop.kind in LIST_KINDS | ITEM_KINDS:
                    self.ctx.completeness.bound_hit(column, target.key, "query-string variants of one path capped")
                continue
            self._mark_yielded(req)
            yield self._request(req.url, follow.hop, follow.priority, req.method, req.body, req.headers,
                                answer=req.kind)
        if decision.explore and column and target and "playwright" not in response.flags:
            explore = self._explore(response, hop, column, target.key, decision.explore)
            if explore is not None:
                yield explore
        if decision.is_report:
            yield from self._document(response, hop, "html_body", decision.attachments, decision.meta)

    def _explore(self, response: Response, hop: Hop, column: str, site: str, reason: str) -> scrapy.Request | None:
        """The same column page again, to be explored in the browser (its hop says why), within
        the crawl's bound of explored pages per column."""
        config = self.ctx.config
        if not config.browser or config.explore_clicks == 0:
            self.ctx.log.write("skipped", response.url, reason=f"needs exploring in a browser ({reason}); browser off")
            self.ctx.completeness.bound_hit(column, site, "a page needs the browser to find its way on; browser off")
            return None
        done = self._explored.get(column, 0)
        if done >= config.explore_pages:
            self.ctx.completeness.bound_hit(column, site, f"{config.explore_pages} pages explored in the browser")
            self.ctx.log.write("bound", response.url, reason=f"{config.explore_pages} pages explored per column",
                               column=column)
            return None
        self._explored[column] = done + 1
        meta = {"nianbao": {**hop.as_meta(), "explore": reason}}
        if (plain := response.meta.get("nianbao_plain_record")) is not None:
            meta["nianbao_plain_record"] = plain
        # the same request again (a list that is a form's POST answer is explored as that POST)
        original = response.request or scrapy.Request(response.url)
        headers = {k: original.headers[k] for k in (b"Content-Type", b"Referer") if k in original.headers}
        return scrapy.Request(response.url, method=original.method, body=original.body, headers=headers or None,
                              callback=self.parse_explored, errback=self.failed, meta=meta, priority=95,
                              dont_filter=True)

    @frontier_step
    def parse_explored(self, response: Response) -> Iterator[Any]:
        """A column page after the browser's behaviours: follow what every state of it showed,
        what it tried to open and what its XHR answers listed; tally it all for the column."""
        hop = Hop.from_meta(response.meta.get("nianbao", {}))
        target = self.ctx.target_for(response.url)
        column = _column_of(hop, response.url)
        explored = response.meta.get("nianbao_explored") or {}
        if target is None or column is None:
            return
        netlocs, depth = target.netlocs, self.ctx.config.max_depth
        found = PageDecision()
        stated: Stated | None = None
        for state in explored.get("states") or [response.text]:
            decision = analyse(response.url, state, hop, netlocs, depth)
            stated = stated or decision.stated
            found.skips.extend(decision.skips)
            found.follows.extend(replace(f, hop=replace(f.hop, via=f"browser-{f.hop.via or 'a'}"))
                                 for f in decision.follows)
        for attempt in explored.get("attempts", []):
            follow_link(found, response.url, attempt["url"], attempt.get("label"), attempt.get("label"), hop,
                        netlocs, depth, via=attempt.get("via") or "browser-click", method=attempt.get("method") or "GET",
                        body=attempt.get("body") if (attempt.get("method") or "GET") != "GET" else None)
        answers = [ex for ex in response.meta.get("nianbao_xhr") or [] if ex.resource_type in CAPTURED_TYPES]
        for ex in answers:
            ctype = header_value(ex.response_headers, "content-type")
            records, said = answer_links(ex.url, ctype, decode_html(ex.body, ctype)[0])
            stated = stated or said
            for url, title in records:
                follow_link(found, ex.url, url, title, title, hop, netlocs, depth, via="browser-xhr")
        items = [f.request.url for f in found.follows if f.hop.kind in ITEM_KINDS]
        items += [s.url for s in found.skips if s.reason.startswith(ITEM_SKIPS)]
        tally = self.ctx.completeness.list_page(column, target.key, items)
        if stated is not None:
            tally.state(stated.items, stated.pages, stated.evidence, "browser")
        for bound in explored.get("bounds", []) + explored.get("dropped", []):
            self.ctx.completeness.bound_hit(column, target.key, f"browser: {bound}")
            self.ctx.log.write("bound", response.url, reason=f"browser: {bound}", column=column)
        self.ctx.log.write("explored", response.url, column=column, clicks=explored.get("clicks", 0),
                           scrolls=explored.get("scrolls", 0), seconds=explored.get("seconds", 0.0),
                           states=explored.get("snapshots", 0), attempts=len(explored.get("attempts", [])),
                           xhr=len(answers), items=len(set(items)),
                           controls=explored.get("controls", {}), reason=hop_reason(response))
        self.ctx.bump("explored")
        if explored.get("xhr_failed") and (again := self._explore(
                response, hop, column, target.key, f"again: {len(explored['xhr_failed'])} XHR answers failed")):
            # the page's script stopped where an answer failed (a 502, a reset): explore once more
            self.ctx.log.write("retry", response.url, reason="explore again: XHR answers failed: "
                               + ", ".join(explored["xhr_failed"][:3]))
            yield again
        for skip in found.skips:
            self.ctx.log.write("skipped", skip.url, reason=skip.reason, discovered_from=response.url)
        for follow in found.follows:
            req = follow.request
            if self._yielded_before(req) or (req.url == response.url and req.method == "GET"):
                continue
            self._mark_yielded(req)
            yield self._request(req.url, follow.hop, follow.priority, req.method, req.body, req.headers,
                                answer=req.kind)

    def _tally(self, site: str, hop: Hop, url: str, decision: PageDecision) -> None:
        """Completeness evidence of a fetched page: the portal's progress, and for a page of an
        annual-report column what its list states and which records it lists."""
        portal = self.ctx.completeness.portal(site)
        if hop.kind in ("disclosure", "department"):
            portal.disclosure += 1
        elif hop.kind == "column":
            portal.columns += 1
        column = _column_of(hop, url)
        if hop.kind not in LIST_KINDS or column is None:
            return
        items = [f.request.url for f in decision.follows if f.hop.kind in ITEM_KINDS]
        items += [s.url for s in decision.skips if s.reason.startswith(ITEM_SKIPS)]
        tally = self.ctx.completeness.list_page(column, site, items)
        if decision.stated is not None:
            tally.state(decision.stated.items, decision.stated.pages, decision.stated.evidence, decision.family)

    def _list_answer(self, response: Response, items: list[tuple[str, str]], stated: Stated | None = None) -> None:
        """Completeness evidence of an API answer of a column's list (all its records are items)."""
        hop = Hop.from_meta(response.meta.get("nianbao", {}))
        target = self.ctx.target_for(response.url)
        column = _column_of(hop, response.url)
        if target is None or column is None:
            return
        tally = self.ctx.completeness.list_page(column, target.key, [u for u, _ in items])
        if stated is not None:
            tally.state(stated.items, stated.pages, stated.evidence)

    @frontier_step
    def parse_answer(self, response: Response) -> Iterator[Any]:
        """An answer of a list's API (a dataproxy.jsp record group, a JSON page, a search
        fragment…): its records are list items; it may imply further requests."""
        hop = Hop.from_meta(response.meta.get("nianbao", {}))
        kind = str(response.meta.get("nianbao_answer") or ("datastore" if hop.kind == "datastore" else "json"))
        ctype = _ctype(response) if kind != "json" else "application/json; charset=utf-8"
        answer = read_answer(kind, response.url, decode_html(response.body, ctype)[0])
        self._list_answer(response, answer.items, answer.stated)
        yield from self._list_items(response, answer.items)
        for req in answer.next:
            if self._yielded_before(req):
                continue
            self._mark_yielded(req)
            yield self._request(req.url, hop.child(answer_hop(req.kind), response.url, via=kind), 70,
                                req.method, req.body, req.headers, answer=req.kind)

    # callbacks of requests queued by earlier versions (a resumed run's frontier names them)
    parse_datastore = parse_answer
    parse_json = parse_answer

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
                via="list-api",
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
        target = self.ctx.target_for(request.url)
        if target is not None:
            if hop.kind == "home":
                self.ctx.completeness.portal(target.key).home_failed = _one_line(
                    f"{kind}: {reason}" if status is None else f"HTTP {status}")
            elif kind != "IgnoreRequest" and hop.kind in LIST_KINDS and (column := _column_of(hop, request.url)):
                # (a request the crawl itself declined — robots.txt — is a decision, logged, not a failure)
                self.ctx.completeness.list_failed(column, target.key, request.url)
        if not failure.check(Refused):  # the guard logged its refusal ("refused", "redirect-out-of-scope")
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


def _column_of(hop: Hop, url: str) -> str | None:
    """The annual-report column a page belongs to: itself for a column page (any of its pages)."""
    column = url if hop.kind == "column" else hop.column
    return column_key(column) if column else None


def hop_reason(response: Response) -> str | None:
    """Why the page was explored, as the spider asked."""
    return (response.meta.get("nianbao") or {}).get("explore")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


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
