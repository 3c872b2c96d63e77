"""Bring an unversioned store (made before migrations existed) to the baseline schema, in place.

These are the steps every start used to run: create the tables added since, add the nullable
columns added since, widen the enum CHECK constraints to the values added since. Nothing else
ever changed before the baseline, so they are enough; a store missing a column that is not
nullable was not made by nianbao and is refused.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn, SetColumnComment

from storage.migrations.baseline import baseline_metadata


def to_baseline(conn: Connection) -> None:
    """Create, add and widen what the store lacks of the baseline (inside the caller's transaction)."""
    metadata = baseline_metadata()
    tables = list(metadata.sorted_tables)
    metadata.create_all(conn, checkfirst=True)
    add_missing_columns(conn, tables)
    widen_enum_checks(conn, tables)


def add_missing_columns(conn: Connection, tables: list[sa.Table]) -> None:
    """Add each nullable column of ``tables`` the store lacks, with its comment; refuse a missing
    NOT NULL one."""
    inspector = sa.inspect(conn)
    for table in tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(
                    f"table {table.name}: column {column.name} is missing and not nullable; "
                    "this store was not made by nianbao"
                )
            ddl = CreateColumn(column).compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
            if column.comment and conn.dialect.supports_comments:
                conn.execute(SetColumnComment(column))  # ADD COLUMN does not carry it


def enum_checks(tables: list[Any]) -> list[tuple[str, str, str, list[str]]]:
    """(table, constraint, column, allowed values) of every enum column's CHECK constraint."""
    return [(table.name, column.type.name, column.name, list(column.type.enums))
            for table in tables for column in table.columns
            if isinstance(column.type, sa.Enum) and not column.type.native_enum and column.type.name]


def _sqlite_check(conn: Connection, table: str, name: str, column: str) -> tuple[str, re.Match[str] | None]:
    sql = str(conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE type='table' AND name=:t"),
                           {"t": table}).scalar() or "")
    return sql, re.search(rf"CONSTRAINT {re.escape(name)} CHECK \({re.escape(column)} IN \(([^)]*)\)\)", sql)


def check_values(conn: Connection, table: str, name: str, column: str) -> list[str] | None:
    """The values the store's CHECK constraint ``name`` allows in ``column``; None without one."""
    if conn.dialect.name == "sqlite":
        found = _sqlite_check(conn, table, name, column)[1]
        listed = found.group(1) if found else None
    else:
        listed = conn.execute(sa.text(
            "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE c.conname = :n AND t.relname = :t AND c.contype = 'c' AND t.relnamespace = "
            "current_schema()::regnamespace"), {"n": name, "t": table}).scalar()
    return None if listed is None else re.findall(r"'([^']*)'", listed)


def widen_enum_checks(conn: Connection, tables: list[Any]) -> None:
    """Let an older store's enum columns take the values added since (a new cell source, say).

    Enum columns are VARCHAR with a CHECK constraint (storage.coltypes.enum_type). PostgreSQL drops
    and re-creates an outdated constraint in the transaction. SQLite cannot alter a constraint;
    widening a CHECK is the case its documentation allows through ``writable_schema`` (the rows
    already there satisfy the wider check), with the schema version bumped so every connection
    reads the new definition.
    """
    for table, name, column, values in enum_checks(tables):
        present = check_values(conn, table, name, column)
        if present is None or set(values) <= set(present):
            continue
        allowed = ", ".join(f"'{v}'" for v in values)
        if conn.dialect.name == "sqlite":
            sql, found = _sqlite_check(conn, table, name, column)
            assert found is not None
            wider = sql[:found.start(1)] + allowed + sql[found.end(1):]
            version = conn.execute(sa.text("PRAGMA schema_version")).scalar()
            conn.execute(sa.text("PRAGMA writable_schema=ON"))
            conn.execute(sa.text("UPDATE sqlite_master SET sql=:s WHERE type='table' AND name=:t"),
                         {"s": wider, "t": table})
            conn.execute(sa.text(f"PRAGMA schema_version={int(version or 0) + 1}"))
            conn.execute(sa.text("PRAGMA writable_schema=OFF"))
        else:
            conn.execute(sa.text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
            conn.execute(sa.text(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK ("{column}" IN ({allowed}))'))
