"""The engine and the unit of work: ``Database.run(fn)`` gives ``fn`` one transaction and retries races.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE`` so that writers queue instead of failing half-way; PostgreSQL is the scale-out
engine (several stateless replicas share it).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from bot.errors import ConcurrentUpdate
from storage import crypto
from storage.errors import StorageUnavailable
from storage.repositories import SqlTransaction

__all__ = ["Database", "StorageUnavailable", "normalize_url", "safe_url"]

log = logging.getLogger(__name__)
T = TypeVar("T")

SQLITE_BUSY_MS = 15_000
# PostgreSQL SQLSTATEs worth a retry: serialization failure, deadlock, unique violation from a race.
_RETRY_SQLSTATES = {"40001", "40P01"}


PG_CONNECT_TIMEOUT_SECONDS = 10


def normalize_url(raw: str) -> URL:
    """Parse a database URL; plain ``postgresql://`` gets the psycopg 3 driver.

    Raises:
        StorageUnavailable: the URL cannot be parsed or names an engine phigate does not support.
    """
    try:
        url = make_url(raw)
    except ArgumentError:
        raise StorageUnavailable(
            "PHIGATE_DATABASE_URL is not a database URL "
            "(expected sqlite:///path.db or postgresql://user@host/dbname)"
        ) from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise StorageUnavailable(f"unsupported database {backend!r}: use sqlite or postgresql")


def safe_url(url: URL | str) -> str:
    """The URL without its password, for messages and logs."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)


class Database:
    """One engine per process; transactions come from ``transaction()`` or ``run()``."""

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 10, encryption_keys: str = ""
    ) -> None:
        self.url = normalize_url(url)
        self.dialect = self.url.get_backend_name()
        options: dict[str, Any] = {"echo": echo, "future": True}
        if self.dialect == "sqlite":
            options["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}
        else:
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
            if "connect_timeout" not in self.url.query:
                # A database host that stops answering must give a clear 503 in seconds, not hang a
                # request for the operating system's TCP timeout (minutes).
                options["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS}
        self.engine: Engine = create_engine(self.url, **options)
        crypto.attach(self.engine.dialect, crypto.make_cipher(encryption_keys))
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)

    def describe(self) -> str:
        """The URL without secrets."""
        return safe_url(self.url)

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[SqlTransaction]:
        """One transaction; committed when the block ends normally, rolled back on an exception."""
        try:
            connection = self.engine.connect()
        except OperationalError as exc:
            raise StorageUnavailable(self._unreachable(exc)) from None
        with connection:
            connection.execution_options(phigate_write=write)
            with Session(bind=connection, expire_on_commit=False) as session, session.begin():
                yield SqlTransaction(session, self.dialect)

    def run(self, work: Callable[[SqlTransaction], T], *, write: bool = True, attempts: int = 12) -> T:
        """Run ``work`` in a transaction, retrying on lost compare-and-set races and lock timeouts."""
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction(write=write) as tx:
                    return work(tx)
            except ConcurrentUpdate:
                if attempt == attempts:
                    raise
            except DBAPIError as exc:
                if attempt == attempts or not _retryable(exc):
                    if isinstance(exc, OperationalError) and exc.connection_invalidated:
                        raise StorageUnavailable(self._unreachable(exc)) from None
                    raise
            time.sleep(min(0.2, 0.002 * 2**attempt) * random.random())
        raise AssertionError("unreachable")

    def ping(self) -> None:
        """Check that the database answers.

        Raises:
            StorageUnavailable: it does not.
        """
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise StorageUnavailable(self._unreachable(exc)) from None

    def dispose(self) -> None:
        """Close the pool's connections."""
        self.engine.dispose()

    def _unreachable(self, exc: BaseException) -> str:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        return f"cannot reach the database at {self.describe()}: {reason}"


def _retryable(exc: DBAPIError) -> bool:
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate in _RETRY_SQLSTATES:
        return True
    message = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in message or "database table is locked" in message


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("phigate_write", True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
