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
        cur.close()

    return on_connect


def create_all(engine: Engine) -> None:
    """Create every nianbao table and index that does not exist yet (idempotent).

    A store made by an earlier version also gets the nullable columns added since (no other
    schema change has been made so far; one that needs more would bring a migration tool).
    The SQL views of :mod:`storage.views` are brought to the code's definition (re-created only
    when the database holds another one).
    """
    from storage import models, views

    SQLModel.metadata.create_all(engine, tables=models.TABLES)
    _add_missing_columns(engine, models.TABLES)
    _widen_enum_checks(engine, models.TABLES)
    views.create_views(engine)


def _enum_checks(tables: list[Any]) -> list[tuple[str, str, str, list[str]]]:
    """(table, constraint, column, allowed values) of every enum column's CHECK constraint."""
    import sqlalchemy as sa

    return [(table.name, column.type.name, column.name, list(column.type.enums))
            for table in tables for column in table.columns
            if isinstance(column.type, sa.Enum) and not column.type.native_enum and column.type.name]


def _widen_enum_checks(engine: Engine, tables: list[Any]) -> None:
    """Let an older store's enum columns take the values added since (a new cell source, say).

    Enum columns are VARCHAR with a CHECK constraint (storage.coltypes.enum_type). PostgreSQL drops
    and re-creates an outdated constraint in one transaction. SQLite cannot alter a constraint;
    widening a CHECK is the case its documentation allows through ``writable_schema`` (the rows
    already there satisfy the wider check), with the schema version bumped so every connection
    reads the new definition.
    """
    import re

    from sqlalchemy import text

    checks = _enum_checks(tables)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for table, name, column, values in checks:
                sql = str(conn.execute(text("SELECT sql FROM sqlite_master WHERE type='table' AND name=:t"),
                                       {"t": table}).scalar() or "")
                found = re.search(rf"CONSTRAINT {re.escape(name)} CHECK \({re.escape(column)} IN \(([^)]*)\)\)", sql)
                if found is None or all(f"'{v}'" in found.group(1) for v in values):
                    continue
                wider = sql[:found.start(1)] + ", ".join(f"'{v}'" for v in values) + sql[found.end(1):]
                version = conn.execute(text("PRAGMA schema_version")).scalar()
                conn.execute(text("PRAGMA writable_schema=ON"))
                conn.execute(text("UPDATE sqlite_master SET sql=:s WHERE type='table' AND name=:t"),
                             {"s": wider, "t": table})
                conn.execute(text(f"PRAGMA schema_version={int(version or 0) + 1}"))
                conn.execute(text("PRAGMA writable_schema=OFF"))
        elif engine.dialect.name == "postgresql":
            for table, name, column, values in checks:
                defined = conn.execute(text(
                    "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
                    "WHERE c.conname = :n AND t.relname = :t AND c.contype = 'c'"), {"n": name, "t": table}).scalar()
                if defined is None or all(f"'{v}'" in defined for v in values):
                    continue
                allowed = ", ".join(f"'{v}'" for v in values)
                conn.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
                conn.execute(text(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK ("{column}" IN ({allowed}))'))


def _add_missing_columns(engine: Engine, tables: list[Any]) -> None:
    from sqlalchemy import inspect, text
    from sqlalchemy.schema import CreateColumn

    inspector = inspect(engine)
    with engine.begin() as conn:
        for table in tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable:
                    raise RuntimeError(
                        f"table {table.name}: column {column.name} is missing and not nullable; "
                        "this store needs a migration"
                    )
                ddl = CreateColumn(column).compile(dialect=engine.dialect)
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))


def drop_all(engine: Engine) -> None:
    """Drop every nianbao table (tests and throwaway stores only)."""
    from storage import models, views

    views.drop_views(engine)
    SQLModel.metadata.drop_all(engine, tables=models.TABLES)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A factory of SQLModel sessions whose objects stay readable after commit."""
    return sessionmaker(engine, class_=Session, expire_on_commit=False)
