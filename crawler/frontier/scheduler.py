"""The Scrapy scheduler of nianbao crawls: Scrapy's own priority queues in memory, with every
request it accepts recorded in the run's frontier in the database.

It also does the duplicate filtering (by Scrapy's request fingerprint), so the fingerprint is
computed once and the set of seen requests can be rebuilt from the database on resume. A
redirect, retry or render of a request is a *continuation*: it carries the fingerprint of the
request it continues (``request.meta[FRONTIER_KEY]``) and is not a new frontier request.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.core.scheduler import Scheduler

from crawler.context import context_of
from crawler.frontier import FRONTIER_KEY
from crawler.frontier.requests import continuation, from_frontier, to_frontier
from storage.frontier import frontier_entries


class FrontierScheduler(Scheduler):
    """Scrapy's scheduler + duplicate filter, backed by ``crawl_frontier`` rows."""

    def open(self, spider: Spider) -> Any:
        result = super().open(spider)
        self.ctx = context_of(self.crawler)
        assert self.crawler is not None
        self.fingerprinter = self.crawler.request_fingerprinter
        self.seen: dict[str, str | None] = {}
        """Fingerprint → None for a frontier request, or the request a continuation continues."""
        if self.ctx.resuming:
            self.seen, todo = frontier_entries(self.ctx.session, self.ctx.run_id)
            for entry in todo:
                request = from_frontier(entry, spider)
                request.meta[FRONTIER_KEY] = entry.fingerprint
                self._mqpush(request)
            self.ctx.bump("resumed_requests", len(todo))
        return result

    def enqueue_request(self, request: Request) -> bool:
        fp = self.fingerprinter.fingerprint(request).hex()
        continues = request.meta.get(FRONTIER_KEY)
        if continues is None:
            if fp in self.seen and not request.dont_filter:
                return False
            request.meta[FRONTIER_KEY] = fp
            if fp not in self.seen:
                self.seen[fp] = None
                self.ctx.ledger.push(to_frontier(request, fp, self.spider))
        elif not request.dont_filter and fp != continues:
            if fp not in self.seen:
                self.seen[fp] = continues
                self.ctx.ledger.push(continuation(request, fp, continues))
            elif self.seen[fp] != continues:
                # A redirect to a page the crawl already has: the request it continues ends here.
                self.ctx.ledger.finish(continues)
                return False
        elif not request.dont_filter:  # a continuation with its origin's own fingerprint (a loop)
            self.ctx.ledger.finish(continues)
            return False
        self._mqpush(request)
        assert self.stats is not None
        self.stats.inc_value("scheduler/enqueued/memory")
        self.stats.inc_value("scheduler/enqueued")
        return True
