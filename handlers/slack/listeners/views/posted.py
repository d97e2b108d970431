"""Posted: the author records the link of the live reply."""

from __future__ import annotations

from typing import Any

from bot.errors import MalformedRequest
from handlers.slack import ids
from handlers.slack.listeners.common import text_field
from handlers.slack.listeners.views.answer import answer, modal_user


async def posted_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Mark the draft posted; cards show the link through the outbox."""
    surface, user, metadata = await modal_user(body, context)
    link = text_field(body["view"], ids.POSTED_LINK_INPUT)
    draft_id = metadata.get("d")
    service = surface.ctx.service

    async def work() -> None:
        if not isinstance(draft_id, str):
            raise MalformedRequest("this form is not one phigate understands; open it again")
        await surface.run(lambda tx: service.mark_posted(tx, user, draft_id, link))

    await answer(ack, surface, user, work, error_block=ids.POSTED_LINK_INPUT[0])
