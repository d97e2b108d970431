"""Withdraw: the author takes a pending or blocked draft back."""

from __future__ import annotations

from typing import Any

from handlers.slack.listeners.actions.clicks import read_click
from handlers.slack.listeners.common import tell
from handlers.slack.listeners.drafting import result_blocks


async def withdraw(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Withdraw and show the author the new status in place."""
    await ack()
    try:
        click = await read_click(body, context)
        service = click.surface.ctx.service

        def work(tx: Any) -> Any:
            draft = service.withdraw(tx, click.user, click.draft_id)
            return draft, service.progress(draft)

        draft, progress = await click.surface.run(work)
        await respond(
            replace_original=True,
            text=f"Draft {draft.id}: {draft.status}",
            blocks=result_blocks(click.surface, draft, progress),
        )
    except Exception as exc:
        await tell(respond, exc)
