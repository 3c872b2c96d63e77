"""``nianbao serve``: the index step and its argument checks, in-process."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from crawler.cli import app
from crawler.web.fulltext import SEARCH
from storage import db
from tests.web.store import build_store


def test_reindex_builds_the_search_index(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    engine = db.make_engine(url)
    build_store(engine, tmp_path / "warc")
    result = CliRunner().invoke(app, ["serve", "--db", url, "--archive", str(tmp_path / "warc"), "--reindex"])
    assert result.exit_code == 0, result.output
    assert "4 reports indexed" in result.output
    with engine.connect() as conn:
        rows = conn.execute(sa.select(SEARCH.c.agency, SEARCH.c.text_chars, SEARCH.c.text_note)).all()
    assert len(rows) == 4 and all(chars > 1000 and note is None for _, chars, note in rows)
    again = CliRunner().invoke(app, ["serve", "--db", url, "--archive", str(tmp_path / "warc"), "--reindex"])
    assert again.exit_code == 0 and "4 reports indexed" in again.output
    engine.dispose()


def test_replay_host_must_differ_from_the_ui_host(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = CliRunner().invoke(app, ["serve", "--db", url, "--host", "127.0.0.1", "--replay-host", "127.0.0.1"])
    assert result.exit_code == 2
    assert "--replay-host" in result.output
