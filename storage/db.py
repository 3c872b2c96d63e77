"""Engines and sessions for the project database: SQLite by default, PostgreSQL by URL.

Nothing is created at import time: the process that owns the database calls :func:`make_engine`,
then :func:`create_all` once, then opens sessions from :func:`session_factory`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel

DEFAULT_DB_URL = "sqlite:///data/nianbao.sqlite"
"""Where ``nianbao crawl`` stores its tables when no ``--db`` is given (relative to the working dir)."""

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another process's lock (scheduler and crawl share one file)."""


def normalise_url(url: str | None) -> str:
    """The SQLAlchemy URL to use: default SQLite, and PostgreSQL always through psycopg 3."""
    if not url:
        return DEFAULT_DB_URL
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def make_engine(url: str | None = None, *, echo: bool = False) -> Engine:
    """An engine for ``url`` (default :data:`DEFAULT_DB_URL`).

    SQLite files get WAL journaling (readers never block the crawl's writer), foreign keys and a
    busy timeout; their parent folder is created. ``sqlite://`` (in memory) shares one connection
    so every session sees the same database. Raises ValueError for unsupported back ends.
    """
    from sqlalchemy import create_engine

    url = normalise_url(url)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {"echo": echo}
    if backend == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        if in_memory:
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(in_memory))
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            raise ValueError(f"database URL {parsed.render_as_string()!r}: use postgresql+psycopg://")
        return create_engine(url, pool_pre_ping=True, **kwargs)
    raise ValueError(f"database URL {parsed.render_as_string()!r}: only sqlite and postgresql are supported")


def _sqlite_pragmas(in_memory: bool):  # type: ignore[no-untyped-def]
    def on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable across process crashes in WAL mode; only power loss can drop
            # the last transactions, which the frontier then simply fetches again.
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # temporary tables (the web UI's search hits, sorts) in memory, and a 64 MB page cache:
        # a search over 100,000 reports no longer writes its hit list to a temp file
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    return on_connect


def create_all(engine: Engine) -> None:
    """Bring the store to the code's schema (idempotent; fresh, older or current store alike).

    The tables are made and upgraded by the Alembic migrations of :mod:`storage.migrate` (a
    store made before migrations is first brought to their baseline, in place). The SQL views
    of :mod:`storage.views` are then brought to the code's definition (re-created only when the
    database holds another one).
    """
    from storage import migrate, views

    migrate.upgrade(engine)
    views.create_views(engine)


def drop_all(engine: Engine) -> None:
    """Drop every nianbao table (tests and throwaway stores only)."""
    from sqlalchemy import text

    from storage import models, views
    from storage.migrate import VERSION_TABLE

    views.drop_views(engine)
    SQLModel.metadata.drop_all(engine, tables=models.TABLES)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A factory of SQLModel sessions whose objects stay readable after commit."""
    return sessionmaker(engine, class_=Session, expire_on_commit=False)
