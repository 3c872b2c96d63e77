"""Report documents captured but not yet stored with their report: the durable half of the
report pipeline's waiting room.

A report is stored once its page and every attachment have arrived, so a crawl killed in
between has captured documents that no report holds yet. Each such document is held here (its
provenance; its bytes stay in the WARC) in the same commit as its capture, and let go in the
same commit as its report. A resumed run reads the held documents back and carries on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import HeldDocument


def hold_documents(session: Session, run_id: int, documents: Iterable[Mapping[str, Any]]) -> None:
    """Insert held documents: mappings with ``report_url``, ``url`` and the rest of the document."""
    rows = [
        {"run_id": run_id, "report_url": d["report_url"], "url": d["url"], "document": dict(d)}
        for d in documents
    ]
    if rows:
        session.execute(sa.insert(HeldDocument), rows)


def release_documents(session: Session, run_id: int, report_urls: Iterable[str]) -> None:
    """Forget the held documents of reports just stored (or judged not to be reports)."""
    urls = list(dict.fromkeys(report_urls))
    for i in range(0, len(urls), 500):
        session.execute(
            sa.delete(HeldDocument).where(
                col(HeldDocument.run_id) == run_id, col(HeldDocument.report_url).in_(urls[i : i + 500])
            )
        )


def held_documents(session: Session, run_id: int) -> list[dict[str, Any]]:
    """The run's held documents in the order they arrived."""
    rows = session.exec(
        select(HeldDocument.document).where(HeldDocument.run_id == run_id).order_by(col(HeldDocument.id))
    ).all()
    return [dict(r) for r in rows]
