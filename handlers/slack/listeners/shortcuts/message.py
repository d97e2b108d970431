"""Message shortcut "Submit reply for approval": the submit form, pre-filled with that message."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from handlers.slack.listeners.commands.submit import NOT_A_SUBMITTER, submit_form
from handlers.slack.surface import surface_of


async def submit_message(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Open the form with the message text; one draft per message, however often the shortcut runs."""
    await ack()
    surface = surface_of(context)
    user = await surface.user(body["user"]["id"])
    if not surface.ctx.directory.may_submit(user.id):
        await surface.client.chat_postMessage(channel=body["user"]["id"], text=NOT_A_SUBMITTER)
        return
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id", "")
    metadata = {"c": channel, "ts": message.get("ts", "")} if channel and message.get("ts") else {}
    view = submit_form(surface, text=str(message.get("text", "")), private_metadata=ids.dumps(metadata))
    await surface.client.views_open(trigger_id=body.get("trigger_id", ""), view=view)
