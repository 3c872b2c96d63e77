"""Completeness evidence in the store: ``crawl_run_columns`` rows and each site's outcome in
``crawl_run_sites``, saved with the run's commits and read back by a resumed run."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import CrawlRunColumn, CrawlRunSite, Site


def save_columns(session: Session, run_id: int, rows: list[dict[str, Any]]) -> None:
    """Write the run's column rows as they stand now (replacing what an earlier commit wrote);
    each row holds the :class:`CrawlRunColumn` fields but ``id`` and ``run_id``."""
    session.execute(sa.delete(CrawlRunColumn).where(col(CrawlRunColumn.run_id) == run_id))
    if rows:
        session.execute(sa.insert(CrawlRunColumn), [{**r, "run_id": run_id} for r in rows])


def load_columns(session: Session, run_id: int) -> list[tuple[str, dict[str, Any]]]:
    """(site key, row) of each column row an interrupted run had committed."""
    keys = {sid: key for key, sid in session.exec(select(Site.key, Site.id)) if sid is not None}
    return [(keys.get(row.site_id or -1, ""), row.model_dump())
            for row in session.exec(select(CrawlRunColumn).where(CrawlRunColumn.run_id == run_id))]


def save_site_outcome(session: Session, run_id: int, site_id: int, reports: int, problem: str | None) -> None:
    session.execute(
        sa.update(CrawlRunSite)
        .where(col(CrawlRunSite.run_id) == run_id, col(CrawlRunSite.site_id) == site_id)
        .values(reports=reports, problem=problem)
    )


def run_columns(session: Session, run_id: int) -> list[CrawlRunColumn]:
    return list(session.exec(select(CrawlRunColumn).where(CrawlRunColumn.run_id == run_id)
                             .order_by(col(CrawlRunColumn.id))))
