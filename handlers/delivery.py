"""What the chat surfaces' notifiers share: a draft as its cards show it, read in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from bot.approvals import ApprovalService
from bot.models import Draft, GroupProgress
from storage.repositories import SqlTransaction


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
