"""What the core needs from the outside world, as Protocols; storage/ and handlers/ implement them.

Callers own the transaction: a surface opens one ``Transaction`` (storage/), hands it to the workflow,
and commits it, so a decision, its audit event and its outbox messages are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.audit import AuditEvent
from bot.models import Decision, Draft, DraftVersion, Status

if TYPE_CHECKING:  # bot.incidents uses these ports itself
    from bot.incidents import Incident


class Clock(Protocol):
    """The time, injectable for tests."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class DraftRepository(Protocol):
    """Drafts with their versions and decisions."""

    def add(self, draft: Draft) -> None:
        """Store a new draft with its first version."""
        ...

    def get(self, draft_id: str) -> Draft | None:
        """The draft with all its versions and decisions, or None."""
        ...

    def save(self, draft: Draft, expected_revision: int) -> None:
        """Write the draft's own fields if its stored revision is still ``expected_revision``.

        Raises:
            ConcurrentUpdate: someone else changed the draft first.
        """
        ...

    def add_version(self, version: DraftVersion) -> None:
        """Store a new text version (its text in the bodies table)."""
        ...

    def add_decision(self, decision: Decision) -> None:
        """Store an approver's decision."""
        ...

    def list(self, status: Status | None = None, limit: int = 100) -> list[Draft]:
        """Drafts, newest first, optionally with one status."""
        ...

    def open_for_post(self, in_reply_to: str) -> list[str]:
        """Ids of pending drafts answering the same post or comment."""
        ...

    def due_for_expiry(self, now: datetime) -> list[str]:
        """Ids of pending drafts whose expiry time has passed."""
        ...

    def due_for_reminder(self, remind_from: datetime) -> list[str]:
        """Ids of pending, not yet reminded drafts expiring before ``remind_from``."""
        ...


class AuditLog(Protocol):
    """The append-only, hash-chained audit trail."""

    def append(self, event: AuditEvent) -> AuditEvent:
        """Chain ``event`` to the current head (serialized with other appends) and store it."""
        ...

    def events(self, after_seq: int = 0) -> Iterator[AuditEvent]:
        """All events in chain order, streamed."""
        ...


class Outbox(Protocol):
    """Messages for the surfaces, delivered after the transaction commits."""

    def enqueue(self, surface: str, kind: str, payload: dict[str, Any]) -> None:
        """Record a message for ``surface``'s notifier."""
        ...


class RequestLog(Protocol):
    """Seen request ids (platform retries, double clicks), kept in the database."""

    def claim(self, surface: str, request_id: str, result: str = "") -> str | None:
        """Record the request; None if it is new, else the result stored by the first one."""
        ...


class IncidentRepository(Protocol):
    """Stored incidents (``bot.incidents``)."""

    def add(self, incident: Incident) -> None:
        """Store a new incident."""
        ...

    def get(self, incident_id: str) -> Incident | None:
        """The incident, or None."""
        ...

    def save(self, incident: Incident, expected_revision: int) -> None:
        """Write it if unchanged since ``expected_revision`` (else raise ``ConcurrentUpdate``)."""
        ...

    def list(self, status: str | None = None, limit: int = 500) -> list[Incident]:
        """Newest first, optionally only ``open`` or ``closed`` ones."""
        ...

    def draft_posted_at(self, link: str) -> str | None:
        """The draft whose recorded post link is ``link``, if any."""
        ...


class Transaction(Protocol):
    """One unit of work: the repositories share it and commit together."""

    drafts: DraftRepository
    audit: AuditLog
    outbox: Outbox
    requests: RequestLog
    incidents: IncidentRepository


class Directory(Protocol):
    """Who people are: groups, linked accounts, display names."""

    def person(self, user_id: str) -> str:
        """The person behind an account (accounts linked in settings share one)."""
        ...

    def groups_of(self, user_id: str) -> frozenset[str]:
        """Groups the account (or any account linked to it) belongs to."""
        ...

    def name(self, user_id: str) -> str:
        """A display name, or the id."""
        ...

    def may_submit(self, user_id: str) -> bool:
        """True if the user may submit drafts."""
        ...

    def may_audit(self, user_id: str) -> bool:
        """True if the user may export the audit trail."""
        ...


class Notifier(Protocol):
    """A surface's delivery of outbox messages (post or update a card, tell the author)."""

    surface: str

    async def deliver(self, kind: str, payload: dict[str, Any]) -> None:
        """Deliver one message; raise to have it retried later with backoff."""
        ...
