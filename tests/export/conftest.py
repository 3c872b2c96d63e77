"""A small real store (tests/export/store.py) per database back end, shared by the module's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from storage import db
from tests.export.store import BuiltStore, build_store
from tests.storage.conftest import BACKENDS, PG_URL


@pytest.fixture(scope="module", params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, BuiltStore]]:
    root = tmp_path_factory.mktemp("store")
    if request.param == "postgresql":
        engine = db.make_engine(PG_URL)
        db.drop_all(engine)
    else:
        engine = db.make_engine(f"sqlite:///{root / 'nianbao.sqlite'}")
    built = build_store(engine, root / "warc")
    yield engine, built
    engine.dispose()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "export"
