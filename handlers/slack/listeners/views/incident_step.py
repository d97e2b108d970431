"""A checklist step confirmed in its form (screenshot reference, patient contact or not applicable)."""

from __future__ import annotations

from typing import Any

from bot.errors import MalformedRequest
from bot.incidents import Step
from handlers.slack import ids
from handlers.slack.listeners.common import field, text_field
from handlers.slack.listeners.views.answer import answer, modal_user


async def incident_step_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Tick the step the form was opened for; problems show under the note."""
    surface, user, metadata = await modal_user(body, context)
    view = body["view"]
    note = text_field(view, ids.INCIDENT_NOTE_INPUT)
    not_applicable = bool(field(view, ids.INCIDENT_NOT_APPLICABLE_INPUT))
    incident_id, step = metadata.get("i"), metadata.get("s")
    service = surface.ctx.incidents

    async def work() -> None:
        if not isinstance(incident_id, str) or step not in {s.value for s in Step}:
            raise MalformedRequest("this form is not one phigate understands; open it again from the card")
        await surface.run(
            lambda tx: service.tick(tx, user, incident_id, step, note, not_applicable=not_applicable)
        )

    await answer(ack, surface, user, work, error_block=ids.INCIDENT_NOTE_INPUT[0])
