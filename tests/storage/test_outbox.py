"""Outbox claiming and settling: leases, retries with backoff, giving up, and concurrent claimers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage import outbox
from storage.db import Database
from storage.orm import OutboxRow


def enqueue(db: Database, count: int = 1, surface: str = "sandbox", kind: str = "cards.post") -> None:
    def work(tx) -> None:
        for index in range(count):
            tx.outbox.enqueue(surface, kind, {"draft_id": f"D-{index:08d}", "revision": 1})

    db.run(work)


def row(db: Database, message_id: int) -> OutboxRow:
    return db.run(lambda tx: tx.session.get(OutboxRow, message_id), write=False)


def statuses(db: Database) -> list[str]:
    return db.run(
        lambda tx: list(tx.session.scalars(select(OutboxRow.status).order_by(OutboxRow.id)).all()),
        write=False,
    )


def soon() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=1)


def test_claim_leases_due_messages_of_the_given_surfaces(database: Database) -> None:
    enqueue(database, 2)
    enqueue(database, 1, surface="slack", kind="author.notify")
    now = soon()
    claimed = outbox.claim(database, ["sandbox"], now=now)
    assert [(m.surface, m.kind, m.attempts) for m in claimed] == [("sandbox", "cards.post", 1)] * 2
    assert [m.payload for m in claimed] == [
        {"draft_id": "D-00000000", "revision": 1},
        {"draft_id": "D-00000001", "revision": 1},
    ]
    assert claimed[0].id < claimed[1].id
    stored = row(database, claimed[0].id)
    assert (stored.status, stored.attempts) == ("in_flight", 1)
    assert stored.available_at == now + outbox.LEASE
    assert outbox.claim(database, ["sandbox"], now=now) == []  # leased, not due
    slack = outbox.claim(database, ["slack", "teams"], now=now)
    assert [(m.surface, m.kind) for m in slack] == [("slack", "author.notify")]
    assert outbox.pending_count(database) == 3  # in flight is not delivered yet


def test_claim_respects_limit_and_order(database: Database) -> None:
    enqueue(database, 5)
    now = soon()
    batches = [outbox.claim(database, ["sandbox"], limit=2, now=now) for _ in range(4)]
    assert [len(batch) for batch in batches] == [2, 2, 1, 0]
    ids = [m.id for batch in batches for m in batch]
    assert ids == sorted(ids) and len(set(ids)) == 5


def test_messages_are_not_due_before_they_are_available(database: Database) -> None:
    enqueue(database, 1)
    assert outbox.claim(database, ["sandbox"], now=datetime.now(UTC) - timedelta(minutes=1)) == []
    assert len(outbox.claim(database, ["sandbox"])) == 1


def test_delivered_messages_are_never_claimed_again(database: Database) -> None:
    enqueue(database, 2)
    first, second = outbox.claim(database, ["sandbox"], now=soon())
    outbox.settle_delivered(database, first.id)
    stored = row(database, first.id)
    assert stored.status == "delivered" and stored.delivered_at is not None and stored.last_error is None
    assert outbox.pending_count(database) == 1
    later = soon() + outbox.LEASE + timedelta(hours=1)
    again = outbox.claim(database, ["sandbox"], now=later)
    assert [m.id for m in again] == [second.id]  # only the unsettled one, its lease over


def test_lease_expiry_makes_a_message_due_again(database: Database) -> None:
    enqueue(database, 1)
    now = soon()
    (first,) = outbox.claim(database, ["sandbox"], now=now)
    assert outbox.claim(database, ["sandbox"], now=now + outbox.LEASE - timedelta(seconds=1)) == []
    (again,) = outbox.claim(database, ["sandbox"], now=now + outbox.LEASE)
    assert again.id == first.id and again.attempts == 2


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 2), (2, 4), (3, 8), (6, 64), (9, 512), (10, 600), (30, 600)]
)
def test_backoff_doubles_up_to_ten_minutes(attempts: int, seconds: int) -> None:
    assert outbox.backoff(attempts) == timedelta(seconds=seconds)


def test_failed_delivery_is_retried_with_backoff_then_given_up(database: Database) -> None:
    enqueue(database, 1)
    max_attempts = 3
    (message,) = outbox.claim(database, ["sandbox"], now=soon())
    for attempt in range(1, max_attempts + 1):
        assert message.attempts == attempt
        before = datetime.now(UTC)
        status = outbox.settle_failed(database, message, f"HTTP 503 on try {attempt}", max_attempts)
        after = datetime.now(UTC)
        stored = row(database, message.id)
        assert stored.last_error == f"HTTP 503 on try {attempt}"
        if attempt < max_attempts:
            assert status == stored.status == "pending"
            wait = outbox.backoff(attempt)
            assert before + wait <= stored.available_at <= after + wait
            assert outbox.claim(database, ["sandbox"], now=stored.available_at - timedelta(seconds=1)) == []
            (message,) = outbox.claim(database, ["sandbox"], now=stored.available_at)
        else:
            assert status == stored.status == "failed"
    far = datetime.now(UTC) + timedelta(days=1)
    assert outbox.claim(database, ["sandbox"], now=far) == []
    assert outbox.pending_count(database) == 0
    assert row(database, message.id).attempts == max_attempts


def test_long_errors_are_cut_to_500_characters(database: Database) -> None:
    enqueue(database, 1)
    (message,) = outbox.claim(database, ["sandbox"], now=soon())
    outbox.settle_failed(database, message, "x" * 2000, max_attempts=8)
    assert row(database, message.id).last_error == "x" * 500


def test_a_stale_worker_cannot_undo_a_later_delivery(database: Database) -> None:
    enqueue(database, 1)
    now = soon()
    (stale,) = outbox.claim(database, ["sandbox"], now=now)
    (fresh,) = outbox.claim(database, ["sandbox"], now=now + outbox.LEASE)  # the first worker's lease ran out
    outbox.settle_delivered(database, fresh.id)
    outbox.settle_failed(database, stale, "timed out", max_attempts=8)  # the first worker finally gives up
    assert statuses(database) == ["delivered"]
    assert outbox.claim(database, ["sandbox"], now=now + timedelta(days=1)) == []


def test_concurrent_claimers_never_get_the_same_message(database: Database) -> None:
    total = 240
    enqueue(database, total)
    workers = 8 if database.dialect == "postgresql" else 4
    barrier = threading.Barrier(workers)
    claimed: list[list[int]] = [[] for _ in range(workers)]
    errors: list[BaseException] = []
    now = soon()

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            while batch := outbox.claim(database, ["sandbox"], limit=7, now=now):
                claimed[index].extend(message.id for message in batch)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    every = [message_id for ids in claimed for message_id in ids]
    assert len(every) == total == len(set(every))  # each message exactly once
    assert statuses(database) == ["in_flight"] * total
    if database.dialect == "postgresql":
        assert sum(1 for ids in claimed if ids) > 1  # the work really was shared


def test_a_stale_failure_reports_the_current_status(database: Database) -> None:
    enqueue(database, 1)
    now = soon()
    (stale,) = outbox.claim(database, ["sandbox"], now=now)
    (fresh,) = outbox.claim(database, ["sandbox"], now=now + outbox.LEASE)
    assert outbox.settle_failed(database, stale, "timed out", max_attempts=1) == "in_flight"
    assert outbox.settle_failed(database, fresh, "HTTP 500", max_attempts=8) == "pending"
    assert row(database, fresh.id).last_error == "HTTP 500"
