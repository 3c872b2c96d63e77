"""Finishing a request in the frontier once the spider has handled its response."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from twisted.python.failure import Failure

from crawler.frontier import FRONTIER_KEY

S = TypeVar("S")


def frontier_step(method: Callable[[S, Any], Iterator[Any]]) -> Callable[[S, Any], Iterator[Any]]:
    """Decorator for spider callbacks and errbacks.

    When the wrapped generator is exhausted, every request it yielded has been queued and every
    document held, so the request is finished in the frontier (failed, with its reason, for an
    errback); all of it reaches the database in one commit. A callback that raises finishes its
    request as failed too, so a resumed crawl does not trip over the same page again. Each
    response handled counts as a page of the run's figures (``pages``).
    """

    @functools.wraps(method)
    def wrapper(self: S, result: Any) -> Iterator[Any]:
        request = getattr(result, "request", None)
        fp = request.meta.get(FRONTIER_KEY) if request is not None else None
        ledger = self.ctx.ledger  # type: ignore[attr-defined]
        try:
            yield from method(self, result)
        except Exception as exc:
            if fp:
                ledger.finish(fp, f"spider error: {type(exc).__name__}: {exc}"[:300])
            raise
        error = None
        if isinstance(result, Failure):
            error = f"{getattr(result.type, '__name__', 'Error')}: {result.getErrorMessage()}"[:300]
        if fp:
            ledger.finish(fp, error)
        if getattr(result, "status", None) is not None or getattr(getattr(result, "value", None), "response", None):
            # A page the spider has handled (an HTTP error response too), counted in the same
            # commit as its finish: a run's page figure adds up exactly across kills and resumes.
            self.ctx.bump("pages")  # type: ignore[attr-defined]

    return wrapper
