"""The privacy officer's close form: the outcome."""

from __future__ import annotations

from typing import Any

from bot.errors import MalformedRequest
from handlers.slack import ids
from handlers.slack.listeners.common import field
from handlers.slack.listeners.views.answer import answer, modal_user


async def incident_close_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Close the incident; problems (open steps, not the privacy officer) show under the outcome."""
    surface, user, metadata = await modal_user(body, context)
    outcome = str(field(body["view"], ids.INCIDENT_OUTCOME_INPUT) or "")
    incident_id = metadata.get("i")
    service = surface.ctx.incidents

    async def work() -> None:
        if not isinstance(incident_id, str):
            raise MalformedRequest("this form is not one phigate understands; open it again from the card")
        await surface.run(lambda tx: service.close(tx, user, incident_id, outcome))

    await answer(ack, surface, user, work, error_block=ids.INCIDENT_OUTCOME_INPUT[0])
