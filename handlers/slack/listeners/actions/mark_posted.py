"""Mark as posted: the author records the live reply's link."""

from __future__ import annotations

from typing import Any

from handlers.slack.blocks import posted_modal
from handlers.slack.listeners.actions.clicks import read_click
from handlers.slack.listeners.common import tell


async def mark_posted(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Open the form for the link (checked by the workflow on submit)."""
    await ack()
    try:
        click = await read_click(body, context)
        await click.surface.client.views_open(
            trigger_id=click.trigger_id, view=posted_modal(click.draft_id, click.version)
        )
    except Exception as exc:
        await tell(respond, exc)
