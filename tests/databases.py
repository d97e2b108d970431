"""Test databases: a fresh SQLite file, or a fresh schema on the local PostgreSQL server.

PostgreSQL comes from ``PHIGATE_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``).
When it cannot be reached the PostgreSQL tests skip, except with ``CI=true``, where they fail: CI must
never pass without having run them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import migrate
from storage.db import Database, normalize_url

POSTGRES_URL = os.environ.get("PHIGATE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
ENGINES = ("sqlite", "postgresql")


def postgres_available() -> str | None:
    """None if the server answers, else why not."""
    try:
        engine = create_engine(normalize_url(POSTGRES_URL), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return str(exc).splitlines()[0]


def require_postgres() -> None:
    """Skip (or, in CI, fail) when the PostgreSQL server is not reachable."""
    problem = postgres_available()
    if problem is None:
        return
    message = f"PostgreSQL at {POSTGRES_URL} is not reachable: {problem}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message} (CI=true: PostgreSQL tests must run, start the server)")
    pytest.skip(message)


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use a new, empty schema; the schema is dropped afterwards."""
    schema = "t_" + secrets.token_hex(6)
    admin = create_engine(normalize_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def database_url(engine: str, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of the given engine."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'phigate-test.db'}"
        return
    require_postgres()
    with postgres_schema_url() as url:
        yield url


@contextmanager
def migrated_database(engine: str, tmp_path: Path) -> Iterator[Database]:
    """A ``Database`` on an empty, migrated database of the given engine."""
    with database_url(engine, tmp_path) as url:
        db = Database(url)
        migrate.upgrade(db)
        try:
            yield db
        finally:
            db.dispose()
