"""Approve with edits: the approver's text becomes a new version, re-scanned, approved by them."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from handlers.slack.listeners.common import field, text_field
from handlers.slack.listeners.views.decision import decide_from_modal


async def approve_with_edits_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Decide with the edited text (a blocked edit goes back to the author; the workflow says so)."""
    view = body["view"]
    await decide_from_modal(
        ack,
        body,
        context,
        error_block=ids.TEXT_INPUT[0],
        decision="approve",
        text=text_field(view, ids.TEXT_INPUT),
        comment=text_field(view, ids.COMMENT_INPUT),
        acknowledge_override="yes" in (field(view, ids.ACKNOWLEDGE_INPUT) or []),
    )
