"""Review cards in the approver channels, their thread lines, reminders and ``status``.

Nothing here shows matched words: approvers see the category and why it matters, and the redacted
preview (or the draft, where ``card.full_text`` is set). Thread lines, reminders and the status card
never carry draft text.
"""

from __future__ import annotations

from bot import decision_text
from bot.cards import ReviewCard
from bot.decision_text import rejection_reason_from
from bot.models import Draft, GroupProgress
from bot.policy import summary
from bot.wording import category_label, network_label, reason_label, verdict_text
from handlers.teams import ids
from handlers.teams.cards.decisions import MARKUP, card_decision_lines, decision_lines, final_line
from handlers.teams.cards.elements import (
    INPUT_MAX,
    Card,
    Element,
    action_set,
    card,
    choice_set,
    comment_input,
    execute,
    facts,
    fit,
    heading,
    literal,
    note,
    notice_block,
    open_url,
    runs,
    show_card,
    text_block,
    text_input,
)
from handlers.teams.cards.text import escape, is_linkable, name, one_line, truncate

MAX_FINDINGS = (25, 12, 6, 3)  # kinds of finding shown, per compactness level
MAX_DECISIONS = (12, 8, 5, 3)
NOTE_CHARS = 1000
ACKNOWLEDGEMENT = "I have read the override justification and accept it"


def review_card(card_model: ReviewCard, *, notice: str | None = None) -> Card:
    """The Adaptive Card of a review card, with Action.Execute buttons while the draft is pending.

    Args:
        card_model: The neutral review card (``bot.cards.review_card``).
        notice: A line shown highlighted at the top (e.g. why a click changed nothing).
    """
    return fit(lambda level: _review_card(card_model, notice, level))


def _review_card(c: ReviewCard, notice: str | None, level: int) -> Card:
    body: list[Element] = []
    if notice:
        body.append(notice_block(escape(one_line(notice))))
    body.append(heading(escape(c.title.replace(f" for {c.network}", f" for {network_label(c.network)}"))))
    body.append(
        facts(
            [
                ("Author", name(c.author_name, "unknown")),
                ("Network", escape(network_label(c.network))),
                ("Status", escape(c.status_label)),
                ("PHI scan", verdict_text(c.verdict, c.score)),
            ]
        )
    )
    body += _reply_to(c.in_reply_to)
    if c.context:
        body.append(text_block("**Author's note**", spacing="Small"))
        body.append(runs(truncate(c.context.strip(), NOTE_CHARS), isSubtle=True, spacing="None"))
    for warning in c.warnings:
        body.append(text_block(f"⚠️ **Please note:** {escape(one_line(warning))}", color="Warning"))
    if c.findings:
        body += _findings(c, MAX_FINDINGS[level])
    if c.full_text is not None:
        body.append(text_block("**Draft** (exactly as submitted)", separator=True))
        body.append(literal(c.full_text if level < 3 else truncate(c.full_text, 1000)))
    else:
        body.append(
            text_block(
                "**Redacted preview** (identifiers masked; the full text is not shown here)", separator=True
            )
        )
        body.append(literal(c.preview if level < 3 else truncate(c.preview, 1000)))
    body.append(text_block(f"**Approvals:** {escape(c.progress_line) or 'none needed'}", separator=True))
    if c.decisions:
        body.append(text_block("**Decisions**"))
        body += [
            text_block(line, spacing="None")
            for line in card_decision_lines(c.decisions, MAX_DECISIONS[level])
        ]
    if c.is_final:
        line, color = final_line(
            c.status,
            c.final_approver_name,
            reason=c.extra.get("rejection_reason") or rejection_reason_from(c.decisions),
            author=c.author_name,
        )
        if line:
            body.append(text_block(line, color=color, separator=True))
        return card(body)
    return card(body, _actions(c, level))


def _reply_to(url: str) -> list[Element]:
    if not url:
        return [text_block("**Replying to:** _not given_")]
    elements = [runs(("Replying to: ", {"weight": "Bolder"}), truncate(one_line(url), 300))]
    if is_linkable(url):
        elements.append(action_set(open_url("Open the post", url)))
    return elements


def _findings(c: ReviewCard, limit: int) -> list[Element]:
    grouped: dict[tuple[str, str], int] = {}
    for finding in c.findings:
        key = (finding.category, finding.explanation)
        grouped[key] = grouped.get(key, 0) + 1
    count = len(c.findings)
    elements = [text_block(f"**Findings** ({count})" if count != 1 else "**Finding**")]
    for (category, explanation), times in list(grouped.items())[:limit]:
        repeat = f" ×{times}" if times > 1 else ""
        elements.append(
            text_block(
                f"• **{escape(category_label(category))}**{repeat}: {escape(one_line(explanation))}",
                spacing="None",
            )
        )
    hidden = len(grouped) - limit
    if hidden > 0:
        elements.append(note(f"…and {hidden} more kinds of finding."))
    return elements


def _actions(c: ReviewCard, level: int) -> list[Element]:
    wanted = {action.id for action in c.actions}
    if not wanted:
        return []
    justification = str(c.extra.get("override_justification") or "")
    actions: list[Element] = []
    if "approve" in wanted:
        if c.needs_override_ack:
            actions.append(
                show_card(
                    "Approve",
                    [
                        *_justification(justification),
                        _acknowledge(),
                        *comment_input("The author sees your comment."),
                    ],
                    [
                        execute(
                            ids.ACKNOWLEDGE,
                            "Acknowledge and approve",
                            c.draft_id,
                            c.version,
                            style="positive",
                        )
                    ],
                    style="positive",
                )
            )
        else:
            actions.append(execute(ids.APPROVE, "Approve", c.draft_id, c.version, style="positive"))
    if "approve_with_edits" in wanted:
        actions.append(_edit_action(c, justification, level))
    if "reject" in wanted:
        actions.append(_reject_action(c))
    return actions


def _edit_action(c: ReviewCard, justification: str, level: int) -> Element:
    current = c.full_text if c.full_text is not None else c.preview
    body: list[Element] = [
        note(
            f"Your text becomes version {c.version + 1} of draft {escape(c.draft_id)}. It is scanned for PHI "
            "again, earlier approvals no longer count, and your approval counts for the new text."
        )
    ]
    if c.full_text is None:
        body.append(
            note("The box holds the redacted preview: replace each bracketed category with safe wording.")
        )
    if c.needs_override_ack:
        body += [*_justification(justification), _acknowledge()]
    # Over the size budget even when compact, the box starts empty rather than with a cut text.
    value = current if level < 3 else ""
    body += [
        text_input(
            ids.TEXT,
            "Reply text",
            multiline=True,
            value=value,
            max_length=INPUT_MAX,
            required=True,
            error="The reply text cannot be empty.",
        ),
        *comment_input("The author sees your comment."),
    ]
    return show_card(
        "Approve with edits",
        body,
        [execute(ids.APPROVE_WITH_EDITS, "Approve edited text", c.draft_id, c.version, style="positive")],
    )


def _reject_action(c: ReviewCard) -> Element:
    reasons = [(reason_label(reason), reason) for reason in c.rejection_reasons] or [("Other", "other")]
    body = [
        note(f"Rejecting draft {escape(c.draft_id)} (version {c.version}) ends the review for every group."),
        choice_set(
            ids.REASON,
            "Reason",
            reasons,
            isRequired=True,
            errorMessage="Choose a reason.",
            placeholder="Choose a reason",
        ),
        *comment_input("The author sees the reason and your comment."),
    ]
    return show_card(
        "Reject",
        body,
        [execute(ids.REJECT, "Reject draft", c.draft_id, c.version, style="destructive")],
        style="destructive",
    )


def _justification(justification: str) -> list[Element]:
    if not justification.strip():
        return [text_block("**Override justification:** _none given_")]
    return [
        text_block("**Override justification from the author**"),
        literal(truncate(justification.strip(), 2000)),
    ]


def _acknowledge() -> Element:
    return {
        "type": "Input.Toggle",
        "id": ids.ACKNOWLEDGE_INPUT,
        "title": ACKNOWLEDGEMENT,
        "label": "Override",
        "valueOn": ids.TOGGLE_ON,
        "valueOff": "false",
        "isRequired": True,
        "errorMessage": "Acknowledge the justification to approve an overridden draft.",
    }


# -- reminders, status ----------------------------------------------------------------
def reminder_card(draft: Draft, groups: list[str], *, hours_left: float) -> Card:
    """A reminder for the review channels: which draft, how long is left, who must still decide."""
    left = decision_text.expires_in(hours_left)
    waiting = decision_text.waiting_for(MARKUP, groups)
    return card(
        [
            text_block(
                f"⏰ **Reminder:** reply draft {escape(draft.id)} for {escape(network_label(draft.network))} "
                f"expires {left} without a decision.",
            ),
            text_block(f"Waiting for: {waiting}.", spacing="None"),
        ]
    )


def status_card(draft: Draft, progress: list[GroupProgress]) -> Card:
    """``status <id>``: where a draft stands (no draft text; it may be shown in channels)."""
    current = draft.current
    pairs = decision_text.status_facts(MARKUP, draft)
    body: list[Element] = [heading(f"Draft {escape(draft.id)}"), facts(pairs), *_reply_to(draft.in_reply_to)]
    categories = ", ".join(category_label(c) for c in current.categories[:30])
    body.append(text_block(f"**Found by the scan:** {escape(categories) if categories else 'nothing'}"))
    body.append(text_block(f"**Approvals:** {escape(summary(progress)) or 'none needed'}"))
    if draft.decisions:
        body.append(text_block("**Decisions**"))
        body += [text_block(line, spacing="None") for line in decision_lines(draft)]
    line, color = final_line(
        str(draft.status), draft.final_approver_name, reason=draft.rejection_reason, author=draft.author_name
    )
    if line:
        body.append(text_block(line, color=color))
    if draft.posted_link:
        body.append(runs(("Posted at: ", {"weight": "Bolder"}), truncate(one_line(draft.posted_link), 300)))
        if is_linkable(draft.posted_link):
            body.append(action_set(open_url("Open the posted reply", draft.posted_link)))
    if draft.override_justification is not None:
        body.append(note("The author asked for an override of the PHI scan with a written justification."))
    return card(body)
