"""``phigate db upgrade|current``: the database schema (Alembic migrations)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings
from storage import migrate
from storage.db import Database


def register(sub: Any) -> None:
    """Add the ``db`` sub-commands."""
    parser = sub.add_parser("db", help="database schema: upgrade, current")
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, handler, text in (
        ("upgrade", upgrade, "apply the migrations up to the newest schema"),
        ("current", current, "print the schema revision the database is at"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
        action.set_defaults(handler=handler)


def _database(args: argparse.Namespace) -> Database:
    settings = Settings.load(args.config)
    db = Database(settings.database_url, encryption_keys=settings.encryption_key)
    db.ping()
    return db


def upgrade(args: argparse.Namespace) -> int:
    """Execute ``phigate db upgrade``."""
    db = _database(args)
    before = migrate.current(db) or "empty"
    migrate.upgrade(db)
    print(f"database {db.describe()}: schema {before} -> {migrate.current(db)} (newest: {migrate.head()})")
    db.dispose()
    return 0


def current(args: argparse.Namespace) -> int:
    """Execute ``phigate db current``; exit 1 when the schema is not the newest."""
    db = _database(args)
    found = migrate.current(db)
    newest = migrate.head()
    state = "up to date" if found == newest else "out of date: run `phigate db upgrade`"
    print(f"database {db.describe()}: schema {found or 'empty'}, newest {newest} ({state})")
    db.dispose()
    return 0 if found == newest else 1
