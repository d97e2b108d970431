"""The audit trail: hash-chained events, their verification, and the export row of a draft version.

Each event's hash covers its own fields and the previous event's hash, so changing, inserting,
reordering or deleting an event breaks the chain from that point on; cutting events from the end is
caught by comparing with a checkpoint (count and head hash) kept outside the database.
Events hold ids, hashes, verdicts, categories and reason codes, never draft text or free-text comments.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


class Kind:
    """Event kinds (strings, so later issues can add their own, e.g. incidents)."""

    SUBMITTED = "submitted"
    SCANNED = "scanned"
    DECIDED = "decided"
    EDITED = "edited"
    RESUBMITTED = "resubmitted"
    OVERRIDE_REQUESTED = "override_requested"
    OVERRIDDEN = "overridden"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    REMINDED = "reminded"
    POSTED = "posted"
    EXPORTED = "exported"
    PURGED = "purged"
    KEYS_ROTATED = "keys_rotated"
    REPLIES_CHANGED = "replies_changed"
    CONFIG_LOADED = "config_loaded"


@dataclass(frozen=True)
class AuditEvent:
    """One audit event. ``seq``, ``prev_hash`` and ``hash`` are set when it is appended."""

    at: datetime
    actor: str
    kind: str
    subject_type: str = "draft"
    subject_id: str = ""
    version: int | None = None
    text_sha256: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    prev_hash: str = GENESIS
    hash: str = ""

    def chained(self, seq: int, prev_hash: str) -> AuditEvent:
        """The event placed after ``prev_hash`` at position ``seq``, with its hash computed."""
        placed = replace(self, seq=seq, prev_hash=prev_hash, hash="")
        return replace(placed, hash=event_hash(placed))


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the canonical JSON of the event's fields and its predecessor's hash."""
    canonical = json.dumps(
        {
            "seq": event.seq,
            "prev": event.prev_hash,
            "at": _timestamp(event.at),
            "actor": event.actor,
            "kind": event.kind,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "version": event.version,
            "text_sha256": event.text_sha256,
            "data": event.data,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """What an operator keeps outside the database: the event count and the head hash."""

    count: int
    head: str

    def to_text(self) -> str:
        """One line: ``<count> <head>``."""
        return f"{self.count} {self.head}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read ``<count> <head>`` (as written by ``to_text`` / ``phigate audit checkpoint``).

        Raises:
            ValueError: the text is not a checkpoint.
        """
        parts = text.split()
        if len(parts) != 2 or not parts[0].isdigit() or len(parts[1]) != 64:
            raise ValueError("a checkpoint is one line: <event count> <64-hex head hash>")
        return cls(int(parts[0]), parts[1].lower())


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of recomputing the chain."""

    ok: bool
    count: int
    head: str
    broken_seq: int | None = None
    problem: str = ""


def verify(events: Iterable[AuditEvent], checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Recompute the chain; report the first event that does not fit.

    Args:
        events: the stored events in ``seq`` order.
        checkpoint: if given, the stored chain must contain that many events with that head at that
            position (this catches events cut from the end).
    """
    prev = GENESIS
    count = 0
    checkpoint_seen = checkpoint is None or checkpoint.count == 0
    for event in events:
        expected_seq = count + 1
        if event.seq != expected_seq:
            what = "missing or reordered" if event.seq > expected_seq else "duplicated or reordered"
            return VerifyResult(False, count, prev, event.seq, f"expected event {expected_seq}: {what} event")
        if event.prev_hash != prev:
            return VerifyResult(False, count, prev, event.seq, "does not chain to the previous event")
        if event_hash(event) != event.hash:
            return VerifyResult(False, count, prev, event.seq, "its content does not match its hash")
        prev = event.hash
        count += 1
        if checkpoint is not None and count == checkpoint.count:
            if event.hash != checkpoint.head:
                return VerifyResult(False, count, prev, event.seq, "differs from the checkpoint's head")
            checkpoint_seen = True
    if not checkpoint_seen and checkpoint is not None:
        return VerifyResult(
            False,
            count,
            prev,
            count + 1,
            f"the checkpoint has {checkpoint.count} events, the database only {count}: events were cut from the end",
        )
    return VerifyResult(True, count, prev)
