"""The Chinese labels of every canonical field (``crawler/reports/fields.tsv``) and the three
official tables they belong to, for the SQL views and the exports.

Read from the package data as the parser reads it, so a label is printed where it was defined once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

TABLES = (
    ("active", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
)
"""Key prefix and printed heading of each official table of the 2019 and 2021 templates."""


@dataclass(frozen=True)
class FieldLabel:
    """One line of fields.tsv: a field of a template with the labels printed around its cell."""

    template: str
    """2019 or 2021."""
    key: str
    """Canonical key ``<table>.<row>.<column>``."""
    table: str
    """The table's printed heading, e.g. 三、收到和处理政府信息公开申请情况."""
    row: str
    """Row label as printed, e.g. 一、本年新收政府信息公开申请数量."""
    column: str
    """Column label as printed, e.g. 自然人."""

    @property
    def is_text(self) -> bool:
        """True for the one kind of text field, a unit (万元/元); every other field is a number."""
        return self.key.endswith("_unit")


@cache
def field_labels() -> tuple[FieldLabel, ...]:
    """Every field of every template, in file order (table order within a template)."""
    text = files("crawler.reports").joinpath("fields.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines()[1:]:
        if not line.strip():
            continue
        key, template, table, row, column = line.split("\t")
        out.append(FieldLabel(template, key, table, row, column))
    return tuple(out)


def table_keys(prefix: str) -> tuple[str, ...]:
    """The keys of one official table over both templates, each once, 2021 order first then the
    2019-only keys (the columns of that table's wide view and export)."""
    by_template = sorted(field_labels(), key=lambda f: f.template != "2021")
    return tuple(dict.fromkeys(f.key for f in by_template if f.key.split(".", 1)[0] == prefix))


def label_of(key: str) -> FieldLabel:
    """The labels of ``key`` (the 2021 template's where both templates have it)."""
    try:
        return _by_key()[key]
    except KeyError:
        raise KeyError(f"{key!r} is not a field of fields.tsv") from None


@cache
def _by_key() -> dict[str, FieldLabel]:
    return {f.key: f for f in sorted(field_labels(), key=lambda f: f.template == "2021")}


def wide_column(key: str) -> str:
    """The column name of ``key`` in its table's wide view: the key without the table prefix, dots
    as ``__`` (``requests.new_received.total`` → ``new_received__total``): plain SQL identifiers
    for every downstream tool, and under PostgreSQL's 63 characters."""
    return key.split(".", 1)[1].replace(".", "__")
