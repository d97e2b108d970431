"""What the chat surfaces' notifiers share: a draft as its cards show it, and which outbox message does what."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.approvals import ApprovalService, Message
from bot.models import Draft, GroupProgress
from storage.repositories import SqlTransaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """A draft as cards show it, read in one transaction."""

    draft: Draft
    progress: list[GroupProgress]
    duplicates: list[str]
    refs: dict[str, str]  # channel -> the surface's id of the card posted there


def read_snapshot(service: ApprovalService, tx: SqlTransaction, draft_id: str, surface: str) -> Snapshot:
    """The :class:`Snapshot` of ``draft_id``, with the cards ``surface`` has posted."""
    draft = service.get(tx, draft_id)
    return Snapshot(
        draft, service.progress(draft), service.duplicates(tx, draft), tx.cards.get(draft_id, surface)
    )


def hours_left(service: ApprovalService, draft: Draft) -> float:
    """Hours until ``draft`` expires (never below zero)."""
    return max(0.0, (draft.expires_at - service.clock.now()).total_seconds() / 3600)


S = TypeVar("S", bound=Snapshot)


class CardNotifier(ABC, Generic[S]):
    """A ``bot.ports.Notifier`` for a chat surface: reads a :class:`Snapshot`, then runs the step for the message."""

    async def deliver(self, kind: str, payload: dict[str, Any]) -> None:
        """Deliver one outbox message (raises to be retried later)."""
        draft_id = str(payload["draft_id"])
        snapshot = await self._read(lambda tx: self._snapshot(tx, draft_id))
        if kind in (Message.POST_CARDS, Message.UPDATE_CARDS):
            await self._show_cards(snapshot)
            event = payload.get("event")
            if event:
                await self._thread_replies(snapshot, str(event), int(payload.get("revision", 0)))
        elif kind == Message.NOTIFY_AUTHOR:
            await self._notify_author(snapshot.draft, str(payload.get("event", "")))
        elif kind == Message.REMIND:
            await self._remind(snapshot, list(payload.get("groups") or []))
        else:
            log.warning("unknown outbox message kind %s for draft %s; dropped", kind, draft_id)

    @abstractmethod
    def _read(self, work: Callable[[SqlTransaction], S]) -> Awaitable[S]:
        """Run ``work`` in a read-only transaction."""

    @abstractmethod
    def _snapshot(self, tx: SqlTransaction, draft_id: str) -> S:
        """The draft as its cards on this surface show it."""

    @abstractmethod
    async def _show_cards(self, snapshot: S) -> None:
        """Post or update the review cards."""

    @abstractmethod
    async def _thread_replies(self, snapshot: S, event: str, revision: int) -> None:
        """The line about ``event`` under each card (``revision``: the draft's revision after it)."""

    @abstractmethod
    async def _notify_author(self, draft: Draft, event: str) -> None:
        """Tell the author the outcome, if they wrote the draft on this surface."""

    @abstractmethod
    async def _remind(self, snapshot: S, groups: list[str]) -> None:
        """Remind the review channels of ``groups``."""
