"""Send for approval: submit a message pasted in the drafts channel (once, however many clicks)."""

from __future__ import annotations

from typing import Any

from bot.approvals import Submission
from bot.errors import MalformedRequest
from handlers.slack import ids
from handlers.slack.listeners.common import tell
from handlers.slack.listeners.drafting import pasted_key, pasted_message, result_blocks, submit_once
from handlers.slack.surface import surface_of


async def send_for_approval(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Submit the pasted text and replace the bot's thread reply with the draft's status."""
    await ack()
    surface = surface_of(context)
    try:
        value = ids.parse_value((body.get("actions") or [{}])[0].get("value"))
        channel, ts = value.get("c"), value.get("ts")
        if not isinstance(channel, str) or not isinstance(ts, str):
            raise MalformedRequest("this button is not one phigate understands; paste the draft again")
        user = await surface.user(body["user"]["id"])
        text = await pasted_message(surface, user, channel, ts)
        draft, progress = await submit_once(surface, user, Submission(text=text), pasted_key(channel, ts))
        await respond(
            replace_original=True,
            text=f"Draft {draft.id}: {draft.status}",
            blocks=result_blocks(surface, draft, progress),
        )
    except Exception as exc:
        await tell(respond, exc)
