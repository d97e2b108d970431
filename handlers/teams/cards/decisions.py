"""Decisions and outcomes in words (markdown-safe): who approved or rejected which version, final lines."""

from __future__ import annotations

import re

from bot.models import Decision, DecisionKind, Draft, Status
from bot.wording import reason_label
from handlers.teams.cards.text import escape, name, one_line, plain_name, truncate, when

MAX_DECISION_LINES = 12
_REJECTED = re.compile(r" rejected \(([^)]*)\) v\d+ at ")


def latest(draft: Draft, kind: DecisionKind | None = None) -> Decision | None:
    """The newest decision on ``draft`` (of ``kind`` when given)."""
    chosen = [d for d in draft.decisions if kind is None or d.kind is kind]
    return max(chosen, key=lambda d: d.at) if chosen else None


def who(decision: Decision) -> str:
    """``Lee Chen (legal)``, escaped; the group is not repeated when the name carries it."""
    plain = plain_name(decision.actor_name or decision.actor)
    group = one_line(decision.group)
    if not group or f"({group})" in plain:
        return escape(plain)
    return f"{escape(plain)} ({escape(group)})"


def decision_line(decision: Decision) -> str:
    """``• Lee Chen (legal) approved version 2 · <date>``."""
    if decision.kind is DecisionKind.APPROVE:
        what = "approved"
        if decision.acknowledges_override:
            what += " (override acknowledged)"
    else:
        what = f"rejected: {escape(reason_label(decision.reason))}"
    return f"• {who(decision)} {what} version {decision.version} · {when(decision.at)}"


def decision_lines(draft: Draft, limit: int = MAX_DECISION_LINES) -> list[str]:
    """The decision lines of ``draft``, oldest first; only the newest ``limit`` when there are more."""
    ordered = sorted(draft.decisions, key=lambda d: d.at)
    lines = [decision_line(d) for d in ordered[-limit:]]
    hidden = len(ordered) - limit
    if hidden > 0:
        lines.insert(0, f"_{hidden} earlier decisions not shown._")
    return lines


def card_decision_lines(lines: tuple[str, ...], limit: int = MAX_DECISION_LINES) -> list[str]:
    """A review card's prepared decision lines as escaped bullets (the newest ``limit``)."""
    shown = [f"• {escape(truncate(one_line(line), 300))}" for line in lines[-limit:]]
    hidden = len(lines) - limit
    return ([f"_{hidden} earlier decisions not shown._"] if hidden > 0 else []) + shown


def rejection_reason_from(lines: tuple[str, ...]) -> str | None:
    """The reason code of the newest rejection among a card's decision lines, if any."""
    for line in reversed(lines):
        found = _REJECTED.search(line)
        if found:
            return found.group(1)
    return None


def final_line(
    status: str, final_approver: str | None, *, reason: str | None = None, author: str = ""
) -> tuple[str, str]:
    """The bold line that closes a card and its colour: who decided, or why nobody can any more."""
    person = name(final_approver) if final_approver else ""
    if status == Status.APPROVED:
        return f"✅ **Approved by {person or 'the approvers'} — final approver**", "Good"
    if status == Status.POSTED:
        approved = f"Approved by {person} — final approver. " if person else ""
        return f"✅ **{approved}Posted by the author.**", "Good"
    if status == Status.REJECTED:
        why = f" ({escape(reason_label(reason))})" if reason else ""
        return f"⛔ **Rejected by {person or 'an approver'}{why}**", "Attention"
    if status == Status.EXPIRED:
        return (
            "**Expired without a decision.** It can no longer be approved; the author may submit it again.",
            "Warning",
        )
    if status == Status.WITHDRAWN:
        by = f" ({name(author)})" if author else ""
        return f"**Withdrawn by the author{by}.** No decision is needed.", "Default"
    if status == Status.BLOCKED:
        return (
            "**Blocked by the PHI scan after an edit.** The author has been told; no decision is possible now.",
            "Attention",
        )
    return "", "Default"
