"""Schema migrations: the head revision is the models (autogenerate finds nothing), an unversioned
older store upgrades in place with its rows, a versioned one is carried to a newer head, opening
a store twice changes nothing, and processes opening a fresh store together do not race."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage import db, migrate
from tests.storage.conftest import BACKENDS, PG_URL

REPO = Path(__file__).resolve().parents[2]


def _schema(engine: Engine) -> list[tuple[str, ...]]:
    """Every table, column, index and constraint definition of the store, comparable."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.execute(sa.text("SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY 1, 2"))
            return [tuple(r) for r in rows]
        cols = conn.execute(sa.text(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY 1, 2"))
        cons = conn.execute(sa.text(
            "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relnamespace = current_schema()::regnamespace "
            "ORDER BY 1, 2"))
        idx = conn.execute(sa.text("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                                   "ORDER BY 1, 2"))
        return [tuple(map(str, r)) for r in [*cols, *cons, *idx]]


def _seed(engine: Engine) -> None:
    """A site, an agency, a run and a cell: rows an upgrade must keep."""
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO sites (id, key, name, base_url, created_at) VALUES "
                             "(1, 'jiangsu', '江苏省人民政府', 'http://www.jiangsu.gov.cn/', '2025-02-01 03:00:00')"))
        conn.execute(sa.text("INSERT INTO agencies (id, site_id, name, normalized_name) VALUES "
                             "(1, 1, '江苏省财政厅', '江苏省财政厅')"))
        conn.execute(sa.text(
            "INSERT INTO crawl_runs (id, trigger, outcome, started_at, resume_count, settings, software_version, "
            "counts) VALUES (7, 'manual', 'ok', '2025-02-01 03:00:00', 0, '{}', '0.0.9', '{}')"))


def _narrow_cell_source(engine: Engine) -> None:
    """Make ``field_values.cell_source`` take only what it took before ``stated`` existed."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name='field_values'")).scalar_one()
            version = conn.execute(sa.text("PRAGMA schema_version")).scalar_one()
            conn.execute(sa.text("PRAGMA writable_schema=ON"))
            conn.execute(sa.text("UPDATE sqlite_master SET sql=:s WHERE name='field_values'"),
                         {"s": sql.replace("'stated', ", "")})
            conn.execute(sa.text(f"PRAGMA schema_version={version + 1}"))
            conn.execute(sa.text("PRAGMA writable_schema=OFF"))
        else:
            conn.execute(sa.text('ALTER TABLE field_values DROP CONSTRAINT "cell_source"'))
            conn.execute(sa.text("ALTER TABLE field_values ADD CONSTRAINT \"cell_source\" "
                                 "CHECK (cell_source IN ('published', 'split', 'repaired'))"))


def _make_old(engine: Engine) -> None:
    """Turn a store into one made before migrations: no version table, no ``crawl_runs.note``
    (a nullable column added later), no ``crawl_held_documents`` (a table added later), and a
    narrower enum."""
    with engine.begin() as conn:
        for view in ("v_table4_appeals", "v_table3_requests", "v_table2_active", "v_facts", "v_reports"):
            conn.execute(sa.text(f"DROP VIEW IF EXISTS {view}"))
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("DROP TABLE crawl_held_documents"))
        conn.execute(sa.text("ALTER TABLE crawl_runs DROP COLUMN note"))
    _narrow_cell_source(engine)


def _file_engine(backend: str, tmp_path: Path) -> Engine:
    """An empty store other processes can open too."""
    if backend == "postgresql":
        engine = db.make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        return engine
    return db.make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_head_is_the_models(engine: Engine) -> None:
    assert migrate.current(engine) == migrate.head()
    assert migrate.differences(engine) == []


def test_differences_see_a_store_that_is_not_the_models(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_reports_year"))
        conn.execute(sa.text("ALTER TABLE sites ADD COLUMN region VARCHAR"))
    _narrow_cell_source(engine)
    found = {d[0] if isinstance(d, tuple) else d[0][0] for d in migrate.differences(engine)}
    assert found == {"add_index", "remove_column", "enum_values"}


def test_create_all_twice_changes_nothing(engine: Engine) -> None:
    before = _schema(engine)
    assert migrate.upgrade(engine) == "current"
    db.create_all(engine)
    assert _schema(engine) == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unversioned_older_store_upgrades_in_place(backend: str, tmp_path: Path) -> None:
    engine = _file_engine(backend, tmp_path)
    db.create_all(engine)
    _seed(engine)
    _make_old(engine)
    assert migrate.current(engine) is None
    assert migrate.upgrade(engine) == "adopted"
    db.create_all(engine)
    assert migrate.current(engine) == migrate.head()
    assert migrate.differences(engine) == []
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT name FROM agencies WHERE site_id = 1")).scalar_one() == "江苏省财政厅"
        assert conn.execute(sa.text("SELECT software_version, note FROM crawl_runs")).one() == ("0.0.9", None)
        conn.execute(sa.text("UPDATE crawl_runs SET note = '补爬' WHERE id = 7"))
        conn.execute(sa.text(
            "INSERT INTO crawl_held_documents (run_id, report_url, url, document) "
            "VALUES (7, 'http://www.jiangsu.gov.cn/art/2025/1/20/art_1.html', 'http://www.jiangsu.gov.cn/a.pdf', '{}')"))
        conn.execute(sa.text("INSERT INTO sites (id, key, name, base_url, created_at) VALUES "
                             "(2, 'nanjing', '南京市人民政府', 'http://www.nanjing.gov.cn/', '2025-02-01 03:00:00')"))
        if conn.dialect.name == "sqlite":
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("SELECT COUNT(*) FROM v_reports")).scalar() == 0
    engine.dispose()


def test_an_old_store_missing_a_required_column_is_refused(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'odd.sqlite'}")
    db.create_all(engine)
    _make_old(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE crawl_runs DROP COLUMN software_version"))
    with pytest.raises(RuntimeError, match="software_version"):
        db.create_all(engine)
    assert migrate.current(engine) is None  # the failed upgrade left nothing half done
    with engine.connect() as conn:
        assert "crawl_held_documents" not in sa.inspect(conn).get_table_names()
    engine.dispose()


_REVISION_0002 = '''"""sites: a region

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _recreate() -> str:
    # SQLite: the copy-and-rename path, on a table others refer to; PostgreSQL alters in place
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("sites", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("region", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sites", recreate=_recreate()) as batch:
        batch.drop_column("region")
'''


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_versioned_store_is_carried_to_a_newer_head(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _file_engine(backend, tmp_path)
    db.create_all(engine)
    _seed(engine)
    newer = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "0002_sites_region.py").write_text(_REVISION_0002, encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", newer)
    assert [r.revision for r in migrate.history()] == ["0001", "0002"]
    assert migrate.upgrade(engine) == "upgraded"
    db.create_all(engine)
    assert migrate.current(engine) == "0002"
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT name, region FROM sites")).one() == ("江苏省人民政府", None)
        assert conn.execute(sa.text("SELECT COUNT(*) FROM agencies")).scalar() == 1
        assert conn.execute(sa.text("SELECT COUNT(*) FROM v_reports")).scalar() == 0
        if conn.dialect.name == "sqlite":
            assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
            fks = conn.execute(sa.text("PRAGMA foreign_key_list(agencies)")).all()
            assert [fk[2] for fk in fks] == ["sites"]
    engine.dispose()


_OPEN = """
import sys
from storage import db
engine = db.make_engine(sys.argv[1])
db.create_all(engine)
engine.dispose()
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_processes_opening_a_fresh_store_together_do_not_race(backend: str, tmp_path: Path) -> None:
    engine = _file_engine(backend, tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    procs = [subprocess.Popen([sys.executable, "-c", _OPEN, url], cwd=REPO, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert migrate.current(engine) == migrate.head()
    assert migrate.differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM alembic_version")).scalar() == 1
    engine.dispose()
