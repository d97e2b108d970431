"""The outbox worker and the scheduler inside a running server."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.clock import ManualClock
from bot.config import Settings
from handlers.worker import tick
from storage.orm import OutboxRow
from tests.handlers.live_server import LiveServer


@pytest.fixture
def server(database):
    """A server without its background worker: these tests drive delivery themselves."""
    settings = Settings.load(env={})
    running = LiveServer(settings, database, ManualClock(), background=False).start()
    yield running
    running.stop()


class FlakyNotifier:
    """Fails the first ``failures`` deliveries, then passes them to the real notifier."""

    def __init__(self, real, failures: int) -> None:
        self.surface = real.surface
        self.real = real
        self.failures = failures
        self.calls: list[str] = []

    async def deliver(self, kind, payload):
        self.calls.append(kind)
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("chat platform unavailable")
        await self.real.deliver(kind, payload)


def _outbox(server):
    def read(tx):
        query = select(OutboxRow).order_by(OutboxRow.id)
        return [(row.kind, row.status, row.attempts, row.last_error) for row in tx.session.scalars(query)]

    return server.db.run(read, write=False)


def _make_due(server):
    server.db.run(lambda tx: tx.session.execute(update(OutboxRow).values(available_at=OutboxRow.created_at)))


def test_failed_delivery_is_retried_with_backoff_then_delivered(server) -> None:
    flaky = FlakyNotifier(server.ctx.notifiers["sandbox"], failures=2)
    server.ctx.notifiers["sandbox"] = flaky
    reply = server.request(
        "POST", "/api/drafts", {"text": "Thank you for the kind words about our nurses!"}, user="social1"
    )
    assert reply.status == 201
    server.drain()
    (kind, status, attempts, error), *_ = _outbox(server)
    assert (kind, status, attempts) == ("cards.post", "pending", 1)
    assert error == "ConnectionError"  # the type only: an exception text may quote what was sent
    _make_due(server)
    server.drain()
    _make_due(server)
    server.drain()
    assert _outbox(server)[0][:3] == ("cards.post", "delivered", 3)
    channels = server.request("GET", "/sandbox/channels", user="legal1").data["channels"]
    assert [card["draft_id"] for card in channels["legal-review"]] == [reply.data["id"]]


def test_delivery_gives_up_after_max_attempts(server) -> None:
    max_attempts = server.settings.server.outbox_max_attempts
    server.ctx.notifiers["sandbox"] = FlakyNotifier(server.ctx.notifiers["sandbox"], failures=10**6)
    server.request("POST", "/api/drafts", {"text": "Our lobby opens at 7am on weekdays."}, user="social1")
    for _ in range(max_attempts):
        _make_due(server)
        server.drain()
    assert _outbox(server)[0][1:3] == ("failed", max_attempts)
    metrics = server.request("GET", "/metrics").body.decode()
    assert (
        f'phigate_outbox_failures_total{{kind="cards.post",surface="sandbox"}} {float(max_attempts)}'
        in metrics
    )


def test_scheduler_expires_overdue_drafts_and_reminds_before(server) -> None:
    draft = server.request(
        "POST", "/api/drafts", {"text": "Thanks for visiting our booth at the health fair!"}, user="social1"
    ).data
    server.clock.advance(hours=22, minutes=30)
    expired, reminded = server.call_soon(tick(server.ctx))
    assert (expired, reminded) == ([], [draft["id"]])
    server.clock.advance(hours=2)
    expired, reminded = server.call_soon(tick(server.ctx))
    assert (expired, reminded) == ([draft["id"]], [])
    after = server.request("GET", f"/api/drafts/{draft['id']}", user="legal1").data
    assert after["status"] == "expired"
    late = server.request(
        "POST", f"/api/drafts/{draft['id']}/decisions", {"decision": "approve", "version": 1}, user="legal1"
    )
    assert late.status == 409 and "expired" in late.data["error"]
