"""Decisions and outcomes in words: who approved or rejected which version, and the final line."""

from __future__ import annotations

from bot import decision_text
from bot.decision_text import Markup
from bot.models import Decision, Draft, Status
from bot.wording import reason_label
from handlers.slack.blocks.text import escape, truncate, when

MARKUP = Markup(escape=escape, truncate=truncate, when=when)


def name(text: str | None, fallback: str = "someone") -> str:
    """A person's display name, one line, cut to 80 characters, escaped for mrkdwn."""
    return MARKUP.name(text, fallback)


def who(decision: Decision) -> str:
    """``Lee Chen (legal)``, escaped; the group is not repeated when the name carries it."""
    return decision_text.who(MARKUP, decision)


def decision_line(decision: Decision) -> str:
    """``• Lee Chen (legal) approved version 2 · <date>`` (mrkdwn)."""
    return decision_text.decision_line(MARKUP, decision)


def decision_lines(draft: Draft) -> list[str]:
    """The decision lines of ``draft``, oldest first; only the newest 12 when there are more."""
    return decision_text.decision_lines(MARKUP, draft)


def card_decision_lines(lines: tuple[str, ...]) -> list[str]:
    """The card's prepared decision lines as escaped bullets (the newest 12)."""
    return decision_text.card_decision_lines(MARKUP, lines, width=500)


def final_line(
    status: str, final_approver: str | None, *, reason: str | None = None, author: str = ""
) -> str:
    """The bold line that closes a card: who decided, or why nobody can any more (mrkdwn)."""
    person = name(final_approver) if final_approver else ""
    if status == Status.APPROVED:
        return f"*Approved by {person or 'the approvers'} — final approver*"
    if status == Status.POSTED:
        approved = f"Approved by {person} — final approver. " if person else ""
        return f"*{approved}Posted by the author.*"
    if status == Status.REJECTED:
        why = f" ({escape(reason_label(reason))})" if reason else ""
        return f"*Rejected by {person or 'an approver'}{why}*"
    if status == Status.EXPIRED:
        return "*Expired without a decision.* It can no longer be approved; the author may submit it again."
    if status == Status.WITHDRAWN:
        by = f" ({name(author)})" if author else ""
        return f"*Withdrawn by the author{by}.* No decision is needed."
    if status == Status.BLOCKED:
        return (
            "*Blocked by the PHI scan after an edit.* The author has been told; no decision is possible now."
        )
    return ""
