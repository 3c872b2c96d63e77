"""Engines, pragmas, schema creation and UTC timestamps on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from storage import db
from storage.models import TABLES, CrawlRun, Outcome, Site, Trigger


def test_default_url_and_postgres_spellings() -> None:
    assert db.normalise_url(None) == "sqlite:///data/nianbao.sqlite"
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/d", "only sqlite and postgresql"),
        ("postgresql+psycopg2://u@h/d", "use postgresql\\+psycopg"),
    ],
)
def test_unsupported_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        db.make_engine(url)


def test_sqlite_file_gets_wal_foreign_keys_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "nianbao.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
    assert path.parent.is_dir()
    engine.dispose()


def test_importing_storage_creates_nothing(tmp_path: Path) -> None:
    code = "import storage.db, storage.models, storage.repo, storage.warc, storage.recovery"
    subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, check=True, env={"PYTHONPATH": str(Path.cwd())}
    )
    assert list(tmp_path.iterdir()) == []


def test_create_all_is_idempotent_and_makes_every_table(engine: Engine) -> None:
    db.create_all(engine)
    names = set(sa.inspect(engine).get_table_names())
    assert {t.name for t in TABLES} <= names
    assert {"sites", "crawl_runs", "captures", "report_versions", "crawl_frontier"} <= names


def test_times_come_back_aware_utc(session: Session) -> None:
    shanghai = timezone(timedelta(hours=8))
    run = CrawlRun(
        trigger=Trigger.SCHEDULE,
        software_version="t",
        started_at=datetime(2026, 2, 1, 3, 0, tzinfo=shanghai),
        settings={"说明": "年报"},
    )
    session.add(run)
    session.commit()
    session.expunge_all()
    got = session.exec(select(CrawlRun)).one()
    assert got.started_at == datetime(2026, 1, 31, 19, 0, tzinfo=UTC)
    assert got.started_at.tzinfo is not None and got.started_at.utcoffset() == timedelta(0)
    assert got.outcome is Outcome.RUNNING
    assert got.settings == {"说明": "年报"}


def test_naive_times_are_refused(session: Session) -> None:
    session.add(CrawlRun(trigger=Trigger.MANUAL, software_version="t", started_at=datetime(2026, 2, 1)))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_enum_columns_reject_unknown_values(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises((IntegrityError, StatementError)):
        conn.execute(
            sa.text(
                "INSERT INTO crawl_runs (trigger, outcome, started_at, resume_count, settings, "
                "software_version, counts) VALUES ('manual', 'exploded', CURRENT_TIMESTAMP, 0, '{}', 't', '{}')"
            )
        )


def test_foreign_keys_are_enforced(session: Session) -> None:
    from storage.models import Agency

    session.add(Agency(site_id=999, name="x", normalized_name="x"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_site_key_is_unique(session: Session) -> None:
    session.add(Site(key="bj", name="北京", base_url="http://www.beijing.gov.cn/"))
    session.add(Site(key="bj", name="北京2", base_url="http://www.beijing.gov.cn/"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_an_older_store_gets_the_new_nullable_columns(tmp_path: Path) -> None:
    from sqlalchemy import inspect, text

    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    db.create_all(engine)
    with engine.begin() as conn:  # as made before captures.request_key existed
        conn.execute(text("ALTER TABLE captures DROP COLUMN request_key"))
        conn.execute(text("DROP TABLE alembic_version"))  # and before migrations existed
    db.create_all(engine)
    assert "request_key" in {c["name"] for c in inspect(engine).get_columns("captures")}
    engine.dispose()
