"""Frontier changes waiting for the next commit, written in a few batch statements.

Everything a page leads to is committed together with the page's capture: the requests it
queued, the request it finished, the report documents it is holding. A crash between commits
therefore loses a whole step or nothing (conventions: batch the per-page database work).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage.frontier import FrontierRequest, frontier_finish, frontier_push
from storage.held import hold_documents, release_documents


class FrontierLedger:
    """Queued requests, finished requests and held documents of one run, until flushed."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self._pushed: list[FrontierRequest] = []
        self._finished: dict[str, str | None] = {}
        self._held: list[dict[str, Any]] = []
        self._released: set[str] = set()

    def push(self, request: FrontierRequest) -> None:
        """Queue a request (or record a continuation as seen)."""
        self._pushed.append(request)

    def finish(self, fingerprint: str, error: str | None = None) -> None:
        """The request's response (or failure) has been handled and everything it led to queued."""
        if error is not None or fingerprint not in self._finished:
            self._finished[fingerprint] = error

    def hold(self, document: dict[str, Any]) -> None:
        """A report document (without its bytes) waiting for the rest of its report."""
        self._held.append(document)

    def release(self, report_url: str) -> None:
        """The report's documents are stored (or were not a report): stop holding them."""
        self._held = [d for d in self._held if d["report_url"] != report_url]
        self._released.add(report_url)

    def __len__(self) -> int:
        return len(self._pushed) + len(self._finished) + len(self._held) + len(self._released)

    def flush(self, session: Session) -> None:
        """Write everything into the session's transaction (the caller commits)."""
        if self._pushed:
            frontier_push(session, self.run_id, self._pushed)
            self._pushed = []
        if self._finished:
            frontier_finish(session, self.run_id, self._finished)
            self._finished = {}
        if self._released:  # before the inserts: a report may be held again after a release
            release_documents(session, self.run_id, self._released)
            self._released = set()
        if self._held:
            hold_documents(session, self.run_id, self._held)
            self._held = []
