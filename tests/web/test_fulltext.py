"""The search index over a real store: incremental updates, and reports whose archive is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from crawler.web import search
from crawler.web.fulltext import SEARCH, update_index
from storage import db, repo
from storage.models import Agency, Outcome
from tests.web.store import SITE, build_store


def test_only_new_versions_are_indexed_again(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    build_store(engine, tmp_path / "warc")
    assert update_index(engine, tmp_path / "warc") == 4
    assert update_index(engine, tmp_path / "warc") == 0
    with db.session_factory(engine)() as s:
        site = repo.get_or_create_site(s, *SITE)
        run = repo.start_run(s, [site])
        assert run.id is not None
        agency = s.exec(select(Agency).where(Agency.name == "江苏省南京市财政局")).one()
        repo.upsert_report_version(s, agency, 2023, {"requests.new_received.total": 1}, [],
                                   datetime(2026, 2, 1, tzinfo=UTC), run_id=run.id)
        repo.finish_run(s, run, Outcome.OK)
        s.commit()
    assert update_index(engine, tmp_path / "warc") == 1
    with Session(engine) as s:
        page = search.search(s, search.Filters(q="南京市财政局"))
    assert page.total == 1 and page.hits[0].versions == 2
    engine.dispose()


def test_without_the_archive_reports_are_found_by_their_names(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    build_store(engine, tmp_path / "warc")
    assert update_index(engine, tmp_path / "elsewhere") == 4
    with engine.connect() as conn:
        notes = conn.execute(sa.select(SEARCH.c.text_chars, SEARCH.c.text_note)).all()
    assert all(chars == 0 and note and "is not in the archive folder" in note for chars, note in notes)
    with Session(engine) as s:
        assert search.search(s, search.Filters(q="吴中区")).total == 2
        assert search.search(s, search.Filters(q="不予公开")).total == 0
    engine.dispose()
