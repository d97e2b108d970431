"""Modals: submit a draft, approve with edits, reject, request or acknowledge an override, posted, full text.

Input blocks use the (block_id, action_id) pairs of :mod:`handlers.slack.ids`; ``private_metadata``
is ``ids.card_value(draft_id, version)`` so a submission names the version the user saw.
"""

from __future__ import annotations

from typing import Any

from bot.models import Draft, GroupProgress
from bot.wording import network_label, reason_label
from handlers.slack import ids
from handlers.slack.blocks.author import author_draft_blocks
from handlers.slack.blocks.common import (
    OPTIONS,
    Block,
    context,
    modal,
    option,
    plain,
    quoted,
    section,
    verbatim,
)

INPUT_MAX = 3000
ACKNOWLEDGEMENT = "I have read the override justification and accept it"


def _input(
    pair: tuple[str, str],
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str = "",
) -> Block:
    block_id, action_id = pair
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": action_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _text_input(
    *,
    multiline: bool = False,
    initial: str = "",
    max_length: int | None = None,
    min_length: int | None = None,
    placeholder: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline}
    limit = min(max_length or INPUT_MAX, INPUT_MAX)
    if max_length is not None:
        element["max_length"] = limit
    if min_length is not None:
        element["min_length"] = max(0, min(min_length, limit))
    if initial:
        element["initial_value"] = initial[:limit]
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


def _comment_input(label: str = "Comment (optional)", hint: str = "") -> Block:
    return _input(
        ids.COMMENT_INPUT, label, _text_input(multiline=True, max_length=2000), optional=True, hint=hint
    )


def _acknowledge_input() -> Block:
    element = {"type": "checkboxes", "options": [option(ACKNOWLEDGEMENT, "yes")]}
    return _input(ids.ACKNOWLEDGE_INPUT, "Override", element)


def submit_modal(
    *,
    networks: list[str],
    text: str = "",
    in_reply_to: str = "",
    context: str = "",
    network: str = "",
    max_chars: int = 3000,
    private_metadata: str = "",
) -> dict[str, Any]:
    """The form to submit a reply for approval (prefilled when the text comes from a message)."""
    options = [option(network_label(n), n) for n in networks[:OPTIONS]]
    select: dict[str, Any] = {
        "type": "static_select",
        "placeholder": plain("Where will the reply be posted?"),
        "options": options,
    }
    chosen = next((o for o in options if o["value"] == network), None)
    if chosen:
        select["initial_option"] = chosen
    limit = max(1, min(max_chars, INPUT_MAX))
    blocks = [
        _input(ids.NETWORK_INPUT, "Network", select),
        _input(
            ids.LINK_INPUT,
            "Link to the post or comment you are answering",
            _text_input(initial=in_reply_to, max_length=2000, placeholder="https://"),
            optional=True,
            hint="Two pending drafts answering the same post are flagged to the approvers.",
        ),
        _input(
            ids.TEXT_INPUT,
            "Your reply",
            _text_input(multiline=True, initial=text, max_length=limit),
            hint=f"Up to {limit:,} characters. phigate scans it for PHI before anyone else sees it.",
        ),
        _input(
            ids.CONTEXT_INPUT,
            "Note for the approvers (optional)",
            _text_input(multiline=True, initial=context, max_length=2000),
            optional=True,
            hint="Background that helps legal and comms decide. Do not add patient details.",
        ),
    ]
    return modal(
        callback_id=ids.SUBMIT_VIEW,
        title="Submit a reply",
        submit="Scan and submit",
        blocks=blocks,
        private_metadata=private_metadata,
    )


def submitted_modal(draft: Draft, progress: list[GroupProgress], *, reviews_posted: bool) -> dict[str, Any]:
    """The modal after a submission (``response_action: update``): the author's view of the draft."""
    return modal(
        callback_id=ids.INFO_VIEW,
        title="Draft submitted" if str(draft.status) != "blocked" else "Draft blocked",
        close="Close",
        blocks=author_draft_blocks(draft, progress, reviews_posted=reviews_posted),
        private_metadata=ids.card_value(draft.id, draft.version),
    )


def approve_with_edits_modal(
    draft_id: str,
    version: int,
    text: str,
    *,
    max_chars: int = 3000,
    needs_acknowledgement: bool = False,
    justification: str = "",
) -> dict[str, Any]:
    """Edit the text and approve the edited version (it is scanned again; earlier approvals lapse)."""
    limit = max(1, min(max_chars, INPUT_MAX))
    blocks: list[Block] = [
        context(
            f"Your text becomes version {version + 1} of draft {draft_id}. It is scanned for PHI again, "
            "earlier approvals no longer count, and your approval counts for the new text."
        )
    ]
    if needs_acknowledgement:
        blocks += _justification_blocks(justification)
        blocks.append(_acknowledge_input())
    blocks += [
        _input(ids.TEXT_INPUT, "Reply text", _text_input(multiline=True, initial=text, max_length=limit)),
        _comment_input(hint="The author sees your comment."),
    ]
    return modal(
        callback_id=ids.APPROVE_EDITS_VIEW,
        title="Approve with edits",
        submit="Approve",
        blocks=blocks,
        private_metadata=ids.card_value(draft_id, version),
    )


def reject_modal(draft_id: str, version: int, reasons: list[str]) -> dict[str, Any]:
    """Reject a draft: a reason from the configured list and an optional comment for the author."""
    select = {
        "type": "static_select",
        "placeholder": plain("Choose a reason"),
        "options": [option(reason_label(reason), reason) for reason in reasons[:OPTIONS]],
    }
    blocks = [
        section(f"Rejecting draft {draft_id} (version {version}) ends the review for every group."),
        _input(ids.REASON_INPUT, "Reason", select),
        _comment_input(hint="The author sees the reason and your comment."),
    ]
    return modal(
        callback_id=ids.REJECT_VIEW,
        title="Reject draft",
        submit="Reject",
        blocks=blocks,
        private_metadata=ids.card_value(draft_id, version),
    )


def override_modal(draft_id: str, version: int, *, min_chars: int = 20) -> dict[str, Any]:
    """The author asks legal to approve a draft the scan blocked, with a written justification."""
    blocks = [
        section(
            f"The PHI scan blocked draft {draft_id}. If you are sure it is safe to post (for example, the "
            "person shared the same details publicly and asked for a reply), explain why. The draft then "
            "goes to the approvers, and legal must acknowledge your justification to approve it."
        ),
        _input(
            ids.JUSTIFICATION_INPUT,
            "Justification",
            _text_input(multiline=True, min_length=min_chars, max_length=2000),
            hint=f"At least {min_chars} characters. Do not add patient details; they are recorded in the audit trail.",
        ),
    ]
    return modal(
        callback_id=ids.OVERRIDE_VIEW,
        title="Request an override",
        submit="Request override",
        blocks=blocks,
        private_metadata=ids.card_value(draft_id, version),
    )


def acknowledge_modal(draft_id: str, version: int, justification: str) -> dict[str, Any]:
    """Legal approves a blocked draft: read the author's justification and acknowledge it."""
    blocks = [
        section(
            f"The PHI scan blocked draft {draft_id} (version {version}); the author asks for an override. "
            "Approving records that you acknowledged it."
        ),
        *_justification_blocks(justification),
        _acknowledge_input(),
        _comment_input(),
    ]
    return modal(
        callback_id=ids.ACKNOWLEDGE_VIEW,
        title="Acknowledge override",
        submit="Approve",
        blocks=blocks,
        private_metadata=ids.card_value(draft_id, version),
    )


def posted_modal(draft_id: str, version: int) -> dict[str, Any]:
    """The author records where the approved reply went live."""
    blocks = [
        _input(
            ids.POSTED_LINK_INPUT,
            "Link to your posted reply",
            {"type": "url_text_input", "placeholder": plain("https://")},
            hint=f"Recorded in the audit trail with draft {draft_id}.",
        )
    ]
    return modal(
        callback_id=ids.POSTED_VIEW,
        title="Mark as posted",
        submit="Save",
        blocks=blocks,
        private_metadata=ids.card_value(draft_id, version),
    )


def full_text_modal(draft_id: str, version: int, text: str | None) -> dict[str, Any]:
    """The exact text of one version, for approvers in channels that may see it."""
    if text is None:
        blocks: list[Block] = [section("_The text was removed by the retention policy._")]
    else:
        blocks = [
            context(f"Draft {draft_id}, version {version}, exactly as submitted."),
            *verbatim(text),
        ]
    return modal(
        callback_id=ids.INFO_VIEW,
        title=f"Draft {draft_id}",
        close="Close",
        blocks=blocks,
        private_metadata=ids.card_value(draft_id, version),
    )


def _justification_blocks(justification: str) -> list[Block]:
    if not justification.strip():
        return [section("*Override justification:* _none given_")]
    return quoted(justification.strip(), "*Override justification from the author*")
