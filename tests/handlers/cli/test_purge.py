"""``phigate purge``: only never-approved bodies go; the audit chain and the export keep working."""

from __future__ import annotations

import json
from pathlib import Path

from bot.audit import Kind
from tests.conftest import CANARY
from tests.handlers.cli.conftest import APPROVED_TEXT, EDITED_TEXT, Scenario, stored_bodies


def _last_event(s: Scenario):
    with s.db.transaction(write=False) as tx:
        return list(tx.audit.events())[-1]


def test_purge_removes_only_never_approved_bodies(scenario: Scenario, phigate, tmp_path: Path) -> None:
    ids = scenario.ids
    everything = stored_bodies(scenario.db)
    assert len(everything) == 6
    kept = {(ids["approved"], 1), (ids["edited"], 2), (ids["pending"], 1)}

    status, out, _ = phigate("purge", "--older-than", "30d", "--dry-run")
    assert status == 0 and out.startswith("3 draft bodies would be removed")
    assert stored_bodies(scenario.db) == everything

    status, out, _ = phigate("purge", "--older-than", "30d")
    assert status == 0 and out.startswith("3 draft bodies removed")
    # Rejected, superseded (edited v1) and blocked bodies are gone; approved and still-pending text stays.
    assert stored_bodies(scenario.db) == kept
    event = _last_event(scenario)
    assert event.kind == Kind.PURGED and event.actor.startswith("cli:")
    assert event.data["count"] == 3 and event.data["window"] == "30d"

    status, out, _ = phigate("audit", "verify")
    assert status == 0 and out.startswith("OK: ")

    # The export still lists every version with its hash, and the approved text.
    status, out, _ = phigate("audit", "export", "--format", "jsonl", "--include-text")
    rows = [json.loads(line) for line in out.splitlines()[:-1]]
    assert len(rows) == 6 and all(len(row["text_sha256"]) == 64 for row in rows)
    assert [row["text"] for row in rows] == [APPROVED_TEXT, None, None, EDITED_TEXT, None, None]
    assert CANARY not in out

    status, out, _ = phigate("purge", "--older-than", "30d")
    assert status == 0 and out.startswith("0 draft bodies removed")


def test_purge_keeps_bodies_inside_the_window(scenario: Scenario, phigate) -> None:
    everything = stored_bodies(scenario.db)
    for window in ("90d", "1500h", "12w"):
        status, out, _ = phigate("purge", "--older-than", window)
        assert status == 0 and out.startswith("0 draft bodies removed")
    assert stored_bodies(scenario.db) == everything
    assert _last_event(scenario).data["window"] == "12w"
    # 12 hours: everything from the scenario (60 days ago) that was never approved goes.
    status, out, _ = phigate("purge", "--older-than", "12h")
    assert status == 0 and out.startswith("3 draft bodies removed")


def test_purge_rejects_a_bad_window(database_url: str, phigate) -> None:
    for bad in ("90", "0d", "-3d", "3 months", "1.5d"):
        status, _, err = phigate("purge", f"--older-than={bad}")
        assert status == 2 and "give a positive window" in err
