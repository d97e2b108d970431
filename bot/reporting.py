"""The monthly review report: turnaround, decisions per group and approver, rejection reasons, verdicts.

Pure computation over plain records (``storage/reporting.py`` reads them). The rules:

- *Submitted*: drafts created in [since, until); their verdict mix is the scan verdict of version 1.
- *Completed*: drafts whose final decision (approval or rejection) falls in the window; turnaround is
  final decision time minus submission time, median and p90 (nearest rank), overall and per outcome.
- *Decisions*: approver decisions made in the window, per group, per approver (account ids) and per
  kind; rejection reasons are the codes approvers pick (never their free-text comments).
- *Time to first decision per group*: for drafts completed in the window, the first decision of each
  group minus submission time (median).
- *Expired / withdrawn / overrides*: audit events of those kinds in the window.
No draft text is read or shown.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DraftRecord:
    """A draft's dates, outcome and first verdict."""

    id: str
    created_at: datetime
    final_at: datetime | None
    status: str
    first_verdict: str


@dataclass(frozen=True)
class DecisionRecord:
    """One approver decision."""

    draft_id: str
    group: str
    actor: str
    kind: str
    reason: str
    at: datetime


def build_report(
    drafts: list[DraftRecord],
    decisions: list[DecisionRecord],
    event_kinds: list[str],
    since: datetime,
    until: datetime,
) -> dict[str, Any]:
    """The report as plain data; ``event_kinds`` are the kinds of the audit events in the window."""
    submitted = [d for d in drafts if since <= d.created_at < until]
    completed = [
        d
        for d in drafts
        if d.final_at is not None and since <= d.final_at < until and d.status in _FINAL_KINDS
    ]
    in_window = [d for d in decisions if since <= d.at < until]
    by_outcome: dict[str, list[float]] = defaultdict(list)
    for draft in completed:
        assert draft.final_at is not None
        by_outcome[_FINAL_KINDS[draft.status]].append(
            (draft.final_at - draft.created_at).total_seconds() / 3600
        )
    everything = [hours for values in by_outcome.values() for hours in values]
    first_by_group = _first_decisions(completed, decisions)
    events = Counter(event_kinds)
    return {
        "window": {"since": since.isoformat(), "until": until.isoformat()},
        "submitted": len(submitted),
        "verdicts": dict(sorted(Counter(d.first_verdict for d in submitted).items())),
        "completed": {outcome: len(values) for outcome, values in sorted(by_outcome.items())},
        "turnaround_hours": {
            "all": _spread(everything),
            **{outcome: _spread(values) for outcome, values in sorted(by_outcome.items())},
        },
        "first_decision_hours_by_group": {
            group: _spread(values) for group, values in sorted(first_by_group.items())
        },
        "decisions_by_group": _nested(Counter((d.group, d.kind) for d in in_window)),
        "decisions_by_approver": _nested(Counter((d.actor, d.kind) for d in in_window)),
        "rejection_reasons": dict(
            Counter(d.reason or "unspecified" for d in in_window if d.kind == "reject").most_common()
        ),
        "expired": events["expired"],
        "withdrawn": events["withdrawn"],
        "overrides_requested": events["override_requested"],
        "still_open": sum(1 for d in submitted if d.status in ("pending", "blocked")),
    }


_FINAL_KINDS = {"approved": "approved", "posted": "approved", "rejected": "rejected"}


def _first_decisions(completed: list[DraftRecord], decisions: list[DecisionRecord]) -> dict[str, list[float]]:
    created = {d.id: d.created_at for d in completed}
    first: dict[tuple[str, str], datetime] = {}
    for decision in decisions:
        if decision.draft_id in created:
            key = (decision.draft_id, decision.group)
            first[key] = min(first.get(key, decision.at), decision.at)
    result: dict[str, list[float]] = defaultdict(list)
    for (draft_id, group), at in first.items():
        result[group].append((at - created[draft_id]).total_seconds() / 3600)
    return result


def _spread(hours: list[float]) -> dict[str, float | int | None]:
    if not hours:
        return {"count": 0, "median": None, "p90": None}
    ordered = sorted(hours)
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
    return {"count": len(ordered), "median": round(statistics.median(ordered), 2), "p90": round(p90, 2)}


def _nested(counts: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for (outer, inner), count in sorted(counts.items()):
        result[outer][inner] = count
    return dict(result)


def as_text(report: dict[str, Any]) -> str:
    """The report in plain words for the social/comms lead."""
    lines = [
        f"phigate review report {report['window']['since']} .. {report['window']['until']} (until excluded)",
        "",
    ]
    verdicts = ", ".join(f"{k} {v}" for k, v in report["verdicts"].items()) or "none"
    lines.append(
        f"Submitted: {report['submitted']} drafts (scan verdicts: {verdicts}); {report['still_open']} still open"
    )
    completed = ", ".join(f"{k} {v}" for k, v in report["completed"].items()) or "none"
    lines.append(
        f"Completed: {completed}; expired {report['expired']}, withdrawn {report['withdrawn']}, "
        f"overrides requested {report['overrides_requested']}"
    )
    lines += ["", "Turnaround, submission to final decision (hours):"]
    for name, spread in report["turnaround_hours"].items():
        lines.append(f"  {name:<10} {_spread_text(spread)}")
    lines += ["", "Time to each group's first decision (hours):"]
    lines += [f"  {g:<10} {_spread_text(s)}" for g, s in report["first_decision_hours_by_group"].items()] or [
        "  none"
    ]
    lines += ["", "Decisions by group:"]
    lines += [f"  {g:<10} {_counts(c)}" for g, c in report["decisions_by_group"].items()] or ["  none"]
    lines += ["", "Decisions by approver:"]
    lines += [f"  {a:<24} {_counts(c)}" for a, c in report["decisions_by_approver"].items()] or ["  none"]
    lines += ["", "Rejection reasons:"]
    lines += [f"  {r:<24} {n}" for r, n in report["rejection_reasons"].items()] or ["  none"]
    return "\n".join(lines) + "\n"


def as_rows(report: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """``(section, key, measure, value)`` rows for CSV."""
    rows: list[tuple[str, str, str, Any]] = [("summary", "submitted", "count", report["submitted"])]
    rows += [("verdicts", k, "count", v) for k, v in report["verdicts"].items()]
    rows += [("completed", k, "count", v) for k, v in report["completed"].items()]
    rows += [
        ("summary", k, "count", report[k])
        for k in ("expired", "withdrawn", "overrides_requested", "still_open")
    ]
    for section in ("turnaround_hours", "first_decision_hours_by_group"):
        for key, spread in report[section].items():
            rows += [(section, key, measure, value) for measure, value in spread.items()]
    for section in ("decisions_by_group", "decisions_by_approver"):
        for key, counts in report[section].items():
            rows += [(section, key, kind, count) for kind, count in counts.items()]
    rows += [("rejection_reasons", k, "count", v) for k, v in report["rejection_reasons"].items()]
    return rows


def _spread_text(spread: dict[str, Any]) -> str:
    if not spread["count"]:
        return "no drafts"
    return f"median {spread['median']:g}, p90 {spread['p90']:g} (n={spread['count']})"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in counts.items())
