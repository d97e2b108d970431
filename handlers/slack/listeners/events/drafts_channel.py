"""A message pasted into the drafts channel becomes a draft candidate, answered in its thread.

Only new top-level messages by people count: bot messages, edits, deletions, joins and thread
replies carry a ``subtype``, a ``bot_id`` or a ``thread_ts`` and are left alone.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.approvals import Submission
from handlers.slack.blocks import pasted_message_blocks
from handlers.slack.listeners.commands.submit import NOT_A_SUBMITTER
from handlers.slack.listeners.drafting import pasted_key, result_blocks, submit_once
from handlers.slack.surface import SlackSurface, explain, surface_of


def is_new_draft(event: dict[str, Any], drafts_channel: str) -> bool:
    """True for a person's new top-level message in the drafts channel."""
    return (
        bool(drafts_channel)
        and event.get("channel") == drafts_channel
        and not event.get("subtype")
        and not event.get("bot_id")
        and not event.get("thread_ts")
        and bool(str(event.get("text", "")).strip())
        and bool(event.get("user"))
    )


async def drafts_channel_message(event: dict[str, Any], context: dict[str, Any]) -> None:
    """Scan (or submit, if configured) and reply in the message's thread."""
    surface = surface_of(context)
    if not is_new_draft(event, surface.settings.drafts_channel):
        return
    channel, ts = str(event["channel"]), str(event["ts"])
    user = await surface.user(str(event["user"]))
    try:
        blocks, summary = await _answer(surface, user, event, channel, ts)
    except Exception as exc:
        message, detail = explain(exc)
        blocks, summary = [], f"{message} {detail}".strip()
    await surface.client.chat_postMessage(channel=channel, thread_ts=ts, text=summary, blocks=blocks or None)


async def _answer(
    surface: SlackSurface, user: Any, event: dict[str, Any], channel: str, ts: str
) -> tuple[list[dict[str, Any]], str]:
    text = str(event["text"])
    if not surface.ctx.directory.may_submit(user.id):
        return [], NOT_A_SUBMITTER
    if surface.settings.drafts_auto_submit:
        draft, progress = await submit_once(surface, user, Submission(text=text), pasted_key(channel, ts))
        return result_blocks(surface, draft, progress), f"Draft {draft.id}: {draft.status}"
    result = await asyncio.to_thread(surface.ctx.service.scan, text)
    return pasted_message_blocks(text, result, channel=channel, ts=ts), f"PHI scan: {result.verdict}"
