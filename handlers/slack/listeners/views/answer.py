"""Answering a modal: run the workflow within Slack's 3 seconds, or show problems next to the input."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.approvals import ApprovalService
from bot.errors import MalformedRequest, WorkflowError
from bot.models import User
from handlers.slack import ids
from handlers.slack.blocks import error_blocks
from handlers.slack.listeners.common import text_field, within_budget
from handlers.slack.surface import SlackSurface, explain, surface_of
from storage.repositories import SqlTransaction

log = logging.getLogger(__name__)
T = TypeVar("T")


WORKING_VIEW: dict[str, Any] = {
    "type": "modal",
    "callback_id": ids.INFO_VIEW,
    "title": {"type": "plain_text", "text": "phigate"},
    "close": {"type": "plain_text", "text": "Close"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Scanning your draft for PHI…"}}],
}


async def modal_user(
    body: dict[str, Any], context: dict[str, Any]
) -> tuple[SlackSurface, User, dict[str, Any]]:
    """The surface, the submitting user and the modal's private metadata."""
    surface = surface_of(context)
    user = await surface.user(body["user"]["id"])
    return surface, user, ids.parse_value((body.get("view") or {}).get("private_metadata"))


async def author_action(
    ack: Any,
    body: dict[str, Any],
    context: dict[str, Any],
    input_ids: tuple[str, str],
    act: Callable[[ApprovalService, SqlTransaction, User, str, str], object],
) -> None:
    """An author's action on their draft from a modal with one text input (override, posted link).

    ``act(service, tx, user, draft_id, text)`` runs in a transaction; problems show under the input.
    """
    surface, user, metadata = await modal_user(body, context)
    text = text_field(body["view"], input_ids)
    draft_id = metadata.get("d")
    service = surface.ctx.service

    async def work() -> None:
        if not isinstance(draft_id, str):
            raise MalformedRequest("this form is not one phigate understands; open it again")
        await surface.run(lambda tx: act(service, tx, user, draft_id, text))

    await answer(ack, surface, user, work, error_block=input_ids[0])


async def answer(
    ack: Any,
    surface: SlackSurface,
    user: User,
    work: Callable[[], Awaitable[T]],
    *,
    error_block: str,
    done: Callable[[T], dict[str, Any] | None] | None = None,
    view_id: str = "",
) -> None:
    """Run ``work``; close the modal (or show ``done(result)`` in it), or put the error under ``error_block``.

    Slow work is answered first: a modal that shows a result says "Scanning…" and is updated with the
    result when it is ready (``views.update`` on ``view_id``); others close, and a failure reaches the
    user by DM.
    """
    task = await within_budget(work())
    if not task.done():
        if view_id and done is not None:
            await ack(response_action="update", view=WORKING_VIEW)
            surface.later(_show_late(surface, user, task, view_id, done))
        else:
            await ack()
            surface.later(_finish_late(surface, user, task))
        return
    try:
        result = task.result()
    except Exception as exc:
        message, detail = explain(exc)
        if not isinstance(exc, WorkflowError):
            log.error("modal submission failed: %s", type(exc).__name__)
        await ack(response_action="errors", errors={error_block: f"{message} {detail}".strip()[:300]})
        return
    view = done(result) if done is not None else None
    if view is None:
        await ack()
    else:
        await ack(response_action="update", view=view)


async def _show_late(
    surface: SlackSurface,
    user: User,
    task: Awaitable[T],
    view_id: str,
    done: Callable[[T], dict[str, Any] | None],
) -> None:
    try:
        view = done(await task)
    except Exception as exc:
        message, detail = explain(exc)
        view = {**WORKING_VIEW, "blocks": error_blocks(message, detail)}
    if view is not None:
        await surface.client.views_update(view_id=view_id, view=view)


async def _finish_late(surface: SlackSurface, user: User, task: Awaitable[Any]) -> None:
    try:
        await task
    except Exception as exc:
        message, detail = explain(exc)
        await surface.client.chat_postMessage(
            channel=ids.slack_user(user.id) or "", text=f"{message} {detail}".strip()
        )
