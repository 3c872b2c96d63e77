"""The Alembic migration environment of the store (``env.py``, ``script.py.mako``, ``versions/``),
driven by :mod:`storage.migrate`; no alembic.ini is needed."""
