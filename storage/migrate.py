"""Schema migrations (Alembic): every store, new or old, is brought to the head revision in place.

:func:`upgrade` is what :func:`storage.db.create_all` runs on every start. It tells three kinds
of store apart:

- a fresh one (none of our tables) runs every revision from the baseline on, so a new store and
  an upgraded one are made by the same code;
- an unversioned older one (our tables, no ``alembic_version``: made before migrations existed)
  is first brought to the baseline by the ad-hoc steps that used to run on every start
  (:mod:`storage.migrations.adopt`), stamped at the baseline, then upgraded;
- a versioned one is upgraded from its revision to the head.

A store already at the head is only read. Otherwise the work happens in one transaction under a
lock, so that processes opening the store together (scheduler, crawls, ``nianbao serve``) do not
race: a PostgreSQL advisory lock, or SQLite's write lock taken up front (``BEGIN IMMEDIATE``);
whoever comes second finds the store at the head and does nothing. The environment is configured
here, programmatically: no alembic.ini is read.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")
"""The migration environment (env.py, script.py.mako, versions/)."""

BASELINE = "0001"
"""The revision equal to the schema an unversioned store is brought to (the first one)."""

VERSION_TABLE = "alembic_version"

_LOCK_KEY = 0x6E69616E6D6967  # "nianmig": the advisory lock of schema upgrades (PostgreSQL)


@dataclass(frozen=True)
class Revision:
    """One migration: its id, the one it follows, and its one-line message."""

    revision: str
    down_revision: str | None
    message: str


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration of the store's environment, bound to ``connection`` when given."""
    config = Config(stdout=io.StringIO())  # what Alembic prints, nianbao's commands say themselves
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def our_tables() -> set[str]:
    """Names of the tables the migrations own (:data:`storage.models.TABLES`)."""
    from storage.models import TABLES

    return {t.name for t in TABLES}


def _include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Compare only our tables: the database also holds the views' labels, the search index,
    the scheduler's jobs and locks, which other modules own."""
    if type_ == "table":
        return name in our_tables()
    return True


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write portable SQLAlchemy types into revisions, not the project's own (a revision must
    keep meaning what it meant when the project's classes change)."""
    from sqlmodel.sql.sqltypes import AutoString

    from storage.coltypes import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


def configure_context(context: Any, connection: Connection) -> None:
    """Configure Alembic's ``context`` (from env.py) on ``connection`` against the models."""
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        include_object=_include_object,
        render_item=_render_item,
        render_as_batch=True,  # SQLite alters a table by copying it: batch mode does that
        compare_type=True,
        compare_server_default=True,
        version_table=VERSION_TABLE,
    )


def script() -> ScriptDirectory:
    """The revisions shipped with the code."""
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision."""
    found = script().get_current_head()
    if found is None:
        raise RuntimeError(f"no migration in {MIGRATIONS / 'versions'}")
    return found


def history() -> list[Revision]:
    """Every revision, oldest first."""
    revisions = list(script().walk_revisions())
    return [Revision(r.revision, _down(r.down_revision), (r.doc or "").strip()) for r in reversed(revisions)]


def _down(down: str | list[str] | tuple[str, ...] | None) -> str | None:
    return down if down is None or isinstance(down, str) else ",".join(down)


def current(engine: Engine) -> str | None:
    """The store's revision: None when unversioned (fresh, or made before migrations)."""
    with engine.connect() as conn:
        return _current(conn)


def _current(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the store to the head revision (see the module doc); idempotent and safe to run
    from several processes at once. Returns what was done: ``current`` (nothing), ``created``,
    ``adopted`` (an unversioned store) or ``upgraded``."""
    target = head()
    with engine.connect() as conn:
        if _current(conn) == target:
            return "current"
    with _locked(engine) as conn:
        return _upgrade_locked(conn, target)


def _upgrade_locked(conn: Connection, target: str) -> str:
    from storage.migrations import adopt

    present = set(sa.inspect(conn).get_table_names())
    revision = _current(conn) if VERSION_TABLE in present else None
    if revision == target:
        return "current"  # another process did it while this one waited for the lock
    _drop_views(conn)  # SQLite refuses to rename a table a view names; create_all re-creates them
    config = alembic_config(conn)
    if revision is None and present & our_tables():
        adopt.to_baseline(conn)
        command.stamp(config, BASELINE)
        command.upgrade(config, "head")
        return "adopted"
    command.upgrade(config, "head")
    return "created" if revision is None else "upgraded"


def _drop_views(conn: Connection) -> None:
    from storage.views import VIEWS

    for view in reversed(VIEWS):
        conn.execute(sa.text(f"DROP VIEW IF EXISTS {view.name}"))


class _locked:
    """A connection in a transaction that holds the store's upgrade lock until it commits.

    PostgreSQL: a transaction-level advisory lock (its DDL is transactional). SQLite: the write
    lock, taken by ``BEGIN IMMEDIATE`` before anything is read, with foreign keys off for the
    transaction (SQLite's documented way to rebuild a table others refer to; checked with
    ``PRAGMA foreign_key_check`` before the commit).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        conn = self.conn = self.engine.connect()
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: before BEGIN
            conn.commit()
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        return conn

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        conn = self.conn
        assert conn is not None
        try:
            if kind is None and conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"schema upgrade left rows whose references are broken: {broken[:5]}")
            if kind is None:
                conn.commit()
            else:
                conn.rollback()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
            conn.close()


def differences(engine: Engine) -> list[Any]:
    """What autogenerate finds between the store and the models (empty: nothing to migrate).

    Alembic does not compare CHECK constraints, so an enum value added to a model without a
    migration is reported here too, as ``("enum_values", table, column, in_db, in_models)``.
    """
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_object": _include_object, "compare_type": True, "compare_server_default": True,
            "target_metadata": SQLModel.metadata})
        diff: list[Any] = list(compare_metadata(context, SQLModel.metadata))
        diff += _enum_differences(conn)
    return diff


def _enum_differences(conn: Connection) -> list[tuple[str, str, str, list[str], list[str]]]:
    from storage.migrations.adopt import check_values, enum_checks
    from storage.models import TABLES

    out = []
    for table, name, column, values in enum_checks(TABLES):
        in_db = check_values(conn, table, name, column)
        if in_db is not None and sorted(in_db) != sorted(values):
            out.append(("enum_values", table, column, in_db, values))
    return out


def new_revision(message: str, *, engine: Engine | None = None) -> Path:
    """Write a revision autogenerated against the models (numbered after the head) and return
    its file. Compared with ``engine``'s store when given, else with a store in memory at the head."""
    from storage.db import make_engine

    own = engine is None
    engine = engine or make_engine("sqlite://")
    try:
        upgrade(engine)
        number = f"{int(head()) + 1:04d}"
        with engine.begin() as conn, contextlib.redirect_stdout(io.StringIO()):  # its "Generating …"
            made = command.revision(alembic_config(conn), message=message, autogenerate=True, rev_id=number)
    finally:
        if own:
            engine.dispose()
    scripts = made if isinstance(made, list) else [made]
    return Path(scripts[0].path) if scripts and scripts[0] is not None else MIGRATIONS / "versions"
