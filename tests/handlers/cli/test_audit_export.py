"""``phigate audit export``: rows, filtering, text, summary, sidecar, the `exported` event, no scanner."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.audit import Kind
from bot.models import text_hash
from handlers.export_format import Progress, iso
from tests.conftest import CANARY
from tests.handlers.cli.conftest import (
    APPROVED_TEXT,
    BLOCKED_TEXT,
    EDITED_AWAY_TEXT,
    EDITED_TEXT,
    PENDING_TEXT,
    REJECTED_TEXT,
    Scenario,
)

ROOT = Path(__file__).resolve().parents[3]
LEGAL = {"actor": "sandbox:legal1", "name": "Lee Chen (legal)", "group": "legal"}
COMMS = {"actor": "sandbox:comms1", "name": "Cam Duarte (comms)", "group": "comms"}
FINAL = {"id": "sandbox:comms1", "name": "Cam Duarte (comms)"}


def _expected(s: Scenario) -> list[dict[str, Any]]:
    """The export's rows for the scenario, in order (fields the scan decides are checked apart)."""

    def decision(who: dict[str, str], at: Any, kind: str = "approve", reason: str = "") -> dict[str, Any]:
        return {**who, "at": iso(at), "decision": kind, "reason": reason}

    ids = s.ids
    return [
        {
            "draft_id": ids["approved"],
            "version": 1,
            "created_at": iso(s.day(0)),
            "network": "facebook",
            "in_reply_to": "https://facebook.com/post/1",
            "status": "approved",
            "final_status": "approved",
            "final_approver": FINAL,
            "text_sha256": text_hash(APPROVED_TEXT),
            "decisions": [decision(LEGAL, s.day(0, 10)), decision(COMMS, s.day(0, 20))],
        },
        {
            "draft_id": ids["rejected"],
            "version": 1,
            "created_at": iso(s.day(1)),
            "network": "x",
            "in_reply_to": "",
            "status": "rejected",
            "final_status": "rejected",
            "final_approver": None,
            "text_sha256": text_hash(REJECTED_TEXT),
            "decisions": [decision(LEGAL, s.day(1, 10), "reject", "contains_phi")],
        },
        {
            "draft_id": ids["edited"],
            "version": 1,
            "created_at": iso(s.day(2)),
            "network": "instagram",
            "in_reply_to": "https://instagram.com/p/2",
            "status": "superseded",
            "final_status": "approved",
            "final_approver": None,
            "text_sha256": text_hash(EDITED_AWAY_TEXT),
            "decisions": [],
        },
        {
            "draft_id": ids["edited"],
            "version": 2,
            "created_at": iso(s.day(3)),
            "network": "instagram",
            "in_reply_to": "https://instagram.com/p/2",
            "status": "approved",
            "final_status": "approved",
            "final_approver": FINAL,
            "text_sha256": text_hash(EDITED_TEXT),
            "decisions": [decision(LEGAL, s.day(3)), decision(COMMS, s.day(3, 10))],
        },
        {
            "draft_id": ids["blocked"],
            "version": 1,
            "created_at": iso(s.day(4)),
            "network": "google-reviews",
            "in_reply_to": "",
            "status": "blocked",
            "final_status": "blocked",
            "final_approver": None,
            "text_sha256": text_hash(BLOCKED_TEXT),
            "decisions": [],
        },
        {
            "draft_id": ids["pending"],
            "version": 1,
            "created_at": iso(s.day(5)),
            "network": "linkedin",
            "in_reply_to": "",
            "status": "pending",
            "final_status": "pending",
            "final_approver": None,
            "text_sha256": text_hash(PENDING_TEXT),
            "decisions": [],
        },
    ]


def _jsonl(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert "summary" in lines[-1] and all("summary" not in line for line in lines[:-1])
    return lines[:-1], lines[-1]["summary"]


def _chain(s: Scenario) -> tuple[int, str, dict[str, Any], str]:
    """Count, head, and the last event's data and actor."""
    with s.db.transaction(write=False) as tx:
        events = list(tx.audit.events())
    last = events[-1]
    assert last.kind == Kind.EXPORTED
    return len(events), last.hash, last.data, last.actor


def test_jsonl_rows_summary_and_exported_event(scenario: Scenario, phigate, tmp_path: Path) -> None:
    output = tmp_path / "audit.jsonl"
    status, out, _ = phigate("audit", "export", "--format", "jsonl", "--output", str(output))
    assert (status, out) == (0, "")
    rows, summary = _jsonl(output)
    expected = _expected(scenario)
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert {key: row[key] for key in want} == want
        assert row["author"] == "sandbox:social1" and row["author_name"] == "Sam Rivera (social)"
        assert "text" not in row
    assert [row["verdict"] for row in rows] == ["clear", "clear", "clear", "clear", "block", "clear"]
    assert {"PATIENT_RELATIONSHIP", "CLINICAL_DETAIL"} <= set(rows[4]["categories"])
    assert rows[4]["score"] >= 0.7 and rows[0]["score"] == 0.0

    count, head, data, actor = _chain(scenario)
    assert summary == {"events": count, "head": head, "rows": 6, "since": None, "until": None}
    assert actor.startswith("cli:") and len(actor) > 4
    assert data == {"format": "jsonl", "since": None, "until": None, "rows": 6, "include_text": False}
    assert not output.with_name("audit.jsonl.partial").exists()
    status, out, _ = phigate("audit", "verify")
    assert (status, out) == (0, f"OK: {count} events, head {head}\n")


def test_csv_rows_and_sidecar(scenario: Scenario, phigate, tmp_path: Path) -> None:
    output = tmp_path / "audit.csv"
    status, _, err = phigate(
        "audit", "export", "--format", "csv", "--output", str(output), "--since", "2000-01-01"
    )
    assert status == 0 and "6 rows written" in err
    with output.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert "text" not in rows[0]
    for row, want in zip(rows, _expected(scenario), strict=True):
        final = want["final_approver"] or {"id": "", "name": ""}
        assert row["draft_id"] == want["draft_id"] and row["version"] == str(want["version"])
        assert row["created_at"] == want["created_at"]
        assert row["in_reply_to"] == want["in_reply_to"]
        assert (row["status"], row["final_status"]) == (want["status"], want["final_status"])
        assert (row["final_approver"], row["final_approver_name"]) == (final["id"], final["name"])
        assert row["text_sha256"] == want["text_sha256"]
        compact = [
            f"{d['group']} {d['decision']}{'(' + d['reason'] + ')' if d['reason'] else ''} by {d['actor']} at {d['at']}"
            for d in want["decisions"]
        ]
        assert row["decisions"] == "; ".join(compact)
    assert rows[1]["decisions"].startswith("legal reject(contains_phi) by sandbox:legal1 at ")
    assert "PATIENT_RELATIONSHIP" in rows[4]["categories"].split(";")

    count, head, data, _ = _chain(scenario)
    assert data["format"] == "csv" and data["since"] == "2000-01-01T00:00:00Z" and data["rows"] == 6
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    sidecar = output.with_name("audit.csv.sha256").read_text(encoding="utf-8").splitlines()
    assert sidecar[0] == f"{digest}  audit.csv"
    assert sidecar[1] == (
        f"# phigate audit export: events {count} head {head} rows 6 since 2000-01-01T00:00:00Z until -"
    )
    checked = subprocess.run(
        ["sha256sum", "-c", "audit.csv.sha256"], cwd=tmp_path, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_csv_on_stdout_prints_the_summary_on_stderr(scenario: Scenario, phigate) -> None:
    status, out, err = phigate("audit", "export", "--format", "csv")
    assert status == 0
    assert out.startswith("draft_id,version,created_at,") and len(out.splitlines()) == 7
    summary = json.loads(err)["summary"]
    count, head, _, _ = _chain(scenario)
    assert summary["sha256"] == hashlib.sha256(out.encode("utf-8")).hexdigest()
    assert (summary["events"], summary["head"], summary["rows"]) == (count, head, 6)


def test_since_until_filter_on_version_creation_until_exclusive(scenario: Scenario, phigate) -> None:
    since, until = iso(scenario.day(1)), iso(scenario.day(3))
    status, out, _ = phigate("audit", "export", "--format", "jsonl", "--since", since, "--until", until)
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(r["draft_id"], r["version"]) for r in lines[:-1]] == [
        (scenario.ids["rejected"], 1),
        (scenario.ids["edited"], 1),
    ]
    assert lines[-1]["summary"]["rows"] == 2
    assert (lines[-1]["summary"]["since"], lines[-1]["summary"]["until"]) == (since, until)
    # Dates alone, and an offset converted to UTC: day 3 09:00 UTC is 11:00 at +02:00.
    day3_local = scenario.day(3).strftime("%Y-%m-%dT11:00:00+02:00")
    status, out, _ = phigate(
        "audit",
        "export",
        "--format",
        "jsonl",
        "--since",
        day3_local,
        "--until",
        scenario.day(4).date().isoformat(),
    )
    assert [(r["draft_id"], r["version"]) for r in map(json.loads, out.splitlines()[:-1])] == [
        (scenario.ids["edited"], 2)
    ]


def test_text_only_with_include_text_and_only_for_approved_versions(scenario: Scenario, phigate) -> None:
    status, out, _ = phigate("audit", "export", "--format", "jsonl")
    assert status == 0 and CANARY not in out
    for text in (APPROVED_TEXT, EDITED_TEXT):
        assert text not in out
    status, out, _ = phigate("audit", "export", "--format", "jsonl", "--include-text")
    rows = [json.loads(line) for line in out.splitlines()[:-1]]
    assert [row["text"] for row in rows] == [APPROVED_TEXT, None, None, EDITED_TEXT, None, None]
    assert CANARY not in out  # the canary is only in versions that were never approved
    status, out, _ = phigate("audit", "export", "--format", "csv", "--include-text")
    rows = list(csv.DictReader(out.splitlines()))
    assert [row["text"] for row in rows] == [APPROVED_TEXT, "", "", EDITED_TEXT, "", ""]
    assert CANARY not in out
    _, _, data, _ = _chain(scenario)
    assert data["include_text"] is True and CANARY not in json.dumps(data)


def test_bad_arguments(database_url: str, phigate) -> None:
    with pytest.raises(SystemExit) as exc:
        phigate("audit", "export", "--format", "jsonl", "--since", "last tuesday")
    assert exc.value.code == 2
    status, _, err = phigate(
        "audit", "export", "--format", "jsonl", "--since", "2026-02-01", "--until", "2026-01-01"
    )
    assert status == 2 and "--since must be before --until" in err


def test_export_verify_and_purge_do_not_load_the_scanner(
    scenario: Scenario, database_url: str, tmp_path: Path
) -> None:
    script = f"""
import json, sys
from handlers.cli.main import main
codes = [
    main(["audit", "export", "--format", "jsonl", "--include-text", "--output", {str(tmp_path / "a.jsonl")!r}]),
    main(["audit", "export", "--format", "csv", "--output", {str(tmp_path / "a.csv")!r}]),
    main(["audit", "verify"]),
    main(["purge", "--older-than", "1d", "--dry-run"]),
]
loaded = sorted(m for m in sys.modules if m.startswith(("bot.phi.scanner", "bot.phi.engine", "presidio", "spacy")))
print(json.dumps({{"codes": codes, "loaded": loaded}}))
"""
    env = {**os.environ, "PHIGATE_DATABASE_URL": database_url}
    env.pop("PHIGATE_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"codes": [0, 0, 0, 0], "loaded": []}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = Progress(4, stream)
        for _ in range(4):
            progress.advance()
        progress.close()
    assert pipe.getvalue() == ""
    assert terminal.getvalue().endswith("\rexporting [##############################] 4/4 rows (100%)\n")
