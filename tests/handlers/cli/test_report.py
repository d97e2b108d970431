"""``phigate report``: the numbers of a known history, computed here independently."""

from __future__ import annotations

import csv
import io
import json
import statistics

from tests.conftest import CANARY
from tests.handlers.cli.conftest import (
    APPROVED_TEXT,
    BLOCKED_TEXT,
    EDITED_AWAY_TEXT,
    PENDING_TEXT,
    REJECTED_TEXT,
    Scenario,
)


def hours(minutes: float) -> float:
    return minutes / 60


def test_the_whole_history(scenario: Scenario, phigate, default_scanner) -> None:
    since, until = scenario.day(0).isoformat(), scenario.day(6).isoformat()
    code, out, _ = phigate("report", "--since", since, "--until", until, "--format", "json")
    assert code == 0
    report = json.loads(out)
    texts = [APPROVED_TEXT, REJECTED_TEXT, EDITED_AWAY_TEXT, BLOCKED_TEXT, PENDING_TEXT]
    verdicts: dict[str, int] = {}
    for text in texts:
        verdict = str(default_scanner.scan(text).verdict)
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    assert report["submitted"] == 5 and report["verdicts"] == dict(sorted(verdicts.items()))
    assert report["completed"] == {"approved": 2, "rejected": 1} and report["still_open"] == 2
    # approved: comms 20 min after submission; rejected: legal 10 min after; edited: legal approved
    # with edits 1 day later, comms 10 min after that.
    approved = [hours(20), hours(24 * 60 + 10)]
    rejected = [hours(10)]
    everything = sorted(approved + rejected)
    assert report["turnaround_hours"]["all"] == {
        "count": 3,
        "median": round(statistics.median(everything), 2),
        "p90": round(everything[-1], 2),
    }
    assert report["turnaround_hours"]["approved"]["median"] == round(statistics.median(approved), 2)
    assert report["turnaround_hours"]["rejected"] == {"count": 1, "median": 0.17, "p90": 0.17}
    legal_first = [hours(10), hours(10), hours(24 * 60)]
    comms_first = [hours(20), hours(24 * 60 + 10)]
    assert report["first_decision_hours_by_group"]["legal"]["median"] == round(
        statistics.median(legal_first), 2
    )
    assert report["first_decision_hours_by_group"]["comms"]["median"] == round(
        statistics.median(comms_first), 2
    )
    assert report["decisions_by_group"] == {"comms": {"approve": 2}, "legal": {"approve": 2, "reject": 1}}
    assert report["decisions_by_approver"] == {
        "sandbox:comms1": {"approve": 2},
        "sandbox:legal1": {"approve": 2, "reject": 1},
    }
    assert report["rejection_reasons"] == {"contains_phi": 1}
    assert (report["expired"], report["withdrawn"]) == (0, 0)
    assert CANARY not in out


def test_a_one_day_window_text_and_csv(scenario: Scenario, phigate) -> None:
    window = ("--since", scenario.day(1).isoformat(), "--until", scenario.day(2).isoformat())
    code, out, _ = phigate("report", *window)
    assert code == 0
    assert "Submitted: 1 drafts" in out and "Completed: rejected 1" in out
    assert "contains_phi" in out and "sandbox:legal1" in out and CANARY not in out
    code, out, _ = phigate("report", *window, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"section": "completed", "key": "rejected", "measure": "count", "value": "1"} in rows
    assert {"section": "rejection_reasons", "key": "contains_phi", "measure": "count", "value": "1"} in rows


def test_bad_windows_are_usage_errors(database_url: str, phigate) -> None:
    code, _, err = phigate("report", "--since", "yesterday")
    assert code == 2 and "ISO 8601" in err
    code, _, err = phigate("report", "--since", "2026-02-01", "--until", "2026-01-01")
    assert code == 2 and "--since must be before --until" in err
