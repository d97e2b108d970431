"""Override: a blocked draft goes to the approvers with the author's written justification."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from handlers.slack.listeners.views.answer import author_action


async def override_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Request the override; review cards are posted through the outbox."""
    await author_action(
        ack,
        body,
        context,
        ids.JUSTIFICATION_INPUT,
        lambda service, tx, user, draft_id, justification: service.request_override(
            tx, user, draft_id, justification
        ),
    )
