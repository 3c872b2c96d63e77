"""Mapping and query functions over the tables; each takes a Session.

The caller owns the transaction: functions here add and flush but never commit, so a capture, its
frontier entry and the links it discovered are committed together. The one exception is
:func:`storage.frontier.frontier_pop`, whose claim must be visible to other processes at once.
Report versioning lives in :mod:`storage.versions`, parse results in :mod:`storage.sources` and
the frontier in :mod:`storage.frontier`; they are re-exported here so callers need one import.
"""

from __future__ import annotations

import os
import socket
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.coltypes import utcnow
from storage.frontier import (
    FrontierRequest,
    frontier_counts,
    frontier_done,
    frontier_pop,
    frontier_push,
    frontier_release,
    frontier_requeue,
    request_fingerprint,
)
from storage.models import Agency, Capture, CrawlRun, CrawlRunSite, Outcome, RecordType, Site, Trigger
from storage.sources import add_source, choose_value_source
from storage.versions import (
    FieldChange,
    field_diff,
    mark_gone,
    reports_seen_in,
    upsert_report_version,
    values_digest,
)
from storage.warc import WrittenRecord

__all__ = [
    "FieldChange",
    "FrontierRequest",
    "Validators",
    "add_source",
    "choose_value_source",
    "committed_warc_ends",
    "field_diff",
    "finish_run",
    "frontier_counts",
    "frontier_done",
    "frontier_pop",
    "frontier_push",
    "frontier_release",
    "frontier_requeue",
    "get_or_create_agency",
    "get_or_create_site",
    "heartbeat",
    "last_validators",
    "mark_gone",
    "mark_interrupted",
    "normalize_agency_name",
    "record_capture",
    "reports_seen_in",
    "request_fingerprint",
    "resume_run",
    "start_run",
    "upsert_report_version",
    "values_digest",
]

_NAME_DROP = str.maketrans("", "", " \t\r\n\u3000\u00a0\u200b\"'“”‘’《》<>·•")


def get_or_create_site(session: Session, key: str, name: str, base_url: str) -> Site:
    """The site with registry ``key``, created if new (name and URL of an existing one are kept)."""
    site = session.exec(select(Site).where(Site.key == key)).first()
    if site is None:
        site = Site(key=key, name=name, base_url=base_url)
        session.add(site)
        session.flush()
    return site


def normalize_agency_name(name: str) -> str:
    """The name under which agency spellings are the same agency.

    Folds full-width forms (NFKC turns （） into ()), drops spaces and quotes that Word-pasted
    titles scatter around names, e.g. ``北京市 朝阳区人民政府`` and ``北京市朝阳区人民政府``.
    """
    folded = unicodedata.normalize("NFKC", name).translate(_NAME_DROP)
    if not folded:
        raise ValueError(f"agency name {name!r} is empty once spaces and punctuation are removed")
    return folded


def get_or_create_agency(session: Session, site: Site, name: str) -> Agency:
    """The agency of ``site`` whose normalised name matches ``name``, created if new."""
    assert site.id is not None
    norm = normalize_agency_name(name)
    agency = session.exec(
        select(Agency).where(Agency.site_id == site.id, Agency.normalized_name == norm)
    ).first()
    if agency is None:
        agency = Agency(site_id=site.id, name=name.strip(), normalized_name=norm)
        session.add(agency)
        session.flush()
    return agency


def start_run(
    session: Session,
    sites: Iterable[Site],
    *,
    trigger: Trigger = Trigger.MANUAL,
    settings: Mapping[str, Any] | None = None,
    operator: str | None = None,
    software_version: str | None = None,
    as_of: datetime | None = None,
    note: str | None = None,
    started_at: datetime | None = None,
) -> CrawlRun:
    """A new ``running`` crawl run over ``sites``, stamped with this host and process."""
    if software_version is None:
        from crawler import __version__

        software_version = __version__
    now = started_at or utcnow()
    run = CrawlRun(
        trigger=Trigger(trigger),
        started_at=now,
        heartbeat_at=now,
        settings=dict(settings or {}),
        operator=operator,
        software_version=software_version,
        hostname=socket.gethostname(),
        pid=os.getpid(),
        as_of=as_of,
        note=note,
    )
    session.add(run)
    session.flush()
    assert run.id is not None
    for site_id in sorted({s.id for s in sites if s.id is not None}):
        session.add(CrawlRunSite(run_id=run.id, site_id=site_id))
    session.flush()
    return run


def heartbeat(session: Session, run: CrawlRun, at: datetime | None = None) -> None:
    """Record that the run's process is alive (the scheduler treats stale runs as interrupted)."""
    run.heartbeat_at = at or utcnow()
    session.add(run)
    session.flush()


def finish_run(
    session: Session,
    run: CrawlRun,
    outcome: Outcome,
    *,
    counts: Mapping[str, Any] | None = None,
    note: str | None = None,
    ended_at: datetime | None = None,
) -> CrawlRun:
    """Close the run with ``outcome`` (ok, failed or interrupted) and its closing figures."""
    if Outcome(outcome) is Outcome.RUNNING:
        raise ValueError(f"run {run.id}: finish_run needs a final outcome, not 'running'")
    run.outcome = Outcome(outcome)
    run.ended_at = ended_at or utcnow()
    run.pid = None
    if counts is not None:
        run.counts = dict(counts)
    if note is not None:
        run.note = note
    session.add(run)
    session.flush()
    return run


def resume_run(session: Session, run_id: int) -> CrawlRun:
    """Reopen an interrupted or running-but-dead run in this process.

    Requests its dead process had claimed go back to pending; everything it captured stays done.
    """
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise ValueError(f"crawl run {run_id} does not exist")
    if run.outcome in (Outcome.OK, Outcome.FAILED):
        raise ValueError(f"crawl run {run_id} already ended ({run.outcome.value}); start a new run")
    run.outcome = Outcome.RUNNING
    run.resume_count += 1
    run.ended_at = None
    run.pid = os.getpid()
    run.hostname = socket.gethostname()
    run.heartbeat_at = utcnow()
    session.add(run)
    frontier_release(session, run_id)
    session.flush()
    return run


def mark_interrupted(session: Session, stale_before: datetime) -> list[CrawlRun]:
    """Mark ``running`` runs whose last heartbeat is older than ``stale_before`` as interrupted."""
    runs = session.exec(
        select(CrawlRun).where(
            CrawlRun.outcome == Outcome.RUNNING,
            sa.func.coalesce(CrawlRun.heartbeat_at, CrawlRun.started_at) < stale_before,
        )
    ).all()
    for run in runs:
        run.outcome = Outcome.INTERRUPTED
        run.pid = None
        session.add(run)
    session.flush()
    return list(runs)


def record_capture(
    session: Session,
    run_id: int,
    url: str,
    record: WrittenRecord,
    *,
    record_type: RecordType = RecordType.RESPONSE,
    status: int | None = None,
    content_type: str | None = None,
    method: str = "GET",
    rendered: bool = False,
    discovered_from: str | None = None,
    discovery_path: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    refers_to_capture_id: int | None = None,
    request_key: str | None = None,
    check_existing: bool = True,
    defer: list[dict[str, Any]] | None = None,
) -> int | None:
    """Store the capture row for a record just written to the WARC; return its id.

    Idempotent on the record id when ``check_existing`` (the default); a crawler that has just
    written the record itself passes False and saves the lookup. A single Core INSERT: this runs
    once per fetched page. With ``defer`` the row is appended there instead, for a batch insert,
    and None is returned.
    """
    if check_existing:
        existing = session.exec(select(Capture.id).where(Capture.warc_record_id == record.record_id)).first()
        if existing is not None:
            return existing
    values = {
        "run_id": run_id, "url": url, "method": method.upper(), "fetched_at": record.date, "status": status,
        "content_type": content_type, "payload_digest": record.payload_digest, "size": record.payload_size,
        "warc_filename": record.filename, "warc_offset": record.offset, "warc_length": record.length,
        "warc_record_id": record.record_id, "record_type": RecordType(record_type),
        "refers_to_capture_id": refers_to_capture_id, "rendered": rendered, "discovered_from": discovered_from,
        "discovery_path": discovery_path, "etag": etag, "last_modified": last_modified,
        "request_key": request_key,
    }
    if defer is not None:  # the caller inserts the batch later (and learns ids by record id)
        defer.append(values)
        return None
    new_id = session.execute(_INSERT_CAPTURE, values).scalar_one()
    return int(new_id)


# Built once: executing the same statement object lets SQLAlchemy reuse its compiled form.
_INSERT_CAPTURE = sa.insert(Capture).returning(col(Capture.id))


@dataclass(frozen=True)
class Validators:
    """What a conditional re-crawl of a URL sends, and what a 304 or same digest points back to."""

    etag: str | None
    """ETag to send as If-None-Match."""
    last_modified: str | None
    """Last-Modified to send as If-Modified-Since."""
    digest: str | None
    """Payload digest of the stored copy (sha256:<base32>)."""
    capture: Capture
    """The capture holding the stored payload (a response record), for revisit records."""


def last_validators(session: Session, url: str, method: str = "GET") -> Validators | None:
    """Validators from the newest successful capture of ``url`` in any run, or None if never fetched."""
    latest = session.exec(
        select(Capture)
        .where(
            Capture.url == url,
            Capture.method == method.upper(),
            col(Capture.record_type).in_([RecordType.RESPONSE, RecordType.REVISIT]),
            sa.or_(col(Capture.status) == 200, col(Capture.record_type) == RecordType.REVISIT),
        )
        .order_by(col(Capture.fetched_at).desc(), col(Capture.id).desc())
    ).first()
    if latest is None:
        return None
    original = latest
    if latest.record_type is RecordType.REVISIT and latest.refers_to_capture_id is not None:
        original = session.get(Capture, latest.refers_to_capture_id) or latest
    return Validators(
        etag=latest.etag or original.etag,
        last_modified=latest.last_modified or original.last_modified,
        digest=original.payload_digest,
        capture=original,
    )


def committed_warc_ends(session: Session, run_id: int) -> dict[str, int]:
    """Per WARC file of the run, the end offset of the last record the database knows about.

    Crash recovery cuts each file back to this point, so the archive holds no record whose
    capture row was lost with the killed transaction (it is fetched again instead).
    """
    rows = session.exec(
        select(Capture.warc_filename, sa.func.max(Capture.warc_offset + Capture.warc_length))
        .where(Capture.run_id == run_id)
        .group_by(Capture.warc_filename)
    ).all()
    return {name: int(end) for name, end in rows}
