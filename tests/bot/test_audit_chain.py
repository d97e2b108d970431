"""The hash-chained audit trail as pure data: chaining, and verify against every kind of tampering."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from bot.audit import GENESIS, AuditEvent, Checkpoint, Kind, event_hash, verify

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def chain(count: int = 6) -> list[AuditEvent]:
    """``count`` events chained as the audit log appends them."""
    kinds = [Kind.SUBMITTED, Kind.SCANNED, Kind.DECIDED, Kind.DECIDED, Kind.POSTED, Kind.EXPORTED]
    events: list[AuditEvent] = []
    prev = GENESIS
    for index in range(count):
        event = AuditEvent(
            at=START + timedelta(minutes=index),
            actor=f"slack:U{index}",
            kind=kinds[index % len(kinds)],
            subject_id="D-ABCDEFGH",
            version=1,
            text_sha256="a" * 64,
            data={"status": "pending", "index": index, "categories": ["NAME"], "score": 0.97},
        ).chained(index + 1, prev)
        events.append(event)
        prev = event.hash
    return events


def rechain(events: list[AuditEvent]) -> list[AuditEvent]:
    """What a forger with database access would do: renumber and rehash everything."""
    out: list[AuditEvent] = []
    prev = GENESIS
    for seq, event in enumerate(events, start=1):
        placed = event.chained(seq, prev)
        out.append(placed)
        prev = placed.hash
    return out


def test_an_untouched_chain_verifies() -> None:
    events = chain()
    result = verify(events)
    assert result.ok and result.count == 6 and result.head == events[-1].hash
    assert result.broken_seq is None and result.problem == ""
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))
    assert len({e.hash for e in events}) == 6


def test_an_empty_chain_verifies() -> None:
    result = verify([])
    assert result.ok and result.count == 0 and result.head == GENESIS


def test_hash_is_canonical_and_covers_every_field() -> None:
    event = chain(1)[0]
    assert event_hash(event) == event.hash
    reordered = replace(event, data=dict(reversed(list(event.data.items()))))
    assert event_hash(reordered) == event.hash  # key order does not matter
    same_instant = replace(event, at=event.at.astimezone(timezone(timedelta(hours=-5))))
    assert event_hash(same_instant) == event.hash  # the instant, not its time zone
    naive_utc = replace(event, at=event.at.replace(tzinfo=None))
    assert event_hash(naive_utc) == event.hash  # a naive timestamp read back from SQLite is UTC
    changes = {
        "at": event.at + timedelta(microseconds=1),
        "actor": "slack:Uother",
        "kind": Kind.WITHDRAWN,
        "subject_type": "audit",
        "subject_id": "D-OTHER000",
        "version": 2,
        "text_sha256": "b" * 64,
        "data": {**event.data, "status": "approved"},
        "seq": 2,
        "prev_hash": "f" * 64,
    }
    for name, value in changes.items():
        assert event_hash(replace(event, **{name: value})) != event.hash, name


@pytest.mark.parametrize(
    "change",
    [
        {"actor": "slack:Uforger"},
        {"kind": Kind.WITHDRAWN},
        {"data": {"status": "approved", "index": 2, "categories": ["NAME"], "score": 0.97}},
        {"text_sha256": "b" * 64},
        {"at": START - timedelta(days=1)},
        {"version": 9},
    ],
)
def test_a_changed_event_is_detected(change: dict) -> None:
    events = chain()
    events[2] = replace(events[2], **change)
    result = verify(events)
    assert not result.ok
    assert result.broken_seq == 3
    assert result.count == 2 and result.head == events[1].hash  # the good prefix
    assert "does not match its hash" in result.problem


def test_a_changed_event_with_its_hash_recomputed_breaks_the_next_link() -> None:
    events = chain()
    forged = replace(events[2], actor="slack:Uforger")
    events[2] = replace(forged, hash=event_hash(forged))
    result = verify(events)
    assert not result.ok and result.broken_seq == 4
    assert "does not chain" in result.problem


def test_an_inserted_event_is_detected() -> None:
    events = chain()
    intruder = AuditEvent(at=START, actor="slack:Uforger", kind=Kind.DECIDED, subject_id="D-ABCDEFGH")
    # Appended properly after event 3 but spliced in before event 4: seq 4 appears twice.
    events.insert(3, intruder.chained(4, events[2].hash))
    result = verify(events)
    assert not result.ok and result.broken_seq == 4
    assert result.count == 4  # the intruder itself fits; the original event 4 after it does not
    assert "duplicated" in result.problem
    # Renumbering the rest without rehashing does not help.
    renumbered = events[:4] + [replace(e, seq=e.seq + 1) for e in events[4:]]
    result = verify(renumbered)
    assert not result.ok and result.broken_seq == 5


def test_a_deleted_event_is_detected() -> None:
    events = chain()
    del events[2]
    result = verify(events)
    assert not result.ok and result.broken_seq == 4
    assert "missing" in result.problem
    first_gone = chain()[1:]
    assert verify(first_gone).broken_seq == 2


def test_a_deleted_event_with_renumbering_is_detected() -> None:
    events = chain()
    del events[2]
    renumbered = [replace(e, seq=n) for n, e in enumerate(events, start=1)]
    result = verify(renumbered)
    assert not result.ok and result.broken_seq == 3


def test_reordered_events_are_detected() -> None:
    events = chain()
    events[2], events[3] = events[3], events[2]
    result = verify(events)
    assert not result.ok and result.broken_seq == 4
    assert "reordered" in result.problem
    # Swapping their positions (seq) too leaves the links broken.
    swapped = chain()
    swapped[2], swapped[3] = replace(swapped[3], seq=3), replace(swapped[2], seq=4)
    result = verify(swapped)
    assert not result.ok and result.broken_seq == 3


def test_a_duplicated_event_is_detected() -> None:
    events = chain()
    events.insert(3, events[2])
    result = verify(events)
    assert not result.ok and result.broken_seq == 3
    assert "duplicated" in result.problem


def test_events_cut_from_the_end_need_a_checkpoint() -> None:
    events = chain()
    checkpoint = Checkpoint(len(events), events[-1].hash)
    assert verify(events, checkpoint).ok
    cut = events[:4]
    assert verify(cut).ok  # the chain alone cannot tell
    result = verify(cut, checkpoint)
    assert not result.ok
    assert result.count == 4 and result.broken_seq == 5
    assert "cut from the end" in result.problem
    assert not verify([], checkpoint).ok


def test_a_checkpoint_accepts_a_chain_that_grew_since() -> None:
    events = chain(6)
    checkpoint = Checkpoint(4, events[3].hash)
    result = verify(events, checkpoint)
    assert result.ok and result.count == 6
    assert verify([], Checkpoint(0, GENESIS)).ok


def test_a_checkpoint_detects_a_fully_rewritten_chain() -> None:
    events = chain()
    checkpoint = Checkpoint(len(events), events[-1].hash)
    rewritten = rechain([replace(e, actor="slack:Uforger") if e.seq == 2 else e for e in events])
    assert verify(rewritten).ok  # internally consistent
    result = verify(rewritten, checkpoint)
    assert not result.ok and result.broken_seq == 6
    assert "checkpoint" in result.problem
    # Rewriting the last event (no successor to break) is caught the same way.
    last = replace(events[-1], actor="slack:Uforger")
    tampered = [*events[:-1], replace(last, hash=event_hash(last))]
    assert verify(tampered).ok
    assert not verify(tampered, checkpoint).ok


def test_a_checkpoint_detects_a_cut_and_regrown_chain() -> None:
    events = chain(6)
    checkpoint = Checkpoint(4, events[3].hash)
    regrown = rechain([*events[:2], *events[4:], *events[2:4]])  # same count, other history
    result = verify(regrown, checkpoint)
    assert not result.ok and result.broken_seq == 4


def test_checkpoint_text_round_trip() -> None:
    events = chain()
    checkpoint = Checkpoint(6, events[-1].hash)
    assert checkpoint.to_text() == f"6 {events[-1].hash}\n"
    assert Checkpoint.parse(checkpoint.to_text()) == checkpoint
    assert Checkpoint.parse(f"  6   {events[-1].hash.upper()}  ") == checkpoint


@pytest.mark.parametrize("text", ["", "6", f"x {'a' * 64}", f"6 {'a' * 63}", f"-1 {'a' * 64}", "6 a b"])
def test_checkpoint_parse_refuses_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="checkpoint"):
        Checkpoint.parse(text)
