"""A checklist button on an incident card: simple steps are ticked at once, the others open their form."""

from __future__ import annotations

from typing import Any

from bot.errors import MalformedRequest
from bot.incidents import Step
from handlers.slack import ids
from handlers.slack.blocks.incidents import NOTE_STEPS, step_modal
from handlers.slack.listeners.common import tell
from handlers.slack.surface import surface_of


async def incident_tick(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Checked server-side every time: who may tick which step is the service's decision."""
    await ack()
    try:
        surface = surface_of(context)
        user = await surface.user(body["user"]["id"])
        value = ids.parse_value((body.get("actions") or [{}])[0].get("value"))
        incident_id, step_name = value.get("i"), value.get("s")
        if not isinstance(incident_id, str) or step_name not in {s.value for s in Step}:
            raise MalformedRequest("this button is not one phigate understands")
        step = Step(step_name)
        service = surface.ctx.incidents
        if step in NOTE_STEPS:
            incident = await surface.run(lambda tx: service.get(tx, incident_id), write=False)
            if incident.status == "open" and service.roles(user.id):
                await surface.client.views_open(
                    trigger_id=body.get("trigger_id", ""), view=step_modal(incident_id, step)
                )
                return
        await surface.run(lambda tx: service.tick(tx, user, incident_id, step))
    except Exception as exc:
        await tell(respond, exc)
