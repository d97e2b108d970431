"""Review cards in the approver channels, their thread lines, reminders and ``/phigate status``.

Nothing here shows matched words: approvers see the category and why it matters, and the draft (or
its redacted preview) quoted. Fallback texts, thread lines and reminders never carry draft text.
"""

from __future__ import annotations

from bot import decision_text
from bot.cards import ReviewCard
from bot.decision_text import rejection_reason_from
from bot.models import Draft, GroupProgress
from bot.policy import summary
from bot.wording import category_label, network_label, verdict_text
from handlers.slack import ids
from handlers.slack.blocks.common import (
    MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    fields,
    fit,
    header,
    quoted,
    section,
    sections,
)
from handlers.slack.blocks.decisions import MARKUP, card_decision_lines, decision_lines, final_line, name
from handlers.slack.blocks.text import escape, link, one_line, truncate_escaped

MAX_CARD_FINDINGS = 25
NOTE_CHARS = 2900
_BUTTONS = {
    "approve": ids.APPROVE,
    "approve_with_edits": ids.APPROVE_WITH_EDITS,
    "reject": ids.REJECT,
}


def review_card_message(card: ReviewCard) -> tuple[list[Block], str]:
    """The blocks of a review card and its notification text (id, network, status; no draft text)."""
    blocks: list[Block] = [
        header(card.title.replace(f" for {card.network}", f" for {network_label(card.network)}")),
        fields(
            [
                ("Author", name(card.author_name, "unknown")),
                ("Network", escape(network_label(card.network))),
                ("Status", escape(card.status_label)),
                ("PHI scan", verdict_text(card.verdict, card.score)),
            ]
        ),
        section(f"*Replying to*\n{_reply_link(card.in_reply_to)}"),
    ]
    if card.context:
        blocks.append(context(f"*Author's note:* {truncate_escaped(card.context, NOTE_CHARS)}"))
    if card.warnings:
        blocks += sections([f"*Please note:* {escape(one_line(warning))}" for warning in card.warnings])
    if card.findings:
        blocks += sections(_card_finding_lines(card))
    blocks.append(divider())
    if card.full_text is not None:
        blocks += quoted(card.full_text, "*Draft* (exactly as submitted)")
    else:
        blocks += quoted(
            card.preview, "*Redacted preview* (identifiers masked; the full text is not shown here)"
        )
    blocks.append(divider())
    blocks.append(section(f"*Approvals:* {escape(card.progress_line) or 'none needed'}"))
    if card.decisions:
        blocks += sections(["*Decisions*", *card_decision_lines(card.decisions)])
    if card.is_final:
        line = final_line(
            card.status,
            card.final_approver_name,
            reason=card.extra.get("rejection_reason") or rejection_reason_from(card.decisions),
            author=card.author_name,
        )
        if line:
            blocks.append(section(line))
    else:
        buttons = _card_buttons(card)
        if buttons:
            blocks.append(actions(*buttons))
    fallback = f"Reply draft {card.draft_id} for {network_label(card.network)}: {card.status_label}"
    return fit(blocks, MESSAGE_BLOCKS), escape(fallback)


def _reply_link(url: str) -> str:
    if not url:
        return "_not given_"
    return link(url)


def _card_finding_lines(card: ReviewCard) -> list[str]:
    grouped: dict[tuple[str, str], int] = {}
    for finding in card.findings:
        key = (finding.category, finding.explanation)
        grouped[key] = grouped.get(key, 0) + 1
    count = len(card.findings)
    lines = [f"*Findings* ({count})" if count != 1 else "*Finding*"]
    for (category, explanation), times in list(grouped.items())[:MAX_CARD_FINDINGS]:
        repeat = f" ×{times}" if times > 1 else ""
        lines.append(f"• *{category_label(category)}*{repeat}: {escape(one_line(explanation))}")
    hidden = len(grouped) - MAX_CARD_FINDINGS
    if hidden > 0:
        lines.append(f"_…and {hidden} more kinds of finding._")
    return lines


def _card_buttons(card: ReviewCard) -> list[dict]:
    if not card.actions:
        return []
    value = ids.card_value(card.draft_id, card.version)
    buttons = [
        button(
            action.label,
            _BUTTONS[action.id],
            value,
            style=action.style if action.style != "default" else None,
        )
        for action in card.actions
        if action.id in _BUTTONS
    ]
    if card.full_text is None and card.extra.get("full_text_available"):
        buttons.append(button("View full text", ids.SHOW_FULL_TEXT, value))
    return buttons


def thread_reply_text(draft: Draft, event: str) -> str:
    """One mrkdwn line for the cards' threads after ``event`` (never draft text)."""
    return decision_text.thread_text(
        MARKUP, draft, event, draft_id=draft.id, posted_tail=_posted_suffix(draft)
    )


def _posted_suffix(draft: Draft) -> str:
    if draft.posted_link:
        return f": {link(draft.posted_link, limit=120)}"
    return "."


def reminder_text(draft: Draft, groups: list[str], *, hours_left: float) -> str:
    """A reminder line for the review channels: which draft, how long is left, who must still decide."""
    left = decision_text.expires_in(hours_left)
    waiting = decision_text.waiting_for(MARKUP, groups)
    return (
        f"Reminder: reply draft {draft.id} for {network_label(draft.network)} expires {left} "
        f"without a decision. Waiting for: {waiting}."
    )


def status_blocks(draft: Draft, progress: list[GroupProgress]) -> list[Block]:
    """``/phigate status <id>``: where a draft stands (no draft text; it may be shown in channels)."""
    current = draft.current
    pairs = decision_text.status_facts(MARKUP, draft)
    blocks: list[Block] = [header(f"Draft {draft.id}"), fields(pairs)]
    if draft.in_reply_to:
        blocks.append(section(f"*Replying to*\n{link(draft.in_reply_to)}"))
    categories = ", ".join(category_label(c) for c in current.categories[:30])
    blocks.append(section(f"*Found by the scan:* {escape(categories) if categories else 'nothing'}"))
    blocks.append(section(f"*Approvals:* {escape(summary(progress)) or 'none needed'}"))
    if draft.decisions:
        blocks += sections(["*Decisions*", *decision_lines(draft)])
    line = final_line(
        str(draft.status), draft.final_approver_name, reason=draft.rejection_reason, author=draft.author_name
    )
    if line:
        blocks.append(section(line))
    if draft.posted_link:
        blocks.append(section(f"*Posted at*\n{link(draft.posted_link)}"))
    if draft.override_justification is not None:
        blocks.append(
            context("The author asked for an override of the PHI scan with a written justification.")
        )
    return fit(blocks, MESSAGE_BLOCKS)
