"""Approve with edits: open the edit form pre-filled with the current text."""

from __future__ import annotations

from typing import Any

from bot.cards import full_text_allowed, preview
from handlers.slack import ids
from handlers.slack.blocks import approve_with_edits_modal
from handlers.slack.listeners.actions.clicks import needs_acknowledgement, read_click, reviewable
from handlers.slack.listeners.common import tell


async def approve_with_edits(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Open the form; the edited text is re-scanned and decided on when it is submitted."""
    await ack()
    try:
        click = await read_click(body, context)
        draft = await reviewable(click)
        channel = (body.get("channel") or {}).get("id", "")
        allowed = full_text_allowed(click.surface.ctx.settings, f"{ids.SURFACE}:{channel}")
        # Outside channels covered by the BAA the editor starts from the redacted preview.
        text = (draft.current.text or "") if allowed else preview(draft)
        view = approve_with_edits_modal(
            draft.id,
            draft.version,
            text,
            max_chars=click.surface.ctx.settings.policy.max_chars,
            needs_acknowledgement=needs_acknowledgement(click, draft),
            justification=draft.override_justification or "",
        )
        await click.surface.client.views_open(trigger_id=click.trigger_id, view=view)
    except Exception as exc:
        await tell(respond, exc)
