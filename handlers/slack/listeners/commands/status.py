"""``/phigate status <draft id>``: where a draft stands (no draft text: it may be read over shoulders)."""

from __future__ import annotations

from typing import Any

from bot.errors import Forbidden, WorkflowError
from handlers.slack.blocks import error_blocks, status_blocks
from handlers.slack.surface import SlackSurface

USAGE = "Usage: `/phigate status D-XXXXXXXX`"


async def status(ack: Any, surface: SlackSurface, user_id: str, rest: str, **_: Any) -> None:
    """Answer with the draft's status, progress and decisions, to its author, approvers and auditors."""
    draft_id = rest.split()[0].upper() if rest else ""
    if not draft_id:
        await ack(response_type="ephemeral", text=USAGE, blocks=error_blocks("Which draft?", USAGE))
        return
    user = await surface.user(user_id)
    service = surface.ctx.service

    def read(tx: Any) -> list[dict[str, Any]]:
        draft = service.get(tx, draft_id)
        if not service.may_view(user.id, draft):
            raise Forbidden(f"only the author, approvers and auditors may see draft {draft.id}")
        return status_blocks(draft, service.progress(draft))

    try:
        blocks = await surface.run(read, write=False)
    except WorkflowError as exc:
        await ack(response_type="ephemeral", text=exc.message, blocks=error_blocks(exc.message, exc.detail))
        return
    await ack(response_type="ephemeral", text=f"Status of {draft_id}", blocks=blocks)
