"""A decision taken in a modal (approve with edits, reject, acknowledge): the shared submission path."""

from __future__ import annotations

from typing import Any

from bot.errors import MalformedRequest
from handlers.slack.listeners.views.answer import answer, modal_user


async def decide_from_modal(
    ack: Any, body: dict[str, Any], context: dict[str, Any], *, error_block: str, **decision: Any
) -> None:
    """Take ``decision`` (``service.decide`` keywords) on the draft and version the modal was opened for."""
    surface, user, metadata = await modal_user(body, context)
    draft_id, version = metadata.get("d"), metadata.get("v")
    service = surface.ctx.service

    async def work() -> None:
        if not isinstance(draft_id, str) or not isinstance(version, int):
            raise MalformedRequest("this form is not one phigate understands; open it again from the card")
        await surface.run(lambda tx: service.decide(tx, user, draft_id, version=version, **decision))

    await answer(ack, surface, user, work, error_block=error_block)
