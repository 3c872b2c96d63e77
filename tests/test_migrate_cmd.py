"""``nianbao db upgrade|current|history|revision`` on a SQLite store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from crawler.cli import app
from storage import migrate

runner = CliRunner()


def test_upgrade_then_current_then_history(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nianbao.sqlite'}"
    result = runner.invoke(app, ["db", "current", "--db", url])
    assert result.exit_code == 1 and "empty; head is 0001" in result.output
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    assert "store at revision 0001: created" in result.output
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert "was already at the head" in result.output
    result = runner.invoke(app, ["db", "current", "--db", url])
    assert result.exit_code == 0 and result.output.strip() == "0001 (head)"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
    engine.dispose()
    result = runner.invoke(app, ["db", "current", "--db", url])
    assert result.exit_code == 1 and "unversioned" in result.output
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0 and "was unversioned" in result.output
    result = runner.invoke(app, ["db", "history"])
    assert result.exit_code == 0 and result.output.startswith("<base> -> 0001 (head)  baseline")


def test_bad_url_is_a_usage_error() -> None:
    result = runner.invoke(app, ["db", "current", "--db", "mysql://x/y"])
    assert result.exit_code == 2


def test_revision_of_unchanged_models_is_empty_and_numbered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    result = runner.invoke(app, ["db", "revision", "-m", "nothing yet"])
    assert result.exit_code == 0, result.output
    made = Path(result.output.strip())
    assert made.parent == copy / "versions" and made.name == "0002_nothing_yet.py"
    text = made.read_text(encoding="utf-8")
    assert 'revision: str = "0002"' in text and 'down_revision: str | None = "0001"' in text
    assert "op." not in text.split("def upgrade() -> None:")[1]  # the head is the models: nothing to do
    compile(text, str(made), "exec")
