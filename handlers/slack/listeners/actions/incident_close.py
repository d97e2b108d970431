"""Close on an incident card: the privacy officer picks the outcome in a form."""

from __future__ import annotations

from typing import Any

from bot.errors import Forbidden, MalformedRequest
from bot.incidents import PRIVACY_OFFICER
from handlers.slack import ids
from handlers.slack.blocks.incidents import close_modal
from handlers.slack.listeners.common import tell
from handlers.slack.surface import surface_of


async def incident_close(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Open the close form for the privacy officer; anyone else is told why not."""
    await ack()
    try:
        surface = surface_of(context)
        user = await surface.user(body["user"]["id"])
        incident_id = ids.parse_value((body.get("actions") or [{}])[0].get("value")).get("i")
        if not isinstance(incident_id, str):
            raise MalformedRequest("this button is not one phigate understands")
        if PRIVACY_OFFICER not in surface.ctx.incidents.roles(user.id):
            raise Forbidden("only the privacy officer closes incidents")
        await surface.client.views_open(trigger_id=body.get("trigger_id", ""), view=close_modal(incident_id))
    except Exception as exc:
        await tell(respond, exc)
