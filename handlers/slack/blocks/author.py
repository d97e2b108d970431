"""What the author sees: their draft after submitting, the scan under a pasted message, outcome DMs."""

from __future__ import annotations

import json

from bot.decision_text import latest
from bot.models import DecisionKind, Draft, GroupProgress, Status
from bot.phi.result import ScanResult
from bot.policy import summary
from bot.wording import network_label, reason_label, status_label
from handlers.slack import ids
from handlers.slack.blocks.common import (
    MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    divider,
    fit,
    quoted,
    section,
    verbatim,
)
from handlers.slack.blocks.decisions import name, who
from handlers.slack.blocks.scan import draft_scan_blocks, scan_result_blocks
from handlers.slack.blocks.text import escape, link, when

REVIEWS_NOT_CONFIGURED = (
    "Review channels are not configured yet, so no review cards were posted. Ask your phigate admin "
    "to set PHIGATE_SLACK_LEGAL_CHANNEL and PHIGATE_SLACK_COMMS_CHANNEL."
)
BLOCKED_HELP = (
    "The PHI scan blocked this draft, so it was not sent to the approvers. Edit it and submit it "
    "again, or request an override with a written justification; legal must then acknowledge it."
)


def author_draft_blocks(
    draft: Draft, progress: list[GroupProgress], *, reviews_posted: bool = True
) -> list[Block]:
    """The author's view of a submitted draft: id, status, scan, progress and what they can do next."""
    blocks: list[Block] = [
        section(
            f"*Draft {draft.id}* · {escape(network_label(draft.network))} · {escape(status_label(draft.status))}"
        ),
        *draft_scan_blocks(draft),
    ]
    if draft.status is Status.BLOCKED:
        blocks.append(section(BLOCKED_HELP))
    elif draft.status is Status.PENDING:
        blocks.append(section(f"*Approvals:* {escape(summary(progress)) or 'none needed'}"))
        blocks.append(
            context(f"Open until {when(draft.expires_at)}. You will get a message when it is decided.")
        )
        if not reviews_posted:
            blocks.append(section(REVIEWS_NOT_CONFIGURED))
    value = ids.card_value(draft.id, draft.version)
    if draft.status is Status.BLOCKED:
        blocks.append(
            actions(
                button("Request override", ids.REQUEST_OVERRIDE, value),
                button("Edit", ids.EDIT_DRAFT, value),
            )
        )
    elif draft.status is Status.PENDING:
        withdraw = confirm_dialog(
            "Withdraw this draft?",
            "The review cards will say it was withdrawn and nobody can approve it. You can submit a new draft later.",
            "Withdraw",
            "Keep it",
        )
        blocks.append(actions(button("Withdraw", ids.WITHDRAW, value, confirm=withdraw)))
    return fit(blocks, MESSAGE_BLOCKS)


def pasted_message_blocks(text: str, result: ScanResult, *, channel: str, ts: str) -> list[Block]:
    """The bot's thread reply to a draft pasted in the drafts channel, before it is submitted."""
    value = json.dumps({"c": channel, "ts": ts}, separators=(",", ":"))
    note = "Nothing has been sent yet. Send it for approval as it is, or edit it first."
    if str(result.verdict) == "block":
        note += " A blocked draft is not sent to the approvers; you can then request an override."
    blocks = [
        *scan_result_blocks(text, result, heading="PHI scan of your draft"),
        context(note),
        actions(
            button("Send for approval", ids.SEND_FOR_APPROVAL, value, style="primary"),
            button("Edit", ids.EDIT_DRAFT, value),
        ),
    ]
    return fit(blocks, MESSAGE_BLOCKS)


def author_outcome_message(draft: Draft, event: str) -> tuple[list[Block], str]:
    """The DM telling the author how their draft ended; the fallback text never has the draft text.

    Events: ``approved`` (with the exact text to post and a "Mark as posted" button), ``rejected``,
    ``expired`` and ``edit_blocked`` (an approver's edit was blocked by the scan); others state the status.
    """
    value = ids.card_value(draft.id, draft.version)
    network = escape(network_label(draft.network))
    if event == "approved":
        approver = name(draft.final_approver_name, "the approvers")
        blocks = [
            section(f"✅ *Your reply {draft.id} for {network} is approved.* Final approver: {approver}."),
            *_exact_text(draft),
        ]
        if draft.in_reply_to:
            blocks.append(section(f"*Post it as a reply to*\n{link(draft.in_reply_to)}"))
        blocks.append(context("When it is live, click *Mark as posted* and add the link to your reply."))
        if draft.status is Status.APPROVED:
            blocks.append(actions(button("Mark as posted", ids.MARK_POSTED, value, style="primary")))
        fallback = (
            f"Your reply draft {draft.id} is approved by {approver}. Open this message for the text to post."
        )
        return fit(blocks, MESSAGE_BLOCKS), fallback
    if event == "rejected":
        decision = latest(draft, DecisionKind.REJECT)
        by = who(decision) if decision else name(draft.final_approver_name, "an approver")
        reason = escape(reason_label(decision.reason if decision else draft.rejection_reason or "other"))
        blocks = [section(f"*Your reply {draft.id} for {network} was rejected* by {by}.\n*Reason:* {reason}")]
        if decision and decision.comment.strip():
            blocks += quoted(decision.comment.strip(), "*Comment*")
        blocks.append(context("You can write a new reply that addresses this and submit it again."))
        return fit(blocks, MESSAGE_BLOCKS), f"Your reply draft {draft.id} was rejected by {by}: {reason}."
    if event == "expired":
        text = (
            f"*Your reply {draft.id} for {network} expired* at {when(draft.expires_at)} without a decision. "
            "Submit it again if the reply is still needed."
        )
        return [section(text)], f"Your reply draft {draft.id} expired without a decision."
    if event == "edit_blocked":
        blocks = [
            section(
                f"*An approver edited your reply {draft.id}, and the PHI scan blocked the new text* "
                f"(version {draft.version}). It is back with you."
            ),
            divider(),
            *draft_scan_blocks(draft),
            section(BLOCKED_HELP),
            actions(
                button("Request override", ids.REQUEST_OVERRIDE, value),
                button("Edit", ids.EDIT_DRAFT, value),
            ),
        ]
        return fit(
            blocks, MESSAGE_BLOCKS
        ), f"An approver's edit of your reply draft {draft.id} was blocked by the PHI scan."
    line = f"Your reply draft {draft.id}: {escape(status_label(draft.status))}."
    return [section(line)], line


def _exact_text(draft: Draft) -> list[Block]:
    text = draft.current.text
    if text is None:
        return [section("_The text was removed by the retention policy._")]
    return verbatim(text, f"*Post exactly this text* (version {draft.version}):")
