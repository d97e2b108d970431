"""Approve on a review card."""

from __future__ import annotations

from typing import Any

from handlers.slack.blocks import acknowledge_modal
from handlers.slack.listeners.actions.clicks import needs_acknowledgement, read_click, reviewable
from handlers.slack.listeners.common import tell


async def approve(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Record the approval (the card updates through the outbox); overrides first ask legal to accept."""
    await ack()
    try:
        click = await read_click(body, context)
        draft = await reviewable(click)
        if needs_acknowledgement(click, draft):
            view = acknowledge_modal(draft.id, draft.version, draft.override_justification or "")
            await click.surface.client.views_open(trigger_id=click.trigger_id, view=view)
            return
        service = click.surface.ctx.service
        await click.surface.run(
            lambda tx: service.decide(
                tx, click.user, click.draft_id, version=click.version, decision="approve"
            )
        )
    except Exception as exc:
        await tell(respond, exc)
