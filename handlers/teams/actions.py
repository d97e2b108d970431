"""Action.Execute (Universal Actions): decide, override, withdraw, post, send a pasted draft.

Returns the card that replaces the clicked one for everyone who sees it; a refused click returns the
current card with a notice saying why, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from bot.approvals import Submission
from bot.cards import review_card
from bot.errors import MalformedRequest, WorkflowError
from bot.models import Draft, User
from handlers.teams import ids
from handlers.teams.cards import author_draft_card, author_outcome_card, error_card
from handlers.teams.cards import review_card as render_review_card
from handlers.teams.commands import submit_once
from handlers.teams.incident_actions import INCIDENT_VERBS, incident_action
from handlers.teams.surface import TeamsSurface, channel_of
from storage.repositories import SqlTransaction

Card = dict[str, Any]
REVIEWER_VERBS = (ids.APPROVE, ids.APPROVE_WITH_EDITS, ids.REJECT, ids.ACKNOWLEDGE, ids.REFRESH)
DECISION_VERBS = (ids.APPROVE, ids.ACKNOWLEDGE, ids.APPROVE_WITH_EDITS, ids.REJECT)
AUTHOR_VERBS = (ids.REQUEST_OVERRIDE, ids.WITHDRAW, ids.MARK_POSTED)


async def execute(
    surface: TeamsSurface,
    user: User,
    verb: str,
    data: dict[str, Any],
    *,
    conversation_id: str,
    activity_id: str,
) -> Card:
    """Carry out ``verb`` and return the refreshed card."""
    if verb in INCIDENT_VERBS:
        return await incident_action(surface, user, verb, data)
    if verb == ids.SEND_FOR_APPROVAL:
        return await _send_pasted(surface, user, data, conversation_id, activity_id)
    if verb not in REVIEWER_VERBS + AUTHOR_VERBS:
        return error_card(
            "This button is not one phigate understands.", "Send 'help' to see what phigate can do."
        )
    draft_id, version = data.get(ids.DRAFT), data.get(ids.VERSION)
    if not isinstance(draft_id, str) or not isinstance(version, int) or isinstance(version, bool):
        return error_card("This card is not one phigate understands.", "Send 'status <id>' for the draft.")
    notice = None
    try:
        await surface.run(lambda tx: _apply(surface, tx, user, verb, draft_id, version, data))
    except WorkflowError as exc:
        notice = f"{exc.message} {exc.detail}".strip() + " Nothing was changed."
    return await _current_card(surface, verb, draft_id, conversation_id, notice)


def _apply(
    surface: TeamsSurface,
    tx: SqlTransaction,
    user: User,
    verb: str,
    draft_id: str,
    version: int,
    data: dict[str, Any],
) -> None:
    service = surface.ctx.service
    if verb in DECISION_VERBS:
        decision: dict[str, Any] = {"comment": _text(data, ids.COMMENT)}
        if verb == ids.REJECT:
            decision.update(decision="reject", reason=_text(data, ids.REASON))
        else:
            decision["decision"] = "approve"
        if verb in (ids.ACKNOWLEDGE, ids.APPROVE_WITH_EDITS):
            decision["acknowledge_override"] = _text(data, ids.ACKNOWLEDGE_INPUT) == ids.TOGGLE_ON
        if verb == ids.APPROVE_WITH_EDITS:
            decision["text"] = _text(data, ids.TEXT)
        service.decide(tx, user, draft_id, version=version, **decision)
    elif verb == ids.REQUEST_OVERRIDE:
        service.request_override(tx, user, draft_id, _text(data, ids.JUSTIFICATION))
    elif verb == ids.WITHDRAW:
        service.withdraw(tx, user, draft_id)
    elif verb == ids.MARK_POSTED:
        service.mark_posted(tx, user, draft_id, _text(data, ids.POSTED_LINK))


async def _current_card(
    surface: TeamsSurface, verb: str, draft_id: str, conversation_id: str, notice: str | None
) -> Card:
    service = surface.ctx.service

    def read(tx: SqlTransaction) -> Card:
        draft = service.get(tx, draft_id)
        progress = service.progress(draft)
        if verb in AUTHOR_VERBS:
            if verb == ids.MARK_POSTED and notice is None:
                return author_outcome_card(draft, "posted")
            return author_draft_card(
                draft, progress, reviews_posted=not surface.missing_review_channels(), notice=notice
            )
        card = review_card(
            surface.ctx.settings,
            draft,
            progress,
            channel=f"{ids.SURFACE}:{channel_of(conversation_id)}",
            duplicates=service.duplicates(tx, draft),
            show_full_text=True,
        )
        return render_review_card(_with_justification(card, draft), notice=notice)

    try:
        return await surface.run(read, write=False)
    except WorkflowError as exc:
        return error_card(exc.message, exc.detail)


def _with_justification(card: Any, draft: Draft) -> Any:
    if draft.override_justification:
        card.extra["override_justification"] = draft.override_justification
    return card


async def _send_pasted(
    surface: TeamsSurface, user: User, data: dict[str, Any], conversation_id: str, activity_id: str
) -> Card:
    text = data.get(ids.PASTED_TEXT)
    try:
        if not isinstance(text, str):
            raise MalformedRequest("this card is not one phigate understands; paste the draft again")
        key = f"pasted:{channel_of(conversation_id)}:{activity_id}" if activity_id else ""
        draft, progress = await submit_once(surface, user, Submission(text=text), key)
    except WorkflowError as exc:
        return error_card(exc.message, exc.detail)
    return author_draft_card(draft, progress, reviews_posted=not surface.missing_review_channels())


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""
