"""Delivers outbox messages to Teams: post and update review cards proactively, DMs, reminders.

Cards are posted into each review channel from the conversation reference stored when the bot was
added there; the activity id is kept per (draft, channel) so every later change updates the same card.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import ConversationReference

from bot.cards import review_card
from bot.incidents import URGENT_DAYS, Incident, reminder_text
from bot.incidents import Message as IncidentMessage
from bot.models import Draft
from handlers import delivery
from handlers.teams import ids
from handlers.teams.adapter import with_retries
from handlers.teams.cards import author_outcome_card, reminder_card, thread_text
from handlers.teams.cards import review_card as render_review_card
from handlers.teams.cards.incidents import incident_card
from handlers.teams.surface import TeamsSurface
from storage.repositories import SqlTransaction

log = logging.getLogger(__name__)


class MissingConversation(Exception):  # noqa: N818 - reads as what the operator sees
    """A review channel is configured but the bot was never added there (no conversation reference)."""


@dataclass(frozen=True)
class Snapshot(delivery.Snapshot):
    """A draft as cards show it (``refs``: channel -> activity id), with where cards can be posted."""

    references: dict[str, dict[str, Any]] = field(default_factory=dict)  # channel -> conversation reference


class TeamsNotifier(delivery.CardNotifier[Snapshot]):
    """``bot.ports.Notifier`` for Teams."""

    surface = ids.SURFACE

    def __init__(self, teams: TeamsSurface) -> None:
        self.teams = teams

    async def deliver(self, kind: str, payload: dict[str, Any]) -> None:
        """Incident cards have their own delivery; everything else is about a draft."""
        if kind in (IncidentMessage.POST_CARDS, IncidentMessage.UPDATE_CARDS, IncidentMessage.REMIND):
            await self._incident_cards(str(payload["incident_id"]), remind=kind == IncidentMessage.REMIND)
            return
        await super().deliver(kind, payload)

    async def _incident_cards(self, incident_id: str, *, remind: bool) -> None:
        """Post or update the incident card in every review channel; a reminder also replies in its thread."""
        channels = list(dict.fromkeys(self.teams.review_channels().values()))

        def read(tx: SqlTransaction) -> tuple[Incident, dict[str, str], dict[str, dict[str, Any]]]:
            references = {}
            for channel in channels:
                found = tx.conversations.get(ids.SURFACE, channel)
                if found is not None:
                    references[channel] = found.reference
            incident = self.teams.ctx.incidents.get(tx, incident_id)
            return incident, tx.cards.get(incident_id, ids.SURFACE), references

        incident, refs, references = await self.teams.run(read, write=False)
        now = self.teams.ctx.incidents.clock.now()
        content = incident_card(incident, now)
        for channel in channels:
            reference = references.get(channel)
            if reference is None:
                raise MissingConversation(
                    f"no conversation reference for Teams channel {channel}: add the bot to that team"
                )
            existing = refs.get(channel)
            activity_id = await self._post_or_update(reference, content, existing)
            if activity_id and activity_id != existing:
                await self.teams.run(
                    lambda tx, channel=channel, activity_id=activity_id: tx.cards.put(
                        incident_id, ids.SURFACE, channel, activity_id
                    )
                )
            if remind and activity_id:
                mark = "🚨" if incident.days_left(now) <= URGENT_DAYS else "⏰"
                line = f"{mark} {reminder_text(incident, now)}"
                await self._continue(
                    _in_thread(reference, activity_id),
                    lambda turn_context, line=line: turn_context.send_activity(MessageFactory.text(line)),
                )

    def _read(self, work: Callable[[SqlTransaction], Snapshot]) -> Awaitable[Snapshot]:
        return self.teams.run(work, write=False)

    def _snapshot(self, tx: SqlTransaction, draft_id: str) -> Snapshot:
        base = delivery.read_snapshot(self.teams.ctx.service, tx, draft_id, ids.SURFACE)
        references = {}
        for channel in self.teams.review_channels().values():
            found = tx.conversations.get(ids.SURFACE, channel)
            if found is not None:
                references[channel] = found.reference
        return Snapshot(base.draft, base.progress, base.duplicates, base.refs, references)

    async def _show_cards(self, snapshot: Snapshot) -> None:
        for channel in dict.fromkeys(self.teams.review_channels().values()):
            reference = snapshot.references.get(channel)
            if reference is None:
                raise MissingConversation(
                    f"no conversation reference for Teams channel {channel}: add the bot to that team "
                    "(or @mention it in the channel once), then `phigate teams channels` lists it"
                )
            card = review_card(
                self.teams.ctx.settings,
                snapshot.draft,
                snapshot.progress,
                channel=f"{ids.SURFACE}:{channel}",
                duplicates=snapshot.duplicates,
                show_full_text=True,
            )
            if snapshot.draft.override_justification:
                card.extra["override_justification"] = snapshot.draft.override_justification
            content = render_review_card(card)
            existing = snapshot.refs.get(channel)
            activity_id = await self._post_or_update(reference, content, existing)
            if activity_id and activity_id != existing:
                await self.teams.run(
                    lambda tx, channel=channel, activity_id=activity_id: tx.cards.put(
                        snapshot.draft.id, ids.SURFACE, channel, activity_id
                    )
                )

    async def _post_or_update(
        self, reference: dict[str, Any], content: dict[str, Any], existing: str | None
    ) -> str:
        posted: list[str] = []

        async def callback(turn_context: TurnContext) -> None:
            activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
            if existing:
                activity.id = existing
                await turn_context.update_activity(activity)
                posted.append(existing)
            else:
                response = await turn_context.send_activity(activity)
                posted.append(getattr(response, "id", "") or "")

        await self._continue(reference, callback)
        return posted[0] if posted else ""

    async def _thread_replies(self, snapshot: Snapshot, event: str, revision: int) -> None:
        line = thread_text(snapshot.draft, event)
        refs = await self.teams.run(lambda tx: tx.cards.get(snapshot.draft.id, ids.SURFACE), write=False)
        for channel, activity_id in refs.items():
            reference = snapshot.references.get(channel)
            if reference is None:
                continue
            thread = _in_thread(reference, activity_id)
            await self._continue(
                thread, lambda turn_context: turn_context.send_activity(MessageFactory.text(line))
            )

    async def _notify_author(self, draft: Draft, event: str) -> None:
        if ids.aad_object_id(draft.author) is None:
            return  # written on another surface, which tells its author itself
        found = await self.teams.run(
            lambda tx: tx.conversations.personal(ids.SURFACE, draft.author), write=False
        )
        if found is None:
            log.warning("no 1:1 chat with the author of %s yet; outcome not sent on Teams", draft.id)
            return
        card = author_outcome_card(draft, event)
        await self._continue(
            found.reference,
            lambda turn_context: turn_context.send_activity(
                MessageFactory.attachment(CardFactory.adaptive_card(card))
            ),
        )

    async def _remind(self, snapshot: Snapshot, groups: list[str]) -> None:
        hours_left = delivery.hours_left(self.teams.ctx.service, snapshot.draft)
        card = reminder_card(snapshot.draft, groups, hours_left=hours_left)
        channels = self.teams.review_channels()
        for group in groups:
            channel = channels.get(group)
            reference = snapshot.references.get(channel or "")
            if channel is None or reference is None:
                continue
            activity_id = snapshot.refs.get(channel)
            target = _in_thread(reference, activity_id) if activity_id else reference
            await self._continue(
                target,
                lambda turn_context: turn_context.send_activity(
                    MessageFactory.attachment(CardFactory.adaptive_card(card))
                ),
            )

    async def _continue(self, reference: dict[str, Any], callback: Any) -> None:
        conversation_reference = ConversationReference().deserialize(reference)

        async def attempt() -> None:
            # The adapter hands a turn's exception to on_turn_error and swallows it: keep it, so a
            # failed send is retried here and, failing that, by the outbox, instead of counting as delivered.
            failures: list[Exception] = []

            async def guarded(turn_context: TurnContext) -> None:
                try:
                    await callback(turn_context)
                except Exception as exc:
                    failures.append(exc)

            await self.teams.adapter.continue_conversation(
                conversation_reference, guarded, self.teams.settings.app_id or None
            )
            if failures:
                raise failures[0]

        await with_retries(attempt)


def _in_thread(reference: dict[str, Any], activity_id: str) -> dict[str, Any]:
    """The reference of a channel thread: replies go to ``<channel>;messageid=<root activity id>``."""
    conversation = dict(reference.get("conversation") or {})
    conversation["id"] = f"{conversation.get('id', '')};messageid={activity_id}"
    return {**reference, "conversation": conversation}
