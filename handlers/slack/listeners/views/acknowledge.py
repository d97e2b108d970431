"""Approve an overridden draft: legal accepts the author's justification explicitly."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from handlers.slack.listeners.common import field, text_field
from handlers.slack.listeners.views.decision import decide_from_modal


async def acknowledge_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Approve with ``acknowledge_override`` set from the required checkbox."""
    view = body["view"]
    await decide_from_modal(
        ack,
        body,
        context,
        error_block=ids.ACKNOWLEDGE_INPUT[0],
        decision="approve",
        comment=text_field(view, ids.COMMENT_INPUT),
        acknowledge_override="yes" in (field(view, ids.ACKNOWLEDGE_INPUT) or []),
    )
