"""baseline: the schema of nianbao 0.1, when migrations began

Revision ID: 0001
Revises:
Create Date: 2026-12-03

The tables come from the frozen :mod:`storage.migrations.baseline` (created with
``MetaData.create_all``, which orders them by their foreign keys and is the same DDL on SQLite
and PostgreSQL); an unversioned store is brought to the same schema by
:mod:`storage.migrations.adopt` and stamped here.
"""

from __future__ import annotations

from alembic import op

from storage.migrations.baseline import baseline_metadata

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    baseline_metadata().create_all(op.get_bind())


def downgrade() -> None:
    baseline_metadata().drop_all(op.get_bind())
