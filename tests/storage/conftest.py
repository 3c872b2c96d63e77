"""Database fixtures: every database test runs on in-memory SQLite and, when DATABASE_URL names a
PostgreSQL (postgresql+psycopg://…, started by scripts/test.sh), on PostgreSQL too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import db

PG_URL = os.environ.get("DATABASE_URL", "")
PG_SKIP = "DATABASE_URL is not set to a postgresql+psycopg:// URL (scripts/test.sh starts one)"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL.startswith("postgresql"), reason=PG_SKIP)],
    ),
]


def fresh_engine(backend: str, tmp_path: Path, *, file: bool = False) -> Engine:
    """An engine on an empty nianbao schema (a SQLite file when ``file``, else in memory)."""
    if backend == "postgresql":
        engine = db.make_engine(PG_URL)
        db.drop_all(engine)
    else:
        engine = db.make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}" if file else "sqlite://")
    db.create_all(engine)
    return engine


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    eng = fresh_engine(request.param, tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture(params=BACKENDS)
def file_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine other processes can open too (SQLite file or the PostgreSQL database)."""
    eng = fresh_engine(request.param, tmp_path, file=True)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with db.session_factory(engine)() as s:
        yield s


def at(day: str, hour: int = 3) -> datetime:
    """A UTC time on ``day`` (YYYY-MM-DD)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def started_run(session: Session) -> int:
    """Id of a new, committed crawl run of a site "a"."""
    from storage import repo

    site = repo.get_or_create_site(session, "a", "A", "http://a.gov.cn/")
    run = repo.start_run(session, [site])
    session.commit()
    assert run.id is not None
    return run.id
