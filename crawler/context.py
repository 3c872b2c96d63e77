"""What one crawl process shares between its Scrapy components: the validated config, the
run, the database session, the WARC writer and the crawl log. Built by whoever runs the
crawl (the runner), given to the spider, and found by the other components through
:func:`context_of` (Scrapy settings are copied, so live objects cannot travel in them)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session

from crawler.completeness import Completeness
from crawler.config import CrawlConfig
from crawler.crawllog import CrawlLog
from crawler.frontier.ledger import FrontierLedger
from storage.warc import WarcWriter


def context_of(crawler: object) -> CrawlContext:
    """The context of the crawl a Scrapy component belongs to."""
    spider = getattr(crawler, "spider", None)
    ctx = getattr(spider, "ctx", None)
    if not isinstance(ctx, CrawlContext):
        raise RuntimeError("nianbao components need the nianbao ReportsSpider (no crawl context found)")
    return ctx


HEARTBEAT_EVERY = 30.0
"""Seconds between heartbeats of a running crawl (the scheduler deems a run dead after 10 min)."""


@dataclass(frozen=True)
class Target:
    """A portal to crawl: where to start and what is in scope."""

    key: str
    """Registry key (or the host of a bare URL)."""
    name: str
    start_urls: tuple[str, ...]
    netlocs: frozenset[str]
    """host[:port] values in scope; links elsewhere are logged and not followed."""
    hints: tuple[str, ...] = ()
    """Known annual-report column URLs (optional; discovery does not need them)."""

    @classmethod
    def from_url(cls, url: str, key: str | None = None, name: str | None = None,
                 extra_netlocs: tuple[str, ...] = (), hints: tuple[str, ...] = ()) -> Target:
        netloc = urlsplit(url).netloc.lower()
        return cls(key or netloc, name or netloc, (url,), frozenset({netloc, *extra_netlocs}), hints)


class CaptureBuffer:
    """Capture rows waiting for the next commit, inserted together (one statement per batch).

    A capture is known by its WARC record id until then; :meth:`ids` turns record ids into row
    ids, writing the pending rows first. Batching keeps the per-page cost of the archive low.
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []

    def add(self, values: dict[str, object]) -> str:
        self.rows.append(values)
        return str(values["warc_record_id"])

    def flush(self, session: Session) -> None:
        if self.rows:
            from storage.models import Capture

            session.execute(sa.insert(Capture), self.rows)
            self.rows = []

    def ids(self, session: Session, record_ids: list[str]) -> dict[str, int]:
        """Row ids of captures by WARC record id (pending rows are written first)."""
        from sqlmodel import col, select

        from storage.models import Capture

        self.flush(session)
        wanted = [r for r in record_ids if r]
        if not wanted:
            return {}
        rows = session.exec(select(Capture.warc_record_id, Capture.id).where(col(Capture.warc_record_id).in_(wanted)))
        return {rid: cid for rid, cid in rows if cid is not None}


@dataclass
class CrawlContext:
    """Shared state of one crawl process (created once, closed once)."""

    config: CrawlConfig
    run_id: int
    session: Session
    writer: WarcWriter
    log: CrawlLog
    targets: tuple[Target, ...]
    site_ids: dict[str, int] = field(default_factory=dict)
    """Registry key → sites.id."""
    commit_every: float = 0.5
    """Seconds between commits: a crash loses at most this much, and resume refetches it."""
    _last_commit: float = field(default=0.0, repr=False)
    _last_heartbeat: float = field(default=0.0, repr=False)
    counts: dict[str, int] = field(default_factory=dict)
    captures: CaptureBuffer = field(default_factory=CaptureBuffer)
    resuming: bool = False
    """True when this process carries on a killed or interrupted run (its frontier is in the DB)."""
    on_commit: list[Callable[[Session], None]] = field(default_factory=list)
    """Called with the session just before each commit (components that save state with it)."""
    completeness: Completeness = field(default_factory=Completeness)
    """Per column: what its list states against what was found; per portal: how far it got."""
    ledger: FrontierLedger = field(init=False)
    """Frontier changes (queued/finished requests, held documents) written at the next commit."""

    def __post_init__(self) -> None:
        self.ledger = FrontierLedger(self.run_id)

    def _beat(self) -> None:
        """Tell the scheduler this run's process is alive (a stale heartbeat means it died)."""
        from storage.models import CrawlRun
        from storage.repo import heartbeat

        run = self.session.get(CrawlRun, self.run_id)
        if run is not None:
            heartbeat(self.session, run)

    def target_for(self, url: str) -> Target | None:
        netloc = urlsplit(url).netloc.lower()
        return next((t for t in self.targets if netloc in t.netlocs), None)

    def bump(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def maybe_commit(self, force: bool = False) -> None:
        """Commit the session if the last commit is older than ``commit_every`` (or forced)."""
        now = time.monotonic()
        if force or now - self._last_commit >= self.commit_every:
            # Captures and the frontier steps they complete go into one transaction: after a
            # crash a request is either done with its capture and follow-ups, or still pending
            # (and answered from its committed captures, if any, when the run resumes).
            self.captures.flush(self.session)
            self.ledger.flush(self.session)
            for hook in self.on_commit:
                hook(self.session)
            if now - self._last_heartbeat >= HEARTBEAT_EVERY:
                self._beat()
                self._last_heartbeat = now
            self.session.commit()
            self.log.flush()
            self._last_commit = now
