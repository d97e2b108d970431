"""The submit form: a new draft (from the form, a pasted message or a shortcut) or an author's edit."""

from __future__ import annotations

from typing import Any

from bot.approvals import Submission
from bot.models import Draft, GroupProgress
from handlers.slack import ids
from handlers.slack.blocks import submitted_modal
from handlers.slack.listeners.common import field, text_field
from handlers.slack.listeners.drafting import pasted_key, submit_once
from handlers.slack.listeners.views.answer import answer, modal_user


async def submit_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Scan and store; the modal then shows the scan result and where the draft went."""
    surface, user, metadata = await modal_user(body, context)
    view = body["view"]
    text = text_field(view, ids.TEXT_INPUT)
    service = surface.ctx.service
    draft_id = metadata.get("d")

    async def work() -> tuple[Draft, list[GroupProgress]]:
        if isinstance(draft_id, str):

            def resubmit(tx: Any) -> tuple[Draft, list[GroupProgress]]:
                draft = service.resubmit(tx, user, draft_id, text)
                return draft, service.progress(draft)

            return await surface.run(resubmit)
        submission = Submission(
            text=text,
            network=str(field(view, ids.NETWORK_INPUT) or "other"),
            in_reply_to=text_field(view, ids.LINK_INPUT),
            context=text_field(view, ids.CONTEXT_INPUT),
        )
        source = metadata.get("c"), metadata.get("ts")
        key = pasted_key(*source) if all(isinstance(part, str) for part in source) else ""
        return await submit_once(surface, user, submission, key)

    def shown(result: tuple[Draft, list[GroupProgress]]) -> dict[str, Any]:
        draft, progress = result
        return submitted_modal(draft, progress, reviews_posted=not surface.missing_review_channels())

    view_id = str(view.get("id") or "")
    await answer(ack, surface, user, work, error_block=ids.TEXT_INPUT[0], done=shown, view_id=view_id)
