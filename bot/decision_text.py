"""Decisions, thread replies, reminders and a draft's status in words, once for every surface.

The surface passes its :class:`Markup` (how it escapes user text, cuts it and shows a time); the
words and the order of things live here. Nothing here is Slack mrkdwn or Teams markdown specific:
the only markup used (``_italic_``) reads the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.models import Decision, DecisionKind, Draft, Status
from bot.wording import network_label, reason_label, status_label, verdict_text

NAME_CHARS = 80
MAX_DECISION_LINES = 12
_REJECTED = re.compile(r" rejected \(([^)]*)\) v\d+ at ")


@dataclass(frozen=True)
class Markup:
    """How one surface makes user text safe and short, and shows a time."""

    escape: Callable[[str], str]
    truncate: Callable[[str, int], str]
    when: Callable[[datetime | None], str]

    def plain_name(self, text: str | None, fallback: str = "someone", limit: int = NAME_CHARS) -> str:
        """A person's display name on one line, cut to ``limit`` (not escaped)."""
        return self.truncate(one_line(text or ""), limit) or fallback

    def name(self, text: str | None, fallback: str = "someone", limit: int = NAME_CHARS) -> str:
        """:meth:`plain_name`, escaped."""
        return self.escape(self.plain_name(text, fallback, limit))


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) as one space."""
    return " ".join(text.split())


def latest(draft: Draft, kind: DecisionKind | None = None) -> Decision | None:
    """The newest decision on ``draft`` (of ``kind`` when given)."""
    chosen = [d for d in draft.decisions if kind is None or d.kind is kind]
    return max(chosen, key=lambda d: d.at) if chosen else None


def who(markup: Markup, decision: Decision) -> str:
    """``Lee Chen (legal)``, escaped; the group is not repeated when the name carries it."""
    plain = markup.plain_name(decision.actor_name or decision.actor)
    group = one_line(decision.group)
    if not group or f"({group})" in plain:
        return markup.escape(plain)
    return f"{markup.escape(plain)} ({markup.escape(group)})"


def decision_line(markup: Markup, decision: Decision) -> str:
    """``• Lee Chen (legal) approved version 2 · <date>``."""
    if decision.kind is DecisionKind.APPROVE:
        what = "approved"
        if decision.acknowledges_override:
            what += " (override acknowledged)"
    else:
        what = f"rejected: {markup.escape(reason_label(decision.reason))}"
    return f"• {who(markup, decision)} {what} version {decision.version} · {markup.when(decision.at)}"


def decision_lines(markup: Markup, draft: Draft, limit: int = MAX_DECISION_LINES) -> list[str]:
    """The decision lines of ``draft``, oldest first; only the newest ``limit`` when there are more."""
    ordered = sorted(draft.decisions, key=lambda d: d.at)
    lines = [decision_line(markup, d) for d in ordered[-limit:]]
    hidden = len(ordered) - limit
    if hidden > 0:
        lines.insert(0, f"_{hidden} earlier decisions not shown._")
    return lines


def card_decision_lines(
    markup: Markup, lines: tuple[str, ...], *, width: int, limit: int = MAX_DECISION_LINES
) -> list[str]:
    """A review card's prepared decision lines as escaped bullets of at most ``width`` (the newest ``limit``)."""
    shown = [f"• {markup.escape(markup.truncate(one_line(line), width))}" for line in lines[-limit:]]
    hidden = len(lines) - limit
    return ([f"_{hidden} earlier decisions not shown._"] if hidden > 0 else []) + shown


def rejection_reason_from(lines: tuple[str, ...]) -> str | None:
    """The reason code of the newest rejection among a card's decision lines, if any."""
    for line in reversed(lines):
        found = _REJECTED.search(line)
        if found:
            return found.group(1)
    return None


def status_facts(markup: Markup, draft: Draft) -> list[tuple[str, str]]:
    """Where a draft stands as (label, escaped value) pairs, for ``status <id>`` (no draft text)."""
    current = draft.current
    pairs = [
        ("Status", markup.escape(status_label(draft.status))),
        ("Network", markup.escape(network_label(draft.network))),
        ("Author", markup.name(draft.author_name or draft.author)),
        ("PHI scan", verdict_text(current.verdict, current.score)),
        ("Version", str(draft.version)),
    ]
    if draft.status is Status.PENDING:
        pairs.append(("Expires", markup.when(draft.expires_at)))
    elif draft.final_at is not None:
        pairs.append(("Decided", markup.when(draft.final_at)))
    return pairs


def expires_in(hours_left: float) -> str:
    """``in less than an hour`` / ``in about 5 hours``, for reminders."""
    if hours_left < 1:
        return "in less than an hour"
    hours = round(hours_left)
    return f"in about {hours} hour{'s' if hours != 1 else ''}"


def waiting_for(markup: Markup, groups: list[str]) -> str:
    """The groups that must still decide, escaped and capitalised (``the approvers`` when none is named)."""
    return ", ".join(markup.escape(one_line(group)).capitalize() for group in groups) or "the approvers"


def thread_text(markup: Markup, draft: Draft, event: str, *, draft_id: str, posted_tail: str) -> str:
    """The one-line reply under review cards after ``event`` (never draft text).

    Args:
        markup: The surface's escaping, cutting and times.
        draft: The draft after the event.
        event: approved, rejected, edited, expired, withdrawn, posted, resubmitted or override.
        draft_id: The draft's id as the surface shows it.
        posted_tail: What follows "marked draft <id> as posted" (where, and the link).
    """
    author = markup.name(draft.author_name or draft.author, "the author")
    version = draft.version
    fallback = f"Draft {draft_id}: {markup.escape(status_label(draft.status))}."
    if event in ("approved", "rejected"):
        kind = DecisionKind.APPROVE if event == "approved" else DecisionKind.REJECT
        decision = latest(draft, kind)
        if decision is None:
            return fallback
        if kind is DecisionKind.REJECT:
            return (
                f"{who(markup, decision)} rejected version {decision.version}: "
                f"{markup.escape(reason_label(decision.reason))}. The review is closed."
            )
        line = f"{who(markup, decision)} approved version {decision.version}"
        if draft.status not in (Status.APPROVED, Status.POSTED):
            return f"{line}."
        if draft.final_approver == decision.actor:
            return f"{line} — final approver. The reply is approved."
        return f"{line}. The reply is approved; final approver: {markup.name(draft.final_approver_name)}."
    if event == "edited":
        editor = _editor(markup, draft)
        if draft.status is Status.BLOCKED:
            return (
                f"{editor} edited the draft (version {version}); the PHI scan blocked the new text, "
                "so it went back to the author."
            )
        return f"{editor} edited the draft (version {version}); earlier approvals no longer count."
    messages = {
        "expired": f"Draft {draft_id} expired without a decision; it can no longer be approved.",
        "withdrawn": f"{author} withdrew draft {draft_id}. No decision is needed.",
        "posted": f"{author} marked draft {draft_id} as posted{posted_tail}",
        "resubmitted": (
            f"{author} submitted version {version} of draft {draft_id}; earlier approvals no longer count."
        ),
        "override": (
            f"{author} asked for an override of the PHI scan block. "
            "Legal must read the justification and acknowledge it to approve."
        ),
    }
    return messages.get(event, fallback)


def _editor(markup: Markup, draft: Draft) -> str:
    creator = draft.current.created_by
    for decision in reversed(draft.decisions):
        if decision.actor == creator:
            return who(markup, decision)
    return "An approver"
