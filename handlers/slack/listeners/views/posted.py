"""Posted: the author records the link of the live reply."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from handlers.slack.listeners.views.answer import author_action


async def posted_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Mark the draft posted; cards show the link through the outbox."""
    await author_action(
        ack,
        body,
        context,
        ids.POSTED_LINK_INPUT,
        lambda service, tx, user, draft_id, link: service.mark_posted(tx, user, draft_id, link),
    )
