"""The search index: report text tokenised as character bigrams, with the facets beside it.

Report text is not in the database: it lives in the archived documents (WARC records named by
``report_sources.capture_id``). :func:`update_index` reads each report's latest version back from
the archive, turns its documents into text (:mod:`crawler.documents`) and stores

- ``web_search``: one row per report with its facets (agency, year, template, failed 勾稽 checks,
  province/city/county from the agency name) and the version it was indexed at;
- the text index: SQLite FTS5 (``web_search_fts``) or a PostgreSQL ``tsvector`` with a GIN index
  (``web_search_text``).

Chinese has no spaces, so text is indexed as overlapping character bigrams (中华人民 → 中华 华人
人民), the usual choice for CJK full-text search without a dictionary: a query of n characters
matches wherever its n-1 bigrams all occur. Bigrams are written as ASCII tokens (``c`` + the
code points in hex) so that both FTS5's unicode61 and PostgreSQL's ``simple`` parser take each
as one word whatever the database locale; Latin words and numbers become ``w`` + the word.
The tables are the web door's own, created idempotently; the store's schema is untouched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from crawler.web.regions import region_of
from storage.models import (
    Agency,
    Capture,
    CheckResult,
    ParseStatus,
    Report,
    ReportSource,
    ReportVersion,
    Site,
)

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
"""Text indexed per report (a report is ~5–20k characters; more is an appendix or a scan's OCR)."""

META = sa.MetaData()
SEARCH = sa.Table(
    "web_search",
    META,
    sa.Column("report_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version_id", sa.Integer, nullable=False),
    sa.Column("site_id", sa.Integer, nullable=False),
    sa.Column("agency_id", sa.Integer, nullable=False, index=True),
    sa.Column("agency", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("template", sa.Text),
    sa.Column("failed_checks", sa.Integer, nullable=False, default=0),
    sa.Column("province", sa.Text, index=True),
    sa.Column("city", sa.Text),
    sa.Column("county", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("text_chars", sa.Integer, nullable=False, default=0),
    sa.Column("text_note", sa.Text),
    # covering indexes for the facet counts (a grouped scan reads the index, not the rows)
    sa.Index("ix_web_search_facets", "year", "template", "failed_checks", "province", "city", "county"),
    sa.Index("ix_web_search_agency_facet", "agency_id", "agency"),
)
"""One row per report: the facets of its latest version, and how much text was indexed."""

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z]+")


def tokens(text: str) -> list[str]:
    """The index tokens of ``text``: CJK runs as bigrams (a lone character as itself), Latin
    words and numbers as words, in order of appearance."""
    out: list[str] = []
    text = text.lower()
    pos = 0
    for m in _CJK.finditer(text):
        out += [f"w{w}" for w in _WORD.findall(text, pos, m.start())]
        run = m.group(0)
        grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        out += ["c" + "".join(f"{ord(ch):x}" for ch in g) for g in grams]
        pos = m.end()
    out += [f"w{w}" for w in _WORD.findall(text, pos)]
    return out


def query_tokens(query: str) -> list[str]:
    """Distinct tokens of a search query, in order (every one must occur in a match)."""
    return list(dict.fromkeys(tokens(query)))


def ensure_tables(engine: Engine) -> None:
    """Create the index tables if they do not exist (idempotent; the store's tables are not touched)."""
    META.create_all(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(sa.text("CREATE VIRTUAL TABLE IF NOT EXISTS web_search_fts USING fts5(body)"))
        else:
            conn.execute(
                sa.text("CREATE TABLE IF NOT EXISTS web_search_text (report_id integer PRIMARY KEY, tsv tsvector)")
            )
            conn.execute(
                sa.text("CREATE INDEX IF NOT EXISTS ix_web_search_text_tsv ON web_search_text USING gin (tsv)")
            )


def drop_tables(engine: Engine) -> None:
    """Drop the index tables (``nianbao serve --reindex`` rebuilds them)."""
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS web_search_fts"))
        conn.execute(sa.text("DROP TABLE IF EXISTS web_search_text"))
    META.drop_all(engine)


def update_index(
    engine: Engine, archive_dir: str | Path | None, *, rebuild: bool = False, batch: int = 200
) -> int:
    """Index every report whose latest version is not indexed yet; return how many were indexed.

    ``rebuild`` drops the index first. Without an archive folder (or with a WARC file missing)
    a report is indexed by its title, agency and site names only, and ``text_note`` says why.
    """
    if rebuild:
        drop_tables(engine)
    ensure_tables(engine)
    with Session(engine) as session:
        latest = session.exec(
            select(ReportVersion.id, Report.id)
            .join(Report, (col(Report.id) == ReportVersion.report_id) & (col(Report.latest_version) == ReportVersion.number))
        ).all()
        indexed = {rid: vid for rid, vid in session.execute(sa.select(SEARCH.c.report_id, SEARCH.c.version_id)).all()}
        todo = [(vid, rid) for vid, rid in latest if vid is not None and rid is not None and indexed.get(rid) != vid]
        gone = set(indexed) - {rid for _, rid in latest}
    with engine.begin() as conn:
        _delete(conn, gone)
    done = 0
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        with Session(engine) as session:
            rows = [_index_row(session, archive_dir, vid, rid) for vid, rid in chunk]
        with engine.begin() as conn:
            _delete(conn, [rid for _, rid in chunk])
            conn.execute(sa.insert(SEARCH), [facets for facets, _ in rows])
            _insert_text(conn, [(rid, text) for (_, rid), (_, text) in zip(chunk, rows, strict=True)])
        done += len(rows)
    return done


def _delete(conn: Connection, report_ids: Iterable[int]) -> None:
    ids = list(report_ids)
    if not ids:
        return
    conn.execute(sa.delete(SEARCH).where(SEARCH.c.report_id.in_(ids)))
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("DELETE FROM web_search_fts WHERE rowid IN :ids").bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids})
    else:
        conn.execute(sa.text("DELETE FROM web_search_text WHERE report_id = ANY(:ids)"), {"ids": ids})


def _insert_text(conn: Connection, rows: list[tuple[int, str]]) -> None:
    if not rows:
        return
    params = [{"id": rid, "body": " ".join(tokens(text))} for rid, text in rows]
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("INSERT INTO web_search_fts(rowid, body) VALUES (:id, :body)"), params)
    else:
        conn.execute(
            sa.text("INSERT INTO web_search_text(report_id, tsv) VALUES (:id, to_tsvector('simple', :body))"), params
        )


def _index_row(
    session: Session, archive_dir: str | Path | None, version_id: int, report_id: int
) -> tuple[dict[str, Any], str]:
    report = session.get(Report, report_id)
    version = session.get(ReportVersion, version_id)
    assert report is not None and version is not None
    agency = session.get(Agency, report.agency_id)
    assert agency is not None
    site = session.get(Site, agency.site_id)
    sources = session.exec(
        select(ReportSource).where(ReportSource.version_id == version_id).order_by(col(ReportSource.id))
    ).all()
    supplier = next((s for s in sources if s.supplies_values), sources[0] if sources else None)
    failed = 0
    if supplier is not None:
        failed = len(
            session.exec(
                select(CheckResult.id).where(CheckResult.source_id == supplier.id, col(CheckResult.ok).is_(False))
            ).all()
        )
    region = region_of(agency.name)
    if region.province is None and region.city is None and site is not None:
        region = region_of(site.name)
    texts = [agency.name, site.name if site else "", *(s.title or "" for s in sources)]
    texts += [s.agency_printed or "" for s in sources]
    body, note = _document_text(session, archive_dir, sources)
    text = "\n".join([*texts, body])[:MAX_TEXT_CHARS]
    row = {
        "report_id": report_id,
        "version_id": version_id,
        "site_id": agency.site_id,
        "agency_id": agency.id,
        "agency": agency.name,
        "year": report.year,
        "template": supplier.template if supplier else None,
        "failed_checks": failed,
        "province": region.province,
        "city": region.city,
        "county": region.county,
        "title": next((s.title for s in sources if s.title), None),
        "text_chars": len(body),
        "text_note": note,
    }
    return row, text


def _document_text(
    session: Session, archive_dir: str | Path | None, sources: Iterable[ReportSource]
) -> tuple[str, str | None]:
    """The text of a version's documents, and a note when some could not be read."""
    if archive_dir is None:
        return "", "no archive folder given: indexed by title and names only"
    from crawler.documents import DocumentError, read_document
    from crawler.reports.stream import linearize
    from crawler.web.documents import original_document

    parts: list[str] = []
    problems: list[str] = []
    for source in sources:
        if source.parse_status is ParseStatus.SKIPPED:
            continue
        capture = session.get(Capture, source.capture_id)
        if capture is None:
            continue
        try:
            doc = original_document(session, archive_dir, capture)
            parts.append(linearize(read_document(doc.data, doc.filename, content_type=doc.content_type)))
        except (ValueError, DocumentError) as e:
            problems.append(str(e).splitlines()[0][:200])
        except Exception as e:  # a reader choking on one archived file must not stop the index
            log.warning("index: %s: %s", capture.url, e)
            problems.append(f"{capture.url}: {type(e).__name__}")
    return "\n".join(parts), "; ".join(problems) or None


def match_ids(conn: Connection, query: str) -> sa.Select[tuple[int]] | None:
    """A SELECT of the report ids whose text holds every token of ``query`` (None: no tokens)."""
    toks = query_tokens(query)
    if not toks:
        return None
    if conn.dialect.name == "sqlite":
        fts = sa.table("web_search_fts", sa.column("rowid"), sa.column("body"))
        expr = " ".join(f'"{t}"' for t in toks)
        return sa.select(fts.c.rowid).where(sa.text("web_search_fts MATCH :fts_q").bindparams(fts_q=expr))
    text_t = sa.table("web_search_text", sa.column("report_id"), sa.column("tsv"))
    return sa.select(text_t.c.report_id).where(
        sa.text("tsv @@ to_tsquery('simple', :fts_q)").bindparams(fts_q=" & ".join(toks))
    )

