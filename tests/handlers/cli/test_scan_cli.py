"""The `phigate scan` contract: single-draft report, --fail-on, JSONL stream with malformed lines."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.cli.scan import scan_jsonl
from tests.conftest import CANARY, canary_draft

ROOT = Path(__file__).resolve().parents[3]


def _phigate(
    *args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "handlers.cli.main", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_single_draft_report_and_fail_on_block() -> None:
    draft = canary_draft("Glad your knee surgery went well, {canary}! Your MRN is 88812345.")
    done = _phigate("scan", draft, "--fail-on", "block")
    out = done.stdout.decode()
    assert done.returncode == 1
    assert out.startswith("Verdict: BLOCK")
    assert "MEDICAL_RECORD_NUMBER" in out and "PATIENT_RELATIONSHIP" in out
    assert "Redacted preview:" in out and "[MEDICAL_RECORD_NUMBER]" in out
    assert "Suggested safe reply:" in out
    assert CANARY not in done.stderr.decode()


def test_clear_draft_from_stdin_exits_zero_even_with_fail_on_review() -> None:
    done = _phigate(
        "scan",
        "--fail-on",
        "review",
        stdin="Thanks for following us, Linda! Flu shots are free this Saturday.",
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("Verdict: CLEAR")


def test_jsonl_mode_keeps_order_and_reports_malformed_lines() -> None:
    lines = [
        json.dumps(
            {"id": "a", "text": canary_draft("We reviewed your chart, {canary}, and your SSN 123-45-6789.")}
        ),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": 42}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "f", "text": "Join us May 5 for our health fair!"}),
    ]
    done = _phigate("scan", "--jsonl", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr.decode()
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [row["id"] for row in out] == ["a", None, "c", "d", None, "f"]
    assert out[0]["verdict"] == "block" and 0.7 <= out[0]["score"] <= 1.0
    categories = {f["category"] for f in out[0]["findings"]}
    assert "SOCIAL_SECURITY_NUMBER" in categories
    assert all(set(f) == {"category", "start", "end", "score", "explanation"} for f in out[0]["findings"])
    assert "not valid JSON" in out[1]["error"] and "missing field 'text'" in out[2]["error"]
    assert "'text' must be a string" in out[3]["error"] and "JSON object" in out[4]["error"]
    assert out[5] == {"id": "f", "verdict": "clear", "score": 0.0, "findings": []}
    assert CANARY not in done.stdout.decode() and CANARY not in done.stderr.decode()


def test_bad_config_is_reported_with_exit_2(tmp_path: Path) -> None:
    done = _phigate("scan", "hello", env={"PHIGATE_CONFIG": str(tmp_path / "missing.toml")})
    assert done.returncode == 2
    assert "does not exist" in done.stderr.decode()


def test_help_documents_both_modes_and_config() -> None:
    done = _phigate("scan", "--help")
    text = done.stdout.decode()
    assert done.returncode == 0
    for expected in ("--jsonl", "--fail-on", "--config", "PHIGATE_CONFIG", '"id"', '"error"'):
        assert expected in text


@pytest.mark.parametrize(
    ("raw", "expected_error"),
    [
        (b"\xff\xfe broken\n", "not valid UTF-8"),
        (b'{"id": {"x": 1}, "text": "hi"}\n', "'id' must be a string"),
    ],
)
def test_jsonl_undecodable_and_bad_id_lines(default_scanner, raw: bytes, expected_error: str) -> None:
    sink = io.StringIO()
    assert scan_jsonl(default_scanner, io.BytesIO(raw + b'{"id": "ok", "text": "Thanks!"}\n'), sink) == 0
    rows = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert rows[0]["id"] is None and expected_error in rows[0]["error"]
    assert rows[1] == {"id": "ok", "verdict": "clear", "score": 0.0, "findings": []}


def test_jsonl_offsets_index_the_submitted_text(default_scanner) -> None:
    text = "Hi Dana \u200b! We reviewed your chart: MRN 4455667 and DOB 03/14/1961."
    sink = io.StringIO()
    scan_jsonl(default_scanner, io.BytesIO(json.dumps({"id": 1, "text": text}).encode() + b"\n"), sink)
    row = json.loads(sink.getvalue())
    spans = {f["category"]: text[f["start"] : f["end"]] for f in row["findings"]}
    assert spans["MEDICAL_RECORD_NUMBER"] == "4455667"
    assert spans["DATE"] == "03/14/1961"
