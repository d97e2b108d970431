"""Shared wiring for the commands that use the database: settings, the engine, the schema check."""

from __future__ import annotations

import sys

from bot.config import Settings
from storage import migrate
from storage.db import Database, StorageUnavailable


class SchemaOutOfDate(Exception):  # noqa: N818 - reads as what the operator sees
    """The database schema is older than this phigate; the message says which command fixes it."""


def open_database(settings: Settings, *, upgrade_embedded: bool = False) -> Database:
    """The configured database, checked to be reachable and at the newest schema.

    Args:
        settings: phigate's settings (``database_url``).
        upgrade_embedded: apply migrations automatically when the database is SQLite (the embedded
            default); PostgreSQL is only ever upgraded by ``phigate db upgrade``.

    Raises:
        StorageUnavailable: the database cannot be reached.
        SchemaOutOfDate: the schema is behind and was not upgraded.
    """
    db = Database(settings.database_url, encryption_keys=settings.encryption_key)
    db.ping()
    if not migrate.is_current(db):
        if upgrade_embedded and db.dialect == "sqlite":
            migrate.upgrade(db)
            print(f"phigate: database schema upgraded to {migrate.head()} ({db.describe()})", file=sys.stderr)
        else:
            found = migrate.current(db) or "empty"
            db.dispose()
            raise SchemaOutOfDate(
                f"the database at {db.describe()} is at schema {found}, this phigate needs {migrate.head()}: "
                "run `phigate db upgrade` first"
            )
    return db


__all__ = ["SchemaOutOfDate", "StorageUnavailable", "open_database"]
