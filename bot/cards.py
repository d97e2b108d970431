"""The neutral card model: what a review card and the author's view say. Surfaces only render it.

The sandbox renders it as HTML, Slack as Block Kit, Teams as an Adaptive Card; the content and the
rules (redacted preview by default, full text only in channels covered by the BAA) live here once.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.models import DecisionKind, Draft, GroupProgress, Status
from bot.phi.categories import Category
from bot.phi.redact import redact
from bot.phi.result import Finding
from bot.policy import summary

VERDICT_LABEL = {
    "clear": "No PHI found",
    "review": "Possible PHI: review carefully",
    "block": "PHI found: blocked by the scan",
}
STATUS_LABEL = {
    Status.PENDING: "Waiting for approval",
    Status.APPROVED: "Approved",
    Status.REJECTED: "Rejected",
    Status.BLOCKED: "Blocked by the PHI scan",
    Status.EXPIRED: "Expired without a decision",
    Status.WITHDRAWN: "Withdrawn by the author",
    Status.POSTED: "Approved and posted",
}
PURGED = "[text removed by the retention policy]"


@dataclass(frozen=True)
class FindingLine:
    """One finding as a card shows it (no matched text: the category and why it matters)."""

    category: str
    explanation: str


@dataclass(frozen=True)
class CardAction:
    """A button on the card."""

    id: str  # approve | approve_with_edits | reject
    label: str
    style: str = "default"  # primary | danger | default


@dataclass(frozen=True)
class ReviewCard:
    """Everything a review card in an approver channel shows."""

    draft_id: str
    version: int
    revision: int
    channel: str
    title: str
    status: str
    status_label: str
    network: str
    in_reply_to: str
    context: str
    author_name: str
    verdict: str
    verdict_label: str
    score: float
    findings: tuple[FindingLine, ...]
    preview: str
    full_text: str | None
    progress: tuple[GroupProgress, ...]
    progress_line: str
    final_approver_name: str | None
    decisions: tuple[str, ...]
    warnings: tuple[str, ...]
    actions: tuple[CardAction, ...]
    rejection_reasons: tuple[str, ...]
    needs_override_ack: bool
    suggestion: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        """True when no more decisions can be taken."""
        return self.status != Status.PENDING


def full_text_allowed(settings: Settings, channel: str) -> bool:
    """True if ``channel`` (``<surface>:<channel>``) may show the full text (listed as covered by the BAA)."""
    return any(fnmatch.fnmatchcase(channel, pattern) for pattern in settings.cards.full_text_channels)


def preview(draft: Draft) -> str:
    """The current text with every finding masked by its category."""
    current = draft.current
    if current.text is None:
        return PURGED
    return redact(current.text, findings_of(current.scan))


def findings_of(scan: dict[str, Any]) -> list[Finding]:
    """Stored finding dicts back as ``Finding`` objects."""
    return [
        Finding(
            Category(item["category"]),
            int(item["start"]),
            int(item["end"]),
            float(item["score"]),
            item.get("explanation", ""),
        )
        for item in scan.get("findings", [])
    ]


def review_card(
    settings: Settings,
    draft: Draft,
    progress: list[GroupProgress],
    *,
    channel: str,
    duplicates: list[str] | None = None,
    show_full_text: bool = False,
) -> ReviewCard:
    """The review card of ``draft`` for one approver channel."""
    current = draft.current
    needs_ack = current.verdict == "block" and draft.override_justification is not None
    warnings = []
    if needs_ack:
        warnings.append(
            "Blocked by the PHI scan; the author asks for an override. Legal must acknowledge it to approve."
        )
    if duplicates:
        warnings.append(f"Another pending draft answers the same post: {', '.join(duplicates)}")
    if current.reason == "edited_by_approver":
        warnings.append(
            f"Version {current.version} was edited by an approver; earlier approvals no longer count."
        )
    actions: tuple[CardAction, ...] = ()
    if draft.status is Status.PENDING:
        actions = (
            CardAction("approve", "Approve", "primary"),
            CardAction("approve_with_edits", "Approve with edits"),
            CardAction("reject", "Reject", "danger"),
        )
    allowed = full_text_allowed(settings, channel)
    return ReviewCard(
        draft_id=draft.id,
        version=draft.version,
        revision=draft.revision,
        channel=channel,
        title=f"Reply draft {draft.id} for {draft.network}",
        status=str(draft.status),
        status_label=STATUS_LABEL[draft.status],
        network=str(draft.network),
        in_reply_to=draft.in_reply_to,
        context=draft.context,
        author_name=draft.author_name,
        verdict=current.verdict,
        verdict_label=VERDICT_LABEL.get(current.verdict, current.verdict),
        score=current.score,
        findings=tuple(
            FindingLine(item["category"], item.get("explanation", ""))
            for item in current.scan.get("findings", [])
        ),
        preview=preview(draft),
        full_text=current.text if (show_full_text and allowed) else None,
        progress=tuple(progress),
        progress_line=summary(progress),
        final_approver_name=draft.final_approver_name if draft.status is not Status.PENDING else None,
        decisions=tuple(_decision_lines(draft)),
        warnings=tuple(warnings),
        actions=actions,
        rejection_reasons=settings.policy.rejection_reasons,
        needs_override_ack=needs_ack,
        suggestion=current.scan.get("suggestion"),
        extra={"full_text_available": allowed and current.text is not None},
    )


def _decision_lines(draft: Draft) -> list[str]:
    lines = []
    for decision in draft.decisions:
        what = "approved" if decision.kind is DecisionKind.APPROVE else f"rejected ({decision.reason})"
        stamp = decision.at.strftime("%Y-%m-%d %H:%M UTC")
        who = decision.actor_name
        if f"({decision.group})" not in who:  # display names often carry the group already
            who = f"{who} ({decision.group})"
        lines.append(f"{who} {what} v{decision.version} at {stamp}")
    return lines
