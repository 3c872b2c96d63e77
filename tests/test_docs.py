"""The documentation stays true: the table reference is the schema, every setting is listed."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from crawler.config import CrawlConfig
from storage.schema_doc import tables_markdown

REPO = Path(__file__).resolve().parents[1]


def test_tables_doc_matches_the_schema() -> None:
    doc = (REPO / "docs" / "tables.md").read_text(encoding="utf-8")
    assert doc.strip() == tables_markdown().strip(), "run: python -m storage.schema_doc > docs/tables.md"


def test_every_setting_has_a_docstring_and_env_name() -> None:
    source = (REPO / "crawler" / "config.py").read_text(encoding="utf-8")
    for f in fields(CrawlConfig):
        assert f"    {f.name}:" in source
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "NIANBAO_" in readme and "crawler/config.py" in readme
