"""Resume without fetching twice: a request the killed process had already fetched is answered
from the run's own archive.

A request that was still unfinished when its process died may already have captures: the
response came in and was archived, but the spider had not finished with it (or its redirect,
retry or render was under way). On resume such a request is answered, download by download,
from those captures in the order they were made — the 301, then the page; the 503, then the
retry's 200; the challenge, then the rendered DOM — and only past its last capture does it go
to the network. Nothing is archived again; the spider sees the same responses as before.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from sqlmodel import Session, col, select

from crawler.context import CrawlContext, context_of
from crawler.fetch.detect import page_state
from crawler.frontier import REPLAYED, request_key
from crawler.items import ReportDocument
from crawler.middlewares.render import rendered_state
from storage.held import held_documents
from storage.models import Capture, RecordType
from storage.warcread import read_capture


def archived_payload(
    session: Session, archive_dir: Path, capture: Capture, *, as_document: bool = False
) -> tuple[int | None, list[tuple[str, str]], bytes]:
    """Status, headers and payload of a capture as they came off the wire (still
    content-encoded: Scrapy's decompression middleware runs on them as it did the first time).

    A revisit with the same payload (a 200) comes back with its original's payload and headers;
    a 304 stays a bodiless 304 (the conditional middleware fills it in, as it did the first
    time) unless ``as_document`` asks for the page behind it.
    """
    record = read_capture(archive_dir, capture)
    headers = record.body_headers()
    payload = record.payload
    if capture.record_type is RecordType.RESOURCE:
        headers = [("Content-Type", capture.content_type or "text/html; charset=utf-8")]
    elif capture.record_type is RecordType.REVISIT and (as_document or capture.status != 304):
        original = session.get(Capture, capture.refers_to_capture_id) if capture.refers_to_capture_id else None
        if original is None:
            raise ValueError(f"revisit {capture.warc_record_id}: its original capture is not in the store")
        stored = read_capture(archive_dir, original)
        headers = stored.body_headers()
        payload = stored.payload
    return capture.status, headers, payload


class ReplayMiddleware:
    """Answers requests of a resumed run from the captures the killed process made for them."""

    def __init__(self, ctx: CrawlContext, crawler: Crawler) -> None:
        self.ctx = ctx
        self.crawler = crawler
        self._queues: dict[str, deque[Capture]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        return cls(context_of(crawler), crawler)

    def _load(self) -> dict[str, deque[Capture]]:
        queues: dict[str, deque[Capture]] = {}
        rows = self.ctx.session.exec(
            select(Capture)
            .where(Capture.run_id == self.ctx.run_id, col(Capture.request_key).is_not(None))
            .order_by(col(Capture.id))
        ).all()
        for cap in rows:
            assert cap.request_key is not None
            queues.setdefault(cap.request_key, deque()).append(cap)
        return queues

    def process_request(self, request: Request) -> Response | None:
        if not self.ctx.resuming:
            return None
        if self._queues is None:
            self._queues = self._load()
        queue = self._queues.get(request_key(self.crawler, request))
        if not queue:
            return None
        cap = queue.popleft()
        status, headers, body = archived_payload(self.ctx.session, Path(self.ctx.config.archive_dir), cap)
        rendered = cap.record_type is RecordType.RESOURCE
        request.meta["nianbao_capture"] = cap.warc_record_id
        if rendered:  # as the settle middleware judged it when the page was rendered
            request.meta["nianbao_state"] = rendered_state(page_state(200, body, "text/html"))
        else:
            request.meta["nianbao_plain_record"] = cap.warc_record_id
        cls = responsetypes.from_args(headers=Headers(headers), url=cap.url, body=body)
        self.ctx.bump("replayed")
        self.ctx.log.write("replayed", cap.url, capture=cap.warc_record_id, status=status, rendered=rendered)
        return cls(url=cap.url, status=status or 200, headers=headers, body=body, request=request,
                   flags=[REPLAYED, *(["playwright"] if rendered else [])])


def content_decoded(headers: list[tuple[str, str]], payload: bytes) -> bytes:
    """The payload without its Content-Encoding (gzip, deflate, br), as the spider saw it."""
    import zlib

    from scrapy.utils.gz import gunzip

    encoding = next((v for k, v in headers if k.lower() == "content-encoding"), "")
    for coding in reversed([c.strip().lower() for c in encoding.split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip"):
            payload = gunzip(payload)
        elif coding == "deflate":
            try:
                payload = zlib.decompress(payload)
            except zlib.error:
                payload = zlib.decompress(payload, -zlib.MAX_WBITS)
        elif coding == "br":
            import brotli  # type: ignore[import-not-found]

            payload = brotli.decompress(payload)
        elif coding != "identity":
            raise ValueError(f"unknown Content-Encoding {coding!r}")
    return payload


def held_reports(session: Session, run_id: int, archive_dir: Path) -> list[tuple[ReportDocument, str | None]]:
    """The report documents a killed run was holding, with their bytes read back from its WARC
    files; a document whose record cannot be read comes back empty, with the reason."""
    held = held_documents(session, run_id)
    record_ids = [str(d["capture_record"]) for d in held if d.get("capture_record")]
    captures = {
        c.warc_record_id: c
        for i in range(0, len(record_ids), 500)
        for c in session.exec(select(Capture).where(col(Capture.warc_record_id).in_(record_ids[i : i + 500])))
    }
    out: list[tuple[ReportDocument, str | None]] = []
    for d in held:
        cap = captures.get(str(d.get("capture_record")))
        body, problem = b"", None
        if cap is not None and not d.get("error"):
            try:
                _, headers, payload = archived_payload(session, archive_dir, cap, as_document=True)
                body = content_decoded(headers, payload)
            except (OSError, ValueError) as exc:
                problem = f"held document unreadable from the archive: {exc}"[:300]
        elif d.get("capture_record") and not d.get("error"):
            problem = "held document's capture is missing from the store"
        doc = ReportDocument.from_held({**d, "error": problem}, b"") if problem else ReportDocument.from_held(d, body)
        out.append((doc, problem))
    return out
