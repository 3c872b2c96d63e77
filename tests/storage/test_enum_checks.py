"""A store made before an enum gained a value (cell source ``stated``) takes the new value once
opened by this version, on SQLite and PostgreSQL; nothing in it is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.db import create_all, make_engine


def _narrow_sqlite(engine: sa.Engine) -> None:
    """Make the store look like one made before ``stated`` existed."""
    with engine.begin() as conn:
        sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name='field_values'")).scalar()
        version = conn.execute(sa.text("PRAGMA schema_version")).scalar()
        conn.execute(sa.text("PRAGMA writable_schema=ON"))
        conn.execute(sa.text("UPDATE sqlite_master SET sql=:s WHERE name='field_values'"),
                     {"s": sql.replace("'stated', ", "")})
        conn.execute(sa.text(f"PRAGMA schema_version={version + 1}"))
        conn.execute(sa.text("PRAGMA writable_schema=OFF"))
        conn.execute(sa.text("DROP TABLE alembic_version"))  # made before migrations existed


def _insert_stated(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("PRAGMA foreign_keys=OFF")) if engine.dialect.name == "sqlite" else None
        conn.execute(sa.text(
            "INSERT INTO field_values (source_id, key, kind, value_num, cell_source) "
            "VALUES (1, 'active.regulations.issued', 'field', 3, 'stated')"))


def test_an_older_sqlite_store_takes_a_new_enum_value(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    create_all(engine)
    _narrow_sqlite(engine)
    engine.dispose()
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with pytest.raises(sa.exc.IntegrityError):
        _insert_stated(engine)
    create_all(engine)  # what opening the store with this version does
    engine.dispose()
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    _insert_stated(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(sa.text("SELECT cell_source FROM field_values")).scalars().all() == ["stated"]
    create_all(engine)  # idempotent
    engine.dispose()


@pytest.mark.postgres
def test_an_older_postgres_store_takes_a_new_enum_value() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("DATABASE_URL is not a PostgreSQL URL (scripts/test.sh starts one)")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text('ALTER TABLE field_values DROP CONSTRAINT "cell_source"'))
        conn.execute(sa.text("ALTER TABLE field_values ADD CONSTRAINT \"cell_source\" "
                             "CHECK (cell_source IN ('published', 'split', 'repaired'))"))
        conn.execute(sa.text("ALTER TABLE field_values DROP CONSTRAINT IF EXISTS field_values_source_id_fkey"))
        conn.execute(sa.text("DROP TABLE alembic_version"))  # made before migrations existed
    with pytest.raises(sa.exc.IntegrityError):
        _insert_stated(engine)
    create_all(engine)
    _insert_stated(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT cell_source FROM field_values")).scalars().all() == ["stated"]
    engine.dispose()
