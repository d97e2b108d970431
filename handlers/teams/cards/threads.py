"""The one-line thread replies under review cards after each event (never draft text).

Teams shows a plain message's text as markdown, so names and reasons are escaped; a posted link is
written out only when it is a plain http(s) URL (Teams links it, showing the address itself).
"""

from __future__ import annotations

from bot.models import DecisionKind, Draft, Status
from bot.wording import network_label, reason_label, status_label
from handlers.teams.cards.decisions import latest, who
from handlers.teams.cards.text import escape, is_linkable, name


def thread_text(draft: Draft, event: str) -> str:
    """The line for ``event``: approved, rejected, edited, expired, withdrawn, posted, resubmitted, override."""
    author = name(draft.author_name or draft.author, "the author")
    version = draft.version
    fallback = f"Draft {escape(draft.id)}: {escape(status_label(draft.status))}."
    if event in ("approved", "rejected"):
        kind = DecisionKind.APPROVE if event == "approved" else DecisionKind.REJECT
        decision = latest(draft, kind)
        if decision is None:
            return fallback
        if kind is DecisionKind.REJECT:
            return (
                f"{who(decision)} rejected version {decision.version}: "
                f"{escape(reason_label(decision.reason))}. The review is closed."
            )
        line = f"{who(decision)} approved version {decision.version}"
        if draft.status not in (Status.APPROVED, Status.POSTED):
            return f"{line}."
        if draft.final_approver == decision.actor:
            return f"{line} — final approver. The reply is approved."
        return f"{line}. The reply is approved; final approver: {name(draft.final_approver_name)}."
    if event == "edited":
        editor = _editor(draft)
        if draft.status is Status.BLOCKED:
            return (
                f"{editor} edited the draft (version {version}); the PHI scan blocked the new text, "
                "so it went back to the author."
            )
        return f"{editor} edited the draft (version {version}); earlier approvals no longer count."
    draft_id = escape(draft.id)
    messages = {
        "expired": f"Draft {draft_id} expired without a decision; it can no longer be approved.",
        "withdrawn": f"{author} withdrew draft {draft_id}. No decision is needed.",
        "posted": f"{author} marked draft {draft_id} as posted on {escape(network_label(draft.network))}"
        + _posted_suffix(draft),
        "resubmitted": (
            f"{author} submitted version {version} of draft {draft_id}; earlier approvals no longer count."
        ),
        "override": (
            f"{author} asked for an override of the PHI scan block. "
            "Legal must read the justification and acknowledge it to approve."
        ),
    }
    return messages.get(event, fallback)


def _editor(draft: Draft) -> str:
    creator = draft.current.created_by
    for decision in reversed(draft.decisions):
        if decision.actor == creator:
            return who(decision)
    return "An approver"


def _posted_suffix(draft: Draft) -> str:
    if draft.posted_link and is_linkable(draft.posted_link):
        return f": {draft.posted_link}"
    return "."
