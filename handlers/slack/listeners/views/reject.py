"""Reject: a reason code and an optional comment."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from handlers.slack.listeners.common import field, text_field
from handlers.slack.listeners.views.decision import decide_from_modal


async def reject_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Reject the version the card showed."""
    view = body["view"]
    await decide_from_modal(
        ack,
        body,
        context,
        error_block=ids.REASON_INPUT[0],
        decision="reject",
        reason=str(field(view, ids.REASON_INPUT) or ""),
        comment=text_field(view, ids.COMMENT_INPUT),
    )
