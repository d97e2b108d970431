"""Alembic environment: phigate passes the connection in (see storage/migrate.py)."""

from __future__ import annotations

from alembic import context

from storage.orm import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - phigate always passes a connection
    raise RuntimeError("run migrations through `phigate db upgrade`")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
