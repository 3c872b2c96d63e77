"""The search joins its full-text matches to the index in one of two ways, by how many matched
(:func:`crawler.web.search._hit_key`); both must give the same page, counts and facets."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from crawler.web import search as search_mod
from crawler.web.search import Filters, search
from tests.web.conftest import Store

SEARCHES = [
    Filters(q="政府信息"),
    Filters(q="吴中区"),
    Filters(q="公开", status="changed"),
    Filters(q="公开", edited=False, province="北京市"),
    Filters(q="公开", year=2023, failed=False),
]


def test_both_join_keys_give_the_same_search(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {
        "matches first": lambda _s, _m, _n: sa.literal_column("+web_hits.report_id"),
        "index first": lambda _s, matches, _n: matches.c.report_id,
    }
    pages: dict[str, list[search_mod.SearchPage]] = {}
    for name, key in keys.items():
        if store.engine.dialect.name != "sqlite" and name == "matches first":
            continue
        monkeypatch.setattr(search_mod, "_hit_key", key)
        with Session(store.engine) as s:
            pages[name] = [search(s, f) for f in SEARCHES]
    first = next(iter(pages.values()))
    assert all(p == first for p in pages.values())
    assert first[0].total > first[1].total > 0, "a common word and a rarer one"
    assert {h.status for h in first[2].hits} == {"changed"}


def test_few_matches_put_the_matches_first(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("the hint is SQLite's")
    with Session(store.engine) as s:
        indexed = s.execute(sa.text("SELECT COUNT(*) FROM web_search")).scalar_one()
        rare = search_mod._materialise_matches(s, "吴中区")
        assert rare is not None
        assert str(search_mod._hit_key(s, rare, indexed * 100)) == "+web_hits.report_id"
        assert search_mod._hit_key(s, rare, 1) is rare.c.report_id
