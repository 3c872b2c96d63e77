"""Fixtures: a small real store (tests/web/store.py) on SQLite and, with DATABASE_URL, PostgreSQL,
indexed for search, and the web app over it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from crawler.web.app import WebConfig, create_app
from crawler.web.fulltext import update_index
from tests.storage.conftest import BACKENDS, fresh_engine
from tests.web.store import Built, build_store

PROBE_SCRIPT = (
    "var out = document.getElementById('out'); var c = ''; try { c = document.cookie; } catch (e) { c = 'blocked'; }"
    "out.textContent = 'cookie=[' + c + ']';"
)


@dataclass
class Store:
    engine: Engine
    archive: Path
    built: Built


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    engine = fresh_engine(request.param, tmp_path, file=True)
    archive = tmp_path / "warc"
    built = build_store(engine, archive, PROBE_SCRIPT)
    update_index(engine, archive, rebuild=True)
    yield Store(engine, archive, built)
    engine.dispose()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    app = create_app(WebConfig(store.engine, store.archive, "http://127.0.0.2:18701"))
    with TestClient(app) as c:
        yield c
