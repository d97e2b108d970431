"""``phigate audit events``: the raw chain, recomputable outside phigate, streamed, filtered."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from bot.audit import GENESIS, AuditEvent, event_hash
from tests.conftest import CANARY
from tests.handlers.cli.conftest import Scenario


def rechain(rows: list[dict[str, str]]) -> str:
    """Recompute every hash from the exported fields alone; returns the head."""
    prev = GENESIS
    for row in rows:
        event = AuditEvent(
            at=datetime.fromisoformat(row["at"]),
            actor=row["actor"],
            kind=row["kind"],
            subject_type=row["subject_type"],
            subject_id=row["subject_id"],
            version=int(row["version"]) if row["version"] not in ("", None) else None,
            text_sha256=row["text_sha256"] or None,
            data=json.loads(row["data"]),
            seq=int(row["seq"]),
            prev_hash=row["prev_hash"],
        )
        assert event.prev_hash == prev, row["seq"]
        assert event_hash(event) == row["hash"], f"event {row['seq']} does not recompute"
        prev = row["hash"]
    return prev


def test_csv_events_recompute_to_the_stored_head(scenario: Scenario, phigate, tmp_path: Path) -> None:
    with scenario.db.transaction(write=False) as tx:
        stored = list(tx.audit.events())
    out = tmp_path / "events.csv"
    code, _, err = phigate("audit", "events", "--format", "csv", "--output", str(out))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [int(row["seq"]) for row in rows] == [event.seq for event in stored]
    assert rechain(rows) == stored[-1].hash
    assert CANARY not in out.read_text()  # events hold hashes and decisions, never draft text
    assert f"{len(stored)} events written to {out}" in err
    with scenario.db.transaction(write=False) as tx:
        last = list(tx.audit.events(after_seq=len(stored)))
    assert [event.kind for event in last] == ["exported"] and last[0].data["format"] == "events-csv"


def test_jsonl_to_stdout_with_a_window(scenario: Scenario, phigate) -> None:
    since, until = scenario.day(1).isoformat(), scenario.day(3).isoformat()
    code, out, _ = phigate("audit", "events", "--format", "jsonl", "--since", since, "--until", until)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(since <= row["at"] < until for row in rows)
    assert [row["seq"] for row in rows] == sorted(row["seq"] for row in rows)
    assert {row["subject_id"] for row in rows} >= {scenario.ids["rejected"], scenario.ids["edited"]}
    assert scenario.ids["approved"] not in {row["subject_id"] for row in rows}


def test_an_empty_window_and_a_reversed_one(scenario: Scenario, phigate) -> None:
    code, out, _ = phigate("audit", "events", "--format", "csv", "--until", "2001-01-01")
    assert code == 0 and out.splitlines() == [
        "seq,at,actor,kind,subject_type,subject_id,version,text_sha256,data,prev_hash,hash"
    ]
    code, _, err = phigate(
        "audit", "events", "--format", "csv", "--since", "2030-01-01", "--until", "2020-01-01"
    )
    assert code == 2 and "--since must be before --until" in err
