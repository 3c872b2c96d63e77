"""Every column is documented, and the generated table reference lists them all."""

from __future__ import annotations

from storage.models import TABLES
from storage.schema_doc import tables_markdown


def test_every_column_has_a_description() -> None:
    missing = [f"{t.name}.{c.name}" for t in TABLES for c in t.columns if not (c.comment or "").strip()]
    assert missing == []


def test_markdown_lists_every_table_and_column() -> None:
    text = tables_markdown()
    for table in TABLES:
        assert f"### `{table.name}`" in text
        for column in table.columns:
            assert f"| `{column.name}`" in text
    assert "| `state` | pending / in_progress / done / failed |" in text
    assert "| `fetched_at` | UTC time |" in text
    assert "autostring" not in text
