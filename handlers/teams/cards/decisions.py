"""Decisions and outcomes in words (markdown-safe): who approved or rejected which version, final lines."""

from __future__ import annotations

from bot import decision_text
from bot.decision_text import MAX_DECISION_LINES, Markup
from bot.models import Decision, Draft, Status
from bot.wording import reason_label
from handlers.teams.cards.text import escape, name, truncate, when

MARKUP = Markup(escape=escape, truncate=truncate, when=when)


def who(decision: Decision) -> str:
    """``Lee Chen (legal)``, escaped; the group is not repeated when the name carries it."""
    return decision_text.who(MARKUP, decision)


def decision_line(decision: Decision) -> str:
    """``• Lee Chen (legal) approved version 2 · <date>``."""
    return decision_text.decision_line(MARKUP, decision)


def decision_lines(draft: Draft, limit: int = MAX_DECISION_LINES) -> list[str]:
    """The decision lines of ``draft``, oldest first; only the newest ``limit`` when there are more."""
    return decision_text.decision_lines(MARKUP, draft, limit)


def card_decision_lines(lines: tuple[str, ...], limit: int = MAX_DECISION_LINES) -> list[str]:
    """A review card's prepared decision lines as escaped bullets (the newest ``limit``)."""
    return decision_text.card_decision_lines(MARKUP, lines, width=300, limit=limit)


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
