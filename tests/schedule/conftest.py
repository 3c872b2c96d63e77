"""Scheduler fixtures: a database other processes can open (a SQLite file, and PostgreSQL when
DATABASE_URL names one), and helpers to store cheap test jobs."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from crawler.schedule.lock import LOCKS_TABLE
from crawler.schedule.store import JOBS_TABLE
from storage import db

REPO = Path(__file__).resolve().parents[2]
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

RECORD = "tests.schedule.jobfuncs:record"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty nianbao database with no jobs and no fire claims."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'nianbao.sqlite'}"
    engine = db.make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {JOBS_TABLE}, {LOCKS_TABLE}"))
    db.drop_all(engine)
    engine.dispose()
    return PG_URL


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a ``python -m crawler`` subprocess that can import the test job functions."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def add_record_job(
    scheduler: Any, path: Path, label: str, trigger: Any, next_run_time: datetime | None = None
) -> None:
    """Store a job that appends ``label`` to ``path`` when it fires."""
    kwargs: dict[str, Any] = {} if next_run_time is None else {"next_run_time": next_run_time}
    scheduler.add_job(RECORD, trigger, args=[str(path), label], id=label, **kwargs)


def recorded(path: Path) -> list[str]:
    """Labels written by :func:`tests.schedule.jobfuncs.record`, in order."""
    return [line.split()[0] for line in path.read_text().splitlines()] if path.exists() else []
