"""Alembic's environment for the store: runs on the connection :mod:`storage.migrate` hands over
(inside its transaction and lock), against the metadata of :data:`storage.models.TABLES`.

Only online mode exists: the store's own engine decides the dialect, and SQL scripts for a DBA
are not a use we have.
"""

from __future__ import annotations

from alembic import context

from storage.migrate import configure_context

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("storage migrations run through storage.migrate (online, on the store's connection)")
configure_context(context, connection)
with context.begin_transaction():
    context.run_migrations()
