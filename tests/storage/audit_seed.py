"""Seed many valid audit events fast (COPY on PostgreSQL, executemany on SQLite) for export benchmarks.

The events look like a busy hospital's trail (submissions, scans, decisions, reminders, exports) and
form a valid hash chain computed the way ``bot.audit`` does, so ``phigate audit verify`` passes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bot.audit import GENESIS, AuditEvent
from storage.db import Database
from storage.export import EVENT_COLUMNS

COLUMNS = EVENT_COLUMNS
_KINDS = (
    ("submitted", {"verdict": "clear", "status": "pending", "network": "facebook"}),
    ("scanned", {"verdict": "review", "score": 0.55, "categories": ["PATIENT_RELATIONSHIP"]}),
    ("decided", {"decision": "approve", "group": "legal", "final": False}),
    ("decided", {"decision": "approve", "group": "comms", "final": True, "status": "approved"}),
    ("reminded", {"groups": ["comms"], "hours_left": 2.0}),
)


def events(count: int, start: datetime | None = None) -> Iterator[AuditEvent]:
    """``count`` chained events, one second apart."""
    chooser = random.Random(7)
    at = start or datetime(2020, 1, 1, tzinfo=UTC)
    prev = GENESIS
    for seq in range(1, count + 1):
        kind, data = _KINDS[seq % len(_KINDS)]
        draft = f"D-{seq // len(_KINDS):08d}"
        event = AuditEvent(
            at=at + timedelta(seconds=seq),
            actor=f"slack:U{chooser.randrange(10_000):05d}",
            kind=kind,
            subject_type="draft",
            subject_id=draft,
            version=1,
            text_sha256=f"{seq:064x}",
            data=data,
        ).chained(seq, prev)
        prev = event.hash
        yield event


def _row(event: AuditEvent) -> tuple[Any, ...]:
    return (
        event.seq,
        event.at,
        event.actor,
        event.kind,
        event.subject_type,
        event.subject_id,
        event.version,
        event.text_sha256,
        json.dumps(event.data),
        event.prev_hash,
        event.hash,
    )


def seed(db: Database, count: int) -> str:
    """Insert ``count`` events into an empty ``audit_events`` table; returns the head hash."""
    head = GENESIS
    if db.dialect == "postgresql":
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY audit_events ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for event in events(count):
                    copy.write_row(_row(event))
                    head = event.hash
            raw.commit()
        finally:
            raw.close()
        return head
    insert = text(
        f"INSERT INTO audit_events ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
    )
    batch: list[dict[str, Any]] = []
    with db.engine.begin() as connection:
        for event in events(count):
            batch.append(dict(zip(COLUMNS, _row(event), strict=True)))
            head = event.hash
            if len(batch) == 10_000:
                connection.execute(insert, batch)
                batch = []
        if batch:
            connection.execute(insert, batch)
    return head
