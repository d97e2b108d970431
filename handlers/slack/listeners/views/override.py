"""Override: a blocked draft goes to the approvers with the author's written justification."""

from __future__ import annotations

from typing import Any

from bot.errors import MalformedRequest
from handlers.slack import ids
from handlers.slack.listeners.common import text_field
from handlers.slack.listeners.views.answer import answer, modal_user


async def override_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Request the override; review cards are posted through the outbox."""
    surface, user, metadata = await modal_user(body, context)
    justification = text_field(body["view"], ids.JUSTIFICATION_INPUT)
    draft_id = metadata.get("d")
    service = surface.ctx.service

    async def work() -> None:
        if not isinstance(draft_id, str):
            raise MalformedRequest("this form is not one phigate understands; open it again")
        await surface.run(lambda tx: service.request_override(tx, user, draft_id, justification))

    await answer(ack, surface, user, work, error_block=ids.JUSTIFICATION_INPUT[0])
