"""``/phigate`` (or ``/phigate submit [text]``): open the submit form."""

from __future__ import annotations

from typing import Any

from bot.models import Network
from handlers.slack.blocks import error_blocks, submit_modal
from handlers.slack.surface import SlackSurface

NOT_A_SUBMITTER = "You are not in a group that may submit drafts."


def submit_form(surface: SlackSurface, *, text: str = "", private_metadata: str = "") -> dict[str, Any]:
    """The submit modal, optionally pre-filled with a draft."""
    return submit_modal(
        networks=[network.value for network in Network],
        text=text,
        max_chars=surface.ctx.settings.policy.max_chars,
        private_metadata=private_metadata,
    )


async def open_submit_form(
    ack: Any, surface: SlackSurface, user_id: str, rest: str, trigger_id: str, **_: Any
) -> None:
    """Open the form at once (a trigger id lives 3 seconds), pre-filled with any text after ``submit``."""
    user = await surface.user(user_id)
    if not surface.ctx.directory.may_submit(user.id):
        detail = "Ask your phigate admin to add you to the social team's group."
        await ack(
            response_type="ephemeral", text=NOT_A_SUBMITTER, blocks=error_blocks(NOT_A_SUBMITTER, detail)
        )
        return
    await ack()
    await surface.client.views_open(trigger_id=trigger_id, view=submit_form(surface, text=rest))
