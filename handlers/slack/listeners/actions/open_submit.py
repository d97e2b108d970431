"""New draft (App Home): open the submit form."""

from __future__ import annotations

from typing import Any

from handlers.slack.listeners.commands.submit import NOT_A_SUBMITTER, submit_form
from handlers.slack.surface import surface_of


async def open_submit(ack: Any, body: dict[str, Any], context: dict[str, Any], client: Any) -> None:
    """Open the empty form for submitters; others get a modal saying why not."""
    await ack()
    surface = surface_of(context)
    user = await surface.user(body["user"]["id"])
    if not surface.ctx.directory.may_submit(user.id):
        await client.chat_postMessage(channel=body["user"]["id"], text=NOT_A_SUBMITTER)
        return
    await surface.client.views_open(trigger_id=body.get("trigger_id", ""), view=submit_form(surface))
