"""Claiming and settling outbox messages (the delivery loop lives with the server, handlers/worker.py).

A claim moves due messages to ``in_flight`` with a lease (their ``available_at`` set to the lease's end)
and commits, so the delivery call happens outside any transaction. PostgreSQL claims with
``FOR UPDATE SKIP LOCKED`` so replicas never take the same message; SQLite has one writer anyway.
A message whose lease ran out (its worker died) is due again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from storage.db import Database
from storage.orm import OutboxRow

LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class ClaimedMessage:
    """A message this worker must deliver now."""

    id: int
    surface: str
    kind: str
    payload: dict[str, Any]
    attempts: int


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 2, 4, 8 … seconds, at most 10 minutes."""
    return timedelta(seconds=min(600, 2**attempts))


def claim(
    db: Database,
    surfaces: list[str],
    limit: int = 20,
    now: datetime | None = None,
    lease: timedelta = LEASE,
) -> list[ClaimedMessage]:
    """Take up to ``limit`` due messages for ``surfaces``, each for ``lease`` (then due again)."""
    now = now or datetime.now(UTC)

    def work(tx: Any) -> list[ClaimedMessage]:
        query = (
            select(OutboxRow)
            .where(
                OutboxRow.surface.in_(surfaces),
                or_(OutboxRow.status == "pending", OutboxRow.status == "in_flight"),
                OutboxRow.available_at <= now,
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = tx.session.scalars(query).all()
        claimed = []
        for row in rows:
            row.status = "in_flight"
            row.attempts += 1
            row.available_at = now + lease
            claimed.append(ClaimedMessage(row.id, row.surface, row.kind, dict(row.payload), row.attempts))
        return claimed

    return db.run(work)


def settle_delivered(db: Database, message_id: int) -> None:
    """Mark a message delivered."""
    db.run(
        lambda tx: tx.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id)
            .values(status="delivered", delivered_at=datetime.now(UTC), last_error=None)
        )
    )


def settle_failed(db: Database, message: ClaimedMessage, error: str, max_attempts: int) -> str:
    """Schedule a retry with backoff, or give up after ``max_attempts``; returns the new status.

    Only this claim's outcome counts: if the lease ran out and the message was claimed again (and
    perhaps delivered) meanwhile, nothing changes and the message's current status is returned.
    """
    status = "failed" if message.attempts >= max_attempts else "pending"
    when = datetime.now(UTC) + backoff(message.attempts)

    def work(tx: Any) -> str:
        result = tx.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message.id,
                OutboxRow.status == "in_flight",
                OutboxRow.attempts == message.attempts,
            )
            .values(status=status, available_at=when, last_error=error[:500])
        )
        if result.rowcount == 1:
            return status
        return str(tx.session.scalar(select(OutboxRow.status).where(OutboxRow.id == message.id)))

    return db.run(work)


def pending_count(db: Database) -> int:
    """Messages not yet delivered (for /metrics and /healthz)."""
    from sqlalchemy import func

    return int(
        db.run(
            lambda tx: tx.session.scalar(
                select(func.count())
                .select_from(OutboxRow)
                .where(OutboxRow.status.in_(["pending", "in_flight"]))
            ),
            write=False,
        )
        or 0
    )
