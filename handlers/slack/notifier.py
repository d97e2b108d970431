"""Delivers outbox messages to Slack: post and update review cards, thread replies, DMs, reminders.

Every call is safe to repeat (the outbox retries a message whose delivery raised): a card already
posted in a channel is updated instead of posted again, and thread replies are recorded once sent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.cards import review_card
from bot.incidents import Message as IncidentMessage
from bot.models import Draft
from handlers.delivery import CardNotifier, Snapshot, hours_left, read_snapshot
from handlers.slack import ids
from handlers.slack.blocks import (
    author_outcome_message,
    reminder_text,
    review_card_message,
    thread_reply_text,
)
from handlers.slack.incident_cards import remind_in_threads, show_incident_cards
from handlers.slack.surface import SlackSurface
from storage.repositories import SqlTransaction

log = logging.getLogger(__name__)
# chat.update on a card someone deleted: post a fresh card instead.
GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


class SlackNotifier(CardNotifier[Snapshot]):
    """``bot.ports.Notifier`` for Slack."""

    surface = ids.SURFACE

    def __init__(self, slack: SlackSurface) -> None:
        self.slack = slack

    async def deliver(self, kind: str, payload: dict[str, Any]) -> None:
        """Incident cards have their own delivery; everything else is about a draft."""
        if kind in (IncidentMessage.POST_CARDS, IncidentMessage.UPDATE_CARDS):
            await show_incident_cards(self.slack, payload)
            return
        if kind == IncidentMessage.REMIND:
            await remind_in_threads(self.slack, payload)
            return
        await super().deliver(kind, payload)

    def _read(self, work: Callable[[SqlTransaction], Snapshot]) -> Awaitable[Snapshot]:
        return self.slack.run(work, write=False)

    def _snapshot(self, tx: SqlTransaction, draft_id: str) -> Snapshot:
        return read_snapshot(self.slack.ctx.service, tx, draft_id, ids.SURFACE)

    async def _show_cards(self, snapshot: Snapshot) -> None:
        settings = self.slack.ctx.settings
        for channel in dict.fromkeys(self.slack.review_channels().values()):
            card = review_card(
                settings,
                snapshot.draft,
                snapshot.progress,
                channel=f"{ids.SURFACE}:{channel}",
                duplicates=snapshot.duplicates,
                # Channel history keeps the redacted preview; the full text opens privately on request.
                show_full_text=False,
            )
            blocks, text = review_card_message(card)
            ts = snapshot.refs.get(channel)
            if ts is not None:
                try:
                    await self.slack.client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
                    continue
                except SlackApiError as exc:
                    if exc.response.get("error") not in GONE:
                        raise
                    log.info("card of %s in %s is gone; posting it again", snapshot.draft.id, channel)
            response = await self.slack.client.chat_postMessage(channel=channel, blocks=blocks, text=text)
            posted = str(response["ts"])
            await self.slack.run(
                lambda tx, channel=channel, posted=posted: tx.cards.put(
                    snapshot.draft.id, ids.SURFACE, channel, posted
                )
            )

    async def _thread_replies(self, snapshot: Snapshot, event: str, revision: int) -> None:
        refs = await self.slack.run(lambda tx: tx.cards.get(snapshot.draft.id, ids.SURFACE), write=False)
        line = thread_reply_text(snapshot.draft, event)
        for channel, ts in refs.items():
            key = f"thread:{snapshot.draft.id}:{revision}:{event}:{channel}"
            done = await self.slack.run(lambda tx, key=key: tx.requests.claim(ids.SURFACE, key, "pending"))
            if done == "sent":
                continue
            await self.slack.client.chat_postMessage(channel=channel, thread_ts=ts, text=line)
            await self.slack.run(lambda tx, key=key: tx.requests.set_result(ids.SURFACE, key, "sent"))

    async def _notify_author(self, draft: Draft, event: str) -> None:
        author = ids.slack_user(draft.author)
        if author is None:
            return  # written on another surface, which tells its author itself
        blocks, text = author_outcome_message(draft, event)
        await self.slack.client.chat_postMessage(channel=author, blocks=blocks, text=text)

    async def _remind(self, snapshot: Snapshot, groups: list[str]) -> None:
        draft = snapshot.draft
        text = reminder_text(draft, groups, hours_left=hours_left(self.slack.ctx.service, draft))
        channels = self.slack.review_channels()
        stamp = draft.reminded_at.isoformat() if draft.reminded_at else ""
        for channel in dict.fromkeys(channels[group] for group in groups if group in channels):
            # Sent once per channel: a retry after a later channel failed does not repeat this one.
            key = f"remind:{draft.id}:{stamp}:{channel}"
            done = await self.slack.run(lambda tx, key=key: tx.requests.claim(ids.SURFACE, key, "pending"))
            if done == "sent":
                continue
            await self._post_in_thread(channel, snapshot.refs.get(channel), text)
            await self.slack.run(lambda tx, key=key: tx.requests.set_result(ids.SURFACE, key, "sent"))

    async def _post_in_thread(self, channel: str, thread: str | None, text: str) -> None:
        """Post in the card's thread, broadcast to the channel; in the channel itself if the card is gone."""
        if thread is not None:
            try:
                await self.slack.client.chat_postMessage(
                    channel=channel, text=text, thread_ts=thread, reply_broadcast=True
                )
                return
            except SlackApiError as exc:
                if exc.response.get("error") != "thread_not_found":
                    raise
                log.info("card thread in %s is gone; posting the reminder in the channel", channel)
        await self.slack.client.chat_postMessage(channel=channel, text=text)
