"""Reject: open the form with the reason list and a comment."""

from __future__ import annotations

from typing import Any

from handlers.slack.blocks import reject_modal
from handlers.slack.listeners.actions.clicks import read_click, reviewable
from handlers.slack.listeners.common import tell


async def reject(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Open the rejection form (the decision is taken when it is submitted)."""
    await ack()
    try:
        click = await read_click(body, context)
        draft = await reviewable(click)
        reasons = list(click.surface.ctx.settings.policy.rejection_reasons)
        await click.surface.client.views_open(
            trigger_id=click.trigger_id, view=reject_modal(draft.id, draft.version, reasons)
        )
    except Exception as exc:
        await tell(respond, exc)
