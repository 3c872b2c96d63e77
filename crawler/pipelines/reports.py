"""Parse every report document and store reports, versions, sources, cells and checks.

A report is its page plus the attachments the page links to; documents arrive one by one,
so they are grouped by report URL and stored once the page and all its attachments have
arrived (or failed), or when the crawl closes. Parsing runs in a pool of worker processes
(CPU-bound Python would otherwise hold the GIL and starve the crawl); database writes stay on
the reactor thread.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.context import CrawlContext, context_of
from crawler.discovery.classify import is_report_title
from crawler.documents.model import DocumentError
from crawler.frontier.replay import held_reports
from crawler.items import ReportDocument
from crawler.pipelines.choose import Candidate, choose, choose_agency, notice_title
from crawler.pipelines.limits import UNLIMITED, Limits, ParseLimit, init_worker, kill_workers, within_limits
from crawler.reports import ParseResult, parse_report
from storage.models import ParseStatus, Site, SourceRole
from storage.repo import (
    add_source,
    choose_value_source,
    get_or_create_agency,
    reports_seen_in,
    upsert_report_version,
)


@dataclass
class _Parsed:
    doc: ReportDocument
    result: ParseResult | None
    error: str | None


@dataclass
class _Group:
    page: _Parsed | None = None
    parts: list[_Parsed] = field(default_factory=list)
    expected: set[str] = field(default_factory=set)

    def complete(self) -> bool:
        arrived = {p.doc.url for p in self.parts} | {p.doc.report_url for p in self.parts}
        return self.page is not None and self.expected <= arrived


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when the crawl process dies, even by SIGKILL (Linux
    PR_SET_PDEATHSIG), so a killed crawl leaves no parser processes behind."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own EOF handling is all there is
        return
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(0)


def start_worker(parent: int, limits: Limits) -> None:
    """Worker initializer: die with the crawl, run within the limits."""
    die_with_parent(parent)
    init_worker(limits)


def _parse(doc: ReportDocument, ocr: bool, limits: Limits = UNLIMITED) -> _Parsed:
    if doc.error:
        return _Parsed(doc, None, doc.error)
    try:
        result = within_limits(limits, parse_report, doc.body, doc.filename or doc.url, ocr=ocr,
                               content_type=doc.content_type)
        return _Parsed(doc, result, None)
    except DocumentError as e:
        return _Parsed(doc, None, e.problem)
    except ParseLimit as e:
        return _Parsed(doc, None, str(e))
    except Exception as e:  # a hostile document must never stop the crawl
        return _Parsed(doc, None, f"parser error: {type(e).__name__}: {e}"[:300])


class ReportsPipeline:
    """Groups, parses and stores report documents."""

    def __init__(self, ctx: CrawlContext) -> None:
        self.ctx = ctx
        self.groups: dict[str, _Group] = {}
        self.stored: set[str] = set()
        self.report_ids: set[int | None] = set()
        self.pool: ProcessPoolExecutor | None = None
        config = ctx.config
        self.limits = Limits(config.parse_memory_mb, config.parse_cpu_s, config.parse_wall_s)

    def _workers(self) -> ProcessPoolExecutor:
        """The parser processes, started on the first document (a crawl without reports starts none)."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.ctx.config.parse_workers,
                                            mp_context=multiprocessing.get_context("spawn"),
                                            initializer=start_worker, initargs=(os.getpid(), self.limits))
        return self.pool

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportsPipeline:
        from scrapy import signals

        pipeline = cls(context_of(crawler))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def process_item(self, item: object) -> object:
        if not isinstance(item, ReportDocument):
            return item
        self._add(await self._parse(item))
        return item

    def _add(self, parsed: _Parsed) -> None:
        """Put a parsed document into its report's group; store the report once it is complete."""
        item = parsed.doc
        if parsed.error:
            self.ctx.log.write("parse_failed", item.url, reason=parsed.error, capture=item.capture_record)
        group = self.groups.setdefault(item.report_url, _Group())
        if item.role == "html_body":
            group.page = parsed
            group.expected = set(item.attachments)
        else:
            group.parts.append(parsed)
            if item.report_url == item.url and group.page is None:  # an attachment listed on its own
                group.page = parsed
        if group.complete():
            self._store(item.report_url, self.groups.pop(item.report_url))

    async def open_spider(self) -> None:
        """On resume: parse again the documents the killed process held, and regroup them."""
        if not self.ctx.resuming:
            return
        # Reports the run's earlier processes stored are counted already (the run's figures go on
        # from theirs); one stored again from a replayed page is not counted twice.
        self.report_ids.update(reports_seen_in(self.ctx.session, self.ctx.run_id))
        docs = held_reports(self.ctx.session, self.ctx.run_id, Path(self.ctx.config.archive_dir))
        for doc, problem in docs:
            if problem:
                self.ctx.log.write("failed", doc.url, reason=problem, capture=doc.capture_record)
        parsed = await asyncio.gather(*(self._parse(doc) for doc, _ in docs))
        for p in parsed:
            self._add(p)
        self.ctx.bump("resumed_documents", len(parsed))

    async def _parse(self, item: ReportDocument) -> _Parsed:
        pool = self._workers()
        job = asyncio.get_running_loop().run_in_executor(pool, _parse, item, self.ctx.config.ocr, self.limits)
        try:
            return await asyncio.wait_for(job, self.limits.wall_s or None)
        except TimeoutError:  # a worker that does not answer is replaced (its other documents are parsed again)
            if self.pool is pool:
                self.pool = None
                kill_workers(pool)
            self.ctx.bump("parse_timeouts")
            return _Parsed(item, None, f"parse stopped: no answer in {self.limits.wall_s:g} s")
        except BrokenProcessPool:  # a worker died (a hostile document?): note it; the next call starts a new pool
            if self.pool is pool:
                self.pool = None
            return _Parsed(item, None, "parser process died on this document")

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None
        self.ctx.maybe_commit(force=True)

    def spider_closed(self, reason: str) -> None:
        """A crawl that ran to its end stores the reports still missing an attachment; an
        interrupted one leaves them held, for ``nianbao crawl --resume`` to complete."""
        if reason not in ("finished", "closespider_pagecount"):
            return
        for url, group in list(self.groups.items()):
            if group.page is None and group.parts:
                group.page = group.parts[0]
            if group.page is not None:
                self._store(url, group)
        self.groups.clear()
        self.ctx.maybe_commit(force=True)

    def _store(self, report_url: str, group: _Group) -> None:
        ctx = self.ctx
        ctx.ledger.release(report_url)  # whatever happens below is committed with the release
        assert group.page is not None
        docs = [group.page] + [p for p in group.parts if p is not group.page]
        results = [d.result for d in docs if d.result is not None]
        title = next((r.title for r in results if r.title and is_report_title(r.title)), None) or group.page.doc.link_title
        year = next((r.year for r in results if r.year), None)
        page = group.page
        notice = notice_title([page.result.title if page.result else None, page.doc.meta.get("ArticleTitle"),
                               page.doc.link_title], results)
        if notice:  # a 通知/函 about reports, even one attaching a blank report template
            ctx.log.write("skipped", report_url, reason=f"a notice about reports: {notice[:40]}")
            ctx.bump("not_reports")
            return
        titles = [t for t in [*(r.title for r in results), page.doc.link_title] if t and is_report_title(t)]
        site_id = ctx.site_ids.get(page.doc.site_key)
        site = ctx.session.get(Site, site_id) if site_id else None
        agency_name, agency_from = choose_agency(titles, page.doc.meta, [r.agency for r in results],
                                                 site.name if site else None)
        if not is_report_title(title) and not any(r.template in ("2019", "2021") for r in results):
            ctx.log.write("skipped", report_url, reason=f"not an annual report: {(title or '')[:40]}")
            ctx.bump("not_reports")
            return
        if year is None or not agency_name:
            ctx.log.write("skipped", report_url, reason="report without a readable year or agency", title=title)
            ctx.bump("reports_unidentified")
            return
        if ctx.config.years and year not in ctx.config.years:
            ctx.log.write("skipped", report_url, reason=f"year {year} not in --years")
            return
        if site is None:
            return
        candidates = [Candidate(d.doc.role, d.doc.url, d.result) for d in docs]
        best, reason = choose(candidates)
        chosen = docs[best] if best is not None else group.page
        values = dict(chosen.result.values) if chosen.result else {}
        agency = get_or_create_agency(ctx.session, site, agency_name)
        ids = ctx.captures.ids(ctx.session, [d.doc.capture_record or "" for d in docs])
        captures = [ids[d.doc.capture_record] for d in [chosen, *docs] if d.doc.capture_record in ids]
        report, version, status = upsert_report_version(
            ctx.session, agency, year, values, list(dict.fromkeys(captures)), datetime.now(UTC), run_id=ctx.run_id)
        chosen_source = None
        for d in docs:
            capture_id = ids.get(d.doc.capture_record or "")
            if capture_id is None:
                continue
            src = add_source(
                ctx.session, version, capture_id, d.result,
                role=SourceRole.HTML_BODY if d.doc.role == "html_body" else SourceRole.ATTACHMENT,
                format=d.result.kind if d.result else None,
                parse_status=None if d.result else ParseStatus.FAILED, parse_error=d.error)
            if d is chosen:
                chosen_source = src
        if chosen_source is not None and best is not None:
            choose_value_source(ctx.session, version, chosen_source, reason)
        self.stored.add(report_url)
        if report.id not in self.report_ids:  # a report reposted in a second column counts once
            self.report_ids.add(report.id)
            ctx.bump("reports")
            ctx.bump(f"reports_{status.value}")
        ctx.log.write("report", report_url, status=status.value, year=year, agency=agency_name, agency_from=agency_from,
                      template=chosen.result.template if chosen.result else None, reason=reason,
                      report=report.id, version=version.number)
        ctx.maybe_commit()
