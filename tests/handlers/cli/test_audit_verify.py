"""``phigate audit verify`` and ``phigate audit checkpoint`` against a tampered audit trail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import insert, select, text

from bot.audit import AuditEvent, Checkpoint
from storage.db import Database
from storage.orm import AuditEventRow
from tests.handlers.cli.conftest import Scenario, tampering

ROOT = Path(__file__).resolve().parents[3]


def _head(db: Database) -> tuple[int, str]:
    with db.transaction(write=False) as tx:
        return tx.audit.head()


def _checkpoint_file(phigate, tmp_path: Path) -> Path:
    status, out, _ = phigate("audit", "checkpoint")
    assert status == 0
    path = tmp_path / "chain.checkpoint"
    path.write_text(out, encoding="utf-8")
    return path


def test_verify_ok_reports_count_and_head(scenario: Scenario, phigate) -> None:
    count, head = _head(scenario.db)
    assert count > 10
    status, out, err = phigate("audit", "verify")
    assert (status, err) == (0, "")
    assert out == f"OK: {count} events, head {head}\n"


def test_checkpoint_prints_count_and_head_and_verifies_later_growth(
    scenario: Scenario, phigate, tmp_path: Path
) -> None:
    count, head = _head(scenario.db)
    path = _checkpoint_file(phigate, tmp_path)
    assert path.read_text() == Checkpoint(count, head).to_text()
    # The chain grows (this export appends an event): the old checkpoint is still a valid prefix.
    assert phigate("audit", "export", "--format", "jsonl", "--output", str(tmp_path / "x.jsonl"))[0] == 0
    status, out, _ = phigate("audit", "verify", "--checkpoint", str(path))
    assert status == 0
    assert out.startswith(f"OK: {count + 1} events")
    assert f"matches the checkpoint at event {count}" in out


def test_changed_event_is_reported(scenario: Scenario, phigate) -> None:
    with tampering(scenario.db) as connection:
        connection.execute(text("UPDATE audit_events SET actor = 'sandbox:legal2' WHERE seq = 3"))
    status, out, _ = phigate("audit", "verify")
    assert status == 1
    assert out.startswith("BROKEN at event 3: its content does not match its hash")


def test_inserted_event_is_reported(scenario: Scenario, phigate) -> None:
    with tampering(scenario.db) as connection:
        prev = connection.execute(select(AuditEventRow.hash).where(AuditEventRow.seq == 2)).scalar_one()
        connection.execute(text("UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 3"))
        connection.execute(text("UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1003"))
        # A careful forger: the inserted event itself chains correctly to event 2.
        forged = AuditEvent(
            at=scenario.day(0, 1), actor="sandbox:legal2", kind="decided", subject_id="D-FORGED"
        ).chained(3, prev)
        connection.execute(
            insert(AuditEventRow).values(
                seq=forged.seq,
                at=forged.at,
                actor=forged.actor,
                kind=forged.kind,
                subject_type=forged.subject_type,
                subject_id=forged.subject_id,
                version=forged.version,
                text_sha256=forged.text_sha256,
                data=forged.data,
                prev_hash=forged.prev_hash,
                hash=forged.hash,
            )
        )
    status, out, _ = phigate("audit", "verify")
    assert status == 1
    assert out.startswith("BROKEN at event 4: does not chain to the previous event")


def test_reordered_events_are_reported(scenario: Scenario, phigate) -> None:
    with tampering(scenario.db) as connection:
        connection.execute(text("UPDATE audit_events SET seq = -1 WHERE seq = 5"))
        connection.execute(text("UPDATE audit_events SET seq = 5 WHERE seq = 6"))
        connection.execute(text("UPDATE audit_events SET seq = 6 WHERE seq = -1"))
    status, out, _ = phigate("audit", "verify")
    assert status == 1
    assert out.startswith("BROKEN at event 5: does not chain to the previous event")


def test_event_deleted_from_the_middle_is_reported(scenario: Scenario, phigate) -> None:
    with tampering(scenario.db) as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq = 7"))
    status, out, _ = phigate("audit", "verify")
    assert status == 1
    assert out.startswith("BROKEN at event 8: expected event 7: missing or reordered event")
    # A checkpoint is never taken of a broken chain.
    status, out, _ = phigate("audit", "checkpoint")
    assert status == 1
    assert out.startswith("BROKEN at event 8")


def test_events_cut_from_the_end_need_the_checkpoint(scenario: Scenario, phigate, tmp_path: Path) -> None:
    count, _ = _head(scenario.db)
    path = _checkpoint_file(phigate, tmp_path)
    with tampering(scenario.db) as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq > :keep"), {"keep": count - 2})
    # Without the checkpoint a shortened chain is still a valid chain: that is what checkpoints are for.
    status, out, _ = phigate("audit", "verify")
    assert status == 0
    assert out.startswith(f"OK: {count - 2} events")
    status, out, _ = phigate("audit", "verify", "--checkpoint", str(path))
    assert status == 1
    assert out.startswith(f"BROKEN at event {count - 1}: the checkpoint has {count} events")


def test_checkpoint_with_another_head_is_reported(scenario: Scenario, phigate, tmp_path: Path) -> None:
    count, _ = _head(scenario.db)
    path = tmp_path / "other.checkpoint"
    path.write_text(Checkpoint(count, "f" * 64).to_text())
    status, out, _ = phigate("audit", "verify", "--checkpoint", str(path))
    assert status == 1
    assert out.startswith(f"BROKEN at event {count}: differs from the checkpoint's head")


def test_unreadable_checkpoint_is_a_usage_error(database_url: str, phigate, tmp_path: Path) -> None:
    bad = tmp_path / "bad.checkpoint"
    bad.write_text("not a checkpoint")
    status, _, err = phigate("audit", "verify", "--checkpoint", str(bad))
    assert status == 2
    assert "a checkpoint is one line" in err
    status, _, err = phigate("audit", "verify", "--checkpoint", str(tmp_path / "missing"))
    assert status == 2
    assert "cannot read" in err


def test_verify_in_a_real_process(scenario: Scenario, database_url: str) -> None:
    count, head = _head(scenario.db)
    env = {**os.environ, "PHIGATE_DATABASE_URL": database_url}
    env.pop("PHIGATE_CONFIG", None)
    phigate_bin = Path(sys.executable).with_name("phigate")
    done = subprocess.run(
        [str(phigate_bin), "audit", "verify"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (0, f"OK: {count} events, head {head}\n")
    with tampering(scenario.db) as connection:
        connection.execute(text("UPDATE audit_events SET data = '{}' WHERE seq = 2"))
    done = subprocess.run(
        [str(phigate_bin), "audit", "verify"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert done.stdout.startswith("BROKEN at event 2: its content does not match its hash")
