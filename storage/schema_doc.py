"""The tables as Markdown, generated from the models' own descriptions (for the README)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import AutoString

from storage.coltypes import UTCDateTime
from storage.models import TABLES, SQLModel


def _model_docs() -> dict[str, str]:
    docs = {}
    for mapper in SQLModel._sa_registry.mappers:
        cls = mapper.class_
        docs[cls.__tablename__] = (cls.__doc__ or "").strip().splitlines()[0]
    return docs


def _type_name(column: sa.Column) -> str:
    t = column.type
    if isinstance(t, sa.Enum):
        return " / ".join(t.enums)
    for kind, name in _TYPE_NAMES:
        if isinstance(t, kind):
            return name
    return type(t).__name__.lower()


_TYPE_NAMES: list[tuple[type, str]] = [
    (UTCDateTime, "UTC time"),
    (sa.Boolean, "bool"),
    (sa.Integer, "integer"),
    (sa.Float, "number"),
    (sa.JSON, "JSON"),
    (sa.LargeBinary, "bytes"),
    (sa.String, "text"),
    (AutoString, "text"),
]


def tables_markdown() -> str:
    """One section per table: its purpose, then each column with type and description."""
    docs = _model_docs()
    out = []
    for table in TABLES:
        out.append(f"### `{table.name}`\n\n{docs.get(table.name, '')}\n")
        out.append("| column | type | description |\n| --- | --- | --- |")
        for column in table.columns:
            key = " (key)" if column.primary_key else ""
            out.append(f"| `{column.name}`{key} | {_type_name(column)} | {column.comment or ''} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(tables_markdown())
