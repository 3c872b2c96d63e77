"""The storage fixtures (in-memory SQLite, and PostgreSQL when DATABASE_URL names one)."""

from tests.storage.conftest import engine, session  # noqa: F401
