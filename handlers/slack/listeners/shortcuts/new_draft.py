"""Global shortcut "New reply draft": the empty submit form."""

from __future__ import annotations

from typing import Any

from handlers.slack.listeners.commands.submit import open_submit_form
from handlers.slack.surface import surface_of


async def new_draft(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Same as ``/phigate`` with no text."""
    await open_submit_form(
        ack=ack,
        surface=surface_of(context),
        user_id=body["user"]["id"],
        rest="",
        trigger_id=body.get("trigger_id", ""),
        respond=respond,
    )
