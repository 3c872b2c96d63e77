"""The crawl frontier in the database: what makes a SIGKILLed crawl resumable (issue 5).

A request is pushed once per run (unique fingerprint), claimed by one process at a time, and
marked done in the same transaction as the capture it produced. After a crash, claimed but
unfinished requests go back to pending (:func:`frontier_release`); nothing done is fetched again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select
from w3lib.url import canonicalize_url

from storage.coltypes import utcnow
from storage.models import FrontierEntry, FrontierState

_SQLITE_LOCK_RETRIES = 20


def request_fingerprint(method: str, url: str, body: bytes | None = None) -> str:
    """sha1 hex identifying a request: method, canonical URL (sorted query, no fragment) and body."""
    canon = canonicalize_url(url, keep_fragments=False)
    payload = json.dumps([method.upper(), canon, (body or b"").hex()], separators=(",", ":"))
    return hashlib.sha1(payload.encode()).hexdigest()


@dataclass(frozen=True)
class FrontierRequest:
    """A request to queue; ``fingerprint`` defaults to :func:`request_fingerprint`."""

    url: str
    """URL to fetch."""
    method: str = "GET"
    """HTTP method."""
    body: bytes | None = None
    """Request body for POSTs."""
    priority: int = 0
    """Higher is fetched first."""
    depth: int = 0
    """Hops from the seed."""
    discovered_from: str | None = None
    """URL of the page that linked here."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    """JSON-safe meta the spider needs to rebuild the request."""
    fingerprint: str | None = None
    """Override, e.g. Scrapy's own request fingerprint in hex."""
    state: FrontierState = FrontierState.PENDING
    """Queued as pending (to fetch), or already done (a record that the request was seen)."""

    def key(self) -> str:
        """The fingerprint stored in the frontier."""
        return self.fingerprint or request_fingerprint(self.method, self.url, self.body)


def frontier_push(session: Session, run_id: int, requests: Iterable[FrontierRequest]) -> int:
    """Queue requests not yet known to the run; returns how many were new (the rest are duplicates)."""
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}
    for r in requests:
        fp = r.key()
        if fp in rows:
            continue
        rows[fp] = {
            "run_id": run_id,
            "fingerprint": fp,
            "url": r.url,
            "method": r.method.upper(),
            "body": r.body,
            "priority": r.priority,
            "depth": r.depth,
            "state": r.state,
            "discovered_from": r.discovered_from,
            "meta": dict(r.meta),
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = (
        insert(FrontierEntry)
        .on_conflict_do_nothing(index_elements=["run_id", "fingerprint"])
        .returning(col(FrontierEntry.id))
    )
    inserted = session.execute(stmt, list(rows.values())).all()
    return len(inserted)


def frontier_pop(
    session: Session, run_id: int, owner: str, limit: int = 1, now: datetime | None = None
) -> list[FrontierEntry]:
    """Claim up to ``limit`` pending requests of the run for ``owner``, highest priority first.

    Commits the session (the claim must be visible to other processes at once). Safe with
    several processes on one database: PostgreSQL skips rows another transaction has locked
    (SELECT … FOR UPDATE SKIP LOCKED); SQLite runs one UPDATE … WHERE state = 'pending',
    serialised by its write lock.
    """
    now = now or utcnow()
    claim = {
        "state": FrontierState.IN_PROGRESS,
        "lease_owner": owner,
        "leased_at": now,
        "updated_at": now,
        "attempts": FrontierEntry.attempts + 1,
    }
    order = (col(FrontierEntry.priority).desc(), col(FrontierEntry.id))
    pending = (col(FrontierEntry.run_id) == run_id, col(FrontierEntry.state) == FrontierState.PENDING)
    if session.get_bind().dialect.name == "postgresql":
        ids = session.scalars(
            select(FrontierEntry.id)
            .where(*pending)
            .order_by(*order)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = _claim(session, col(FrontierEntry.id).in_(ids), claim) if ids else []
        session.commit()
    else:
        subq = select(FrontierEntry.id).where(*pending).order_by(*order).limit(limit).scalar_subquery()
        for attempt in range(_SQLITE_LOCK_RETRIES):
            try:
                claimed = _claim(session, sa.and_(col(FrontierEntry.id).in_(subq), *pending), claim)
                session.commit()
                break
            except OperationalError as exc:
                # A deferred SQLite transaction can lose the race to upgrade its read lock
                # (SQLITE_BUSY without waiting); the claim never happened, so try again.
                session.rollback()
                lock_error = "locked" in str(exc) or "busy" in str(exc)
                if not lock_error or attempt == _SQLITE_LOCK_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
    return sorted(claimed, key=lambda e: (-e.priority, e.id or 0))


def _claim(session: Session, where: Any, values: Mapping[str, Any]) -> list[FrontierEntry]:
    stmt = sa.update(FrontierEntry).where(where).values(**values).returning(FrontierEntry)
    return list(
        session.scalars(
            stmt, execution_options={"synchronize_session": False, "populate_existing": True}
        ).all()
    )


def frontier_done(session: Session, entry_id: int, *, failed: bool = False, error: str | None = None) -> None:
    """Mark a claimed request done (or failed for good, with its reason); commit it with the capture."""
    values: dict[str, Any] = {
        "state": FrontierState.FAILED if failed else FrontierState.DONE,
        "updated_at": utcnow(),
        "lease_owner": None,
    }
    if error is not None:
        values["last_error"] = error
    session.execute(sa.update(FrontierEntry).where(col(FrontierEntry.id) == entry_id).values(**values))


def frontier_finish(
    session: Session, run_id: int, fingerprints: Mapping[str, str | None], *, at: datetime | None = None
) -> None:
    """Mark requests of the run done by fingerprint, in one statement per chunk.

    ``fingerprints`` maps each fingerprint to None (done) or the reason it failed for good.
    Commit it with the captures and the requests its response led to.
    """
    now = at or utcnow()
    stmt = (
        sa.update(FrontierEntry)
        .where(col(FrontierEntry.run_id) == run_id, col(FrontierEntry.fingerprint) == sa.bindparam("fp"))
        .values(state=sa.bindparam("st"), last_error=sa.bindparam("err"), lease_owner=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = [
        {"fp": fp, "st": FrontierState.DONE if err is None else FrontierState.FAILED, "err": err}
        for fp, err in fingerprints.items()
    ]
    if rows:
        session.connection().execute(stmt, rows)


def frontier_entries(session: Session, run_id: int) -> tuple[dict[str, str | None], list[FrontierEntry]]:
    """What a resumed crawl needs: every fingerprint the run has seen (mapped to the request it
    continues, for redirects and the like, else None) and its unfinished requests in queue order."""
    seen: dict[str, str | None] = {}
    for fp, meta in session.exec(
        select(FrontierEntry.fingerprint, FrontierEntry.meta).where(FrontierEntry.run_id == run_id)
    ).all():
        seen[fp] = (meta or {}).get("continues")
    todo = session.exec(
        select(FrontierEntry)
        .where(
            FrontierEntry.run_id == run_id,
            col(FrontierEntry.state).in_([FrontierState.PENDING, FrontierState.IN_PROGRESS]),
        )
        .order_by(col(FrontierEntry.priority).desc(), col(FrontierEntry.id))
    ).all()
    return seen, list(todo)


def frontier_requeue(session: Session, entry_id: int, error: str | None = None) -> None:
    """Put a claimed request back to pending (a retry later in the same run)."""
    session.execute(
        sa.update(FrontierEntry)
        .where(col(FrontierEntry.id) == entry_id)
        .values(state=FrontierState.PENDING, lease_owner=None, last_error=error, updated_at=utcnow())
    )


def frontier_release(session: Session, run_id: int, owner: str | None = None) -> int:
    """Return requests claimed by ``owner`` (or by anyone) in the run to pending; returns how many."""
    stmt = sa.update(FrontierEntry).where(
        col(FrontierEntry.run_id) == run_id, col(FrontierEntry.state) == FrontierState.IN_PROGRESS
    )
    if owner is not None:
        stmt = stmt.where(col(FrontierEntry.lease_owner) == owner)
    result = session.execute(stmt.values(state=FrontierState.PENDING, lease_owner=None, updated_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def frontier_counts(session: Session, run_id: int) -> dict[str, int]:
    """Number of requests per state in the run (every state present, zero when none)."""
    rows = session.exec(
        select(FrontierEntry.state, sa.func.count())
        .where(FrontierEntry.run_id == run_id)
        .group_by(FrontierEntry.state)
    ).all()
    counts = {s.value: 0 for s in FrontierState}
    counts.update({FrontierState(s).value: int(n) for s, n in rows})
    return counts


def frontier_urls(session: Session, run_id: int) -> list[str]:
    """URLs of the run's frontier requests (not of continuations), in queue order."""
    rows = session.exec(
        select(FrontierEntry.url, FrontierEntry.meta).where(FrontierEntry.run_id == run_id).order_by(col(FrontierEntry.id))
    ).all()
    return [url for url, meta in rows if not (meta or {}).get("continues")]
