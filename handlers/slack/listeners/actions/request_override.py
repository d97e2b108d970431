"""Request override: the author of a blocked draft asks legal to let it through, in writing."""

from __future__ import annotations

from typing import Any

from bot.approvals import MIN_JUSTIFICATION
from handlers.slack.blocks import override_modal
from handlers.slack.listeners.actions.clicks import read_click
from handlers.slack.listeners.common import tell


async def request_override(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Open the justification form (the workflow checks authorship and status on submit)."""
    await ack()
    try:
        click = await read_click(body, context)
        view = override_modal(click.draft_id, click.version, min_chars=MIN_JUSTIFICATION)
        await click.surface.client.views_open(trigger_id=click.trigger_id, view=view)
    except Exception as exc:
        await tell(respond, exc)
