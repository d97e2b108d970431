"""The author's side shared by listeners: submit once per source message, fetch a pasted message."""

from __future__ import annotations

from typing import Any

from bot.approvals import Submission
from bot.errors import Forbidden, NotFound
from bot.models import Draft, GroupProgress, User
from handlers import drafting
from handlers.slack import ids
from handlers.slack.blocks import author_draft_blocks
from handlers.slack.surface import SlackSurface


def pasted_key(channel: str, ts: str) -> str:
    """The request key of a message submitted as a draft (one draft per message, however many clicks)."""
    return f"pasted:{channel}:{ts}"


async def submit_once(
    surface: SlackSurface, user: User, submission: Submission, key: str = ""
) -> tuple[Draft, list[GroupProgress]]:
    """Submit a draft; with ``key``, a repeat (double click, retry) returns the first draft instead."""
    return await drafting.submit_once(surface.ctx, ids.SURFACE, user, submission, key)


def result_blocks(surface: SlackSurface, draft: Draft, progress: list[GroupProgress]) -> list[dict[str, Any]]:
    """What the author sees about their draft, with a warning when no review channel is configured."""
    return author_draft_blocks(draft, progress, reviews_posted=not surface.missing_review_channels())


async def pasted_message(surface: SlackSurface, user: User, channel: str, ts: str) -> str:
    """The text of a message pasted as a draft, if ``user`` wrote it.

    Raises:
        NotFound: the message is gone. Forbidden: someone else wrote it.
    """
    response = await surface.client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
    messages = [m for m in response.get("messages", []) if m.get("ts") == ts]
    if not messages:
        raise NotFound("That message is no longer there; paste the draft again.")
    if ids.user_id(str(messages[0].get("user", ""))) != user.id:
        raise Forbidden("Only the person who pasted this draft can send it for approval.")
    return str(messages[0].get("text", ""))
