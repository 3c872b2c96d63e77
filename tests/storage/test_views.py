"""The SQL views: created by create_all on both stores (again and again), their columns are the
declared ones, docs/views.md is generated from the same declaration, and labels come from fields.tsv."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage import db
from storage.labels import field_labels, table_keys, wide_column
from storage.views import VIEWS, views_markdown

REPO = Path(__file__).resolve().parents[2]


def test_views_doc_matches_the_code() -> None:
    doc = (REPO / "docs" / "views.md").read_text(encoding="utf-8")
    assert doc.strip() == views_markdown().strip(), "run: python -m storage.views > docs/views.md"


def test_every_view_has_its_declared_columns_and_create_all_is_idempotent(engine: Engine) -> None:
    db.create_all(engine)  # the fixture ran it once already: a second time changes nothing
    with engine.connect() as conn:
        for view in VIEWS:
            result = conn.execute(text(f"SELECT * FROM {view.name} WHERE 1 = 0"))
            assert list(result.keys()) == [c.name for c in view.columns], view.name


def test_field_labels_view_is_fields_tsv(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT template, key, table_label, row_label, column_label FROM v_field_labels")).all()
    assert {tuple(r) for r in rows} == {(f.template, f.key, f.table, f.row, f.column) for f in field_labels()}
    assert ("2021", "requests.new_received.natural_person", "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量", "自然人") in {tuple(r) for r in rows}


def test_wide_columns_are_plain_identifiers_under_postgres_limit() -> None:
    for prefix in ("active", "requests", "appeals"):
        names = [wide_column(k) for k in table_keys(prefix)]
        assert len(names) == len(set(names)) > 10
        assert all(n.isidentifier() and len(n) <= 63 for n in names)


def test_drop_all_drops_the_views_too(engine: Engine) -> None:
    db.drop_all(engine)
    db.create_all(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM v_reports")).scalar_one() == 0


def test_an_old_or_edited_view_is_brought_to_the_code(file_engine: Engine) -> None:
    with file_engine.begin() as conn:
        conn.execute(text("DROP VIEW v_table4_appeals"))
        conn.execute(text("DROP VIEW v_table3_requests"))
        conn.execute(text("DROP VIEW v_table2_active"))
        conn.execute(text("DROP VIEW v_facts"))
        conn.execute(text("DROP VIEW v_reports"))
        conn.execute(text("CREATE VIEW v_reports AS SELECT id AS report_id FROM reports"))
    db.create_all(file_engine)
    with file_engine.connect() as conn:
        keys = list(conn.execute(text("SELECT * FROM v_reports WHERE 1 = 0")).keys())
        assert keys == [c.name for c in VIEWS[1].columns]
        assert list(conn.execute(text("SELECT * FROM v_facts WHERE 1 = 0")).keys())


def test_processes_starting_together_do_not_trip_over_the_views(file_engine: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    db.drop_all(file_engine)
    url = file_engine.url.render_as_string(hide_password=False)
    engines = [db.make_engine(url) for _ in range(4)]
    db.create_all(engines[0])
    with engines[0].begin() as conn:  # as if an older nianbao had made them: all four re-create
        conn.execute(text("DROP VIEW v_table4_appeals"))
    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(db.create_all, engines))
    finally:
        for e in engines:
            e.dispose()
    with file_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM v_table4_appeals")).scalar_one() == 0
