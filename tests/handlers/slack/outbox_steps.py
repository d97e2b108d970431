"""Reading and nudging the outbox from a test: message rows, retries brought forward, /metrics samples.

The outbox's backoff runs on the wall clock (``storage/outbox.py``: 2, 4, 8 … seconds), so instead of
waiting, a test checks when a retry was scheduled and then marks it due at once with ``make_due``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from storage.orm import OutboxRow
from tests.handlers.live_server import LiveServer
from tests.handlers.slack.flows import eventually


@dataclass(frozen=True)
class Row:
    """An outbox message as the test reads it."""

    status: str
    attempts: int
    available_at: datetime
    last_error: str | None

    def retry_in(self) -> timedelta:
        """How far in the future the next attempt is."""
        when = self.available_at if self.available_at.tzinfo else self.available_at.replace(tzinfo=UTC)
        return when - datetime.now(UTC)


def outbox_rows(server: LiveServer, kind: str) -> list[Row]:
    """The outbox messages of one kind, oldest first."""
    query = select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id)
    return server.db.run(
        lambda tx: [
            Row(r.status, r.attempts, r.available_at, r.last_error) for r in tx.session.scalars(query)
        ],
        write=False,
    )


def make_due(server: LiveServer) -> None:
    """Bring every scheduled retry forward to now (as if its backoff had passed)."""
    now = datetime.now(UTC)
    server.db.run(
        lambda tx: tx.session.execute(
            update(OutboxRow).where(OutboxRow.status == "pending").values(available_at=now)
        )
    )


def failed_attempt(server: LiveServer, kind: str, attempts: int) -> Row:
    """The single ``kind`` message once its ``attempts``-th delivery failed and was settled."""

    def settled() -> Row | None:
        (row,) = outbox_rows(server, kind)
        return row if row.attempts == attempts and row.status in ("pending", "failed") else None

    return eventually(settled, timeout=10)


def metric(server: LiveServer, name: str, **labels: str) -> float:
    """One sample of ``GET /metrics`` (0 when absent)."""
    wanted = name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"
    for line in server.request("GET", "/metrics").body.decode().splitlines():
        sample, _, value = line.rpartition(" ")
        if sample == wanted:
            return float(value)
    return 0.0
