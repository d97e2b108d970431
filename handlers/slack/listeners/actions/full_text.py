"""View full text: the exact draft in a modal only the clicker sees (cards show the redacted preview)."""

from __future__ import annotations

from typing import Any

from bot.cards import full_text_allowed
from bot.errors import Forbidden
from handlers.slack import ids
from handlers.slack.blocks import full_text_modal
from handlers.slack.listeners.actions.clicks import read_click
from handlers.slack.listeners.common import tell


async def show_full_text(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Open the modal for the draft's author, approvers and auditors."""
    await ack()
    try:
        click = await read_click(body, context)
        service = click.surface.ctx.service
        draft = await click.surface.run(lambda tx: service.get(tx, click.draft_id), write=False)
        if not service.may_view(click.user.id, draft):
            raise Forbidden("Only the author, approvers and auditors may read the full text.")
        channel = (body.get("channel") or {}).get("id", "")
        if not full_text_allowed(click.surface.ctx.settings, f"{ids.SURFACE}:{channel}"):
            raise Forbidden(
                "This channel is not listed as covered by the BAA, so the full text is not shown here.",
                "An admin can list it in [cards] full_text_channels.",
            )
        version = next((v for v in draft.versions if v.version == click.version), draft.current)
        view = full_text_modal(draft.id, version.version, version.text)
        await click.surface.client.views_open(trigger_id=click.trigger_id, view=view)
    except Exception as exc:
        await tell(respond, exc)
