"""Edit: open the submit form pre-filled with a pasted message or a blocked draft's text."""

from __future__ import annotations

from typing import Any

from bot.errors import Forbidden, MalformedRequest
from handlers.slack import ids
from handlers.slack.listeners.commands.submit import submit_form
from handlers.slack.listeners.common import tell
from handlers.slack.listeners.drafting import pasted_message
from handlers.slack.surface import surface_of


async def edit_draft(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """A pasted message opens as a new draft; an existing draft opens for resubmission by its author."""
    await ack()
    surface = surface_of(context)
    try:
        value = ids.parse_value((body.get("actions") or [{}])[0].get("value"))
        user = await surface.user(body["user"]["id"])
        if isinstance(value.get("c"), str) and isinstance(value.get("ts"), str):
            text = await pasted_message(surface, user, value["c"], value["ts"])
            metadata = {"c": value["c"], "ts": value["ts"]}
        elif isinstance(value.get("d"), str):
            service = surface.ctx.service
            draft = await surface.run(lambda tx: service.get(tx, value["d"]), write=False)
            if surface.ctx.directory.person(user.id) != surface.ctx.directory.person(draft.author):
                raise Forbidden(f"Only the author of draft {draft.id} can edit it.")
            text, metadata = draft.current.text or "", {"d": draft.id}
        else:
            raise MalformedRequest("this button is not one phigate understands")
        view = submit_form(surface, text=text, private_metadata=ids.dumps(metadata))
        await surface.client.views_open(trigger_id=body.get("trigger_id", ""), view=view)
    except Exception as exc:
        await tell(respond, exc)
