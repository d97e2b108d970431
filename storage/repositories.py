"""Repositories implementing ``bot.ports`` on one SQLAlchemy session. They never commit: callers do."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit import GENESIS, AuditEvent
from bot.errors import ConcurrentUpdate
from bot.models import Decision, DecisionKind, Draft, DraftVersion, Network, Status
from storage.incidents import SqlIncidents
from storage.orm import (
    ApiTokenRow,
    AuditEventRow,
    CardRefRow,
    ConversationRow,
    DecisionRow,
    DraftRow,
    DraftTextRow,
    DraftVersionRow,
    OutboxRow,
    RequestKeyRow,
)

# Any constant: the advisory lock that serializes audit appends on PostgreSQL.
AUDIT_LOCK_KEY = 0x5048_4741_5445  # "PHGATE"
# Attempts at reading a draft with its versions and decisions from one moment (see SqlDraftRepository.get).
_CONSISTENT_READ_TRIES = 5
_DRAFT_FIELDS = (
    "status",
    "version",
    "revision",
    "verdict",
    "updated_at",
    "expires_at",
    "reminded_at",
    "final_approver",
    "final_approver_name",
    "final_at",
    "override_justification",
    "posted_link",
    "rejection_reason",
    "context",
)


def _now() -> datetime:
    return datetime.now(UTC)


class SqlDraftRepository:
    """``bot.ports.DraftRepository`` on SQL tables."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, draft: Draft) -> None:
        self.session.add(
            DraftRow(
                id=draft.id,
                author=draft.author,
                author_name=draft.author_name,
                network=str(draft.network),
                in_reply_to=draft.in_reply_to,
                created_at=draft.created_at,
                **{name: _plain(getattr(draft, name)) for name in _DRAFT_FIELDS},
            )
        )
        self.session.flush()
        for version in draft.versions:
            self.add_version(version)

    def get(self, draft_id: str) -> Draft | None:
        # Under READ COMMITTED (PostgreSQL) each SELECT sees the latest commits, so the row and its
        # decisions could come from different moments. Every change to versions or decisions also bumps
        # the row's revision: an unchanged revision after reading them proves they belong together.
        for _ in range(_CONSISTENT_READ_TRIES):
            draft = self._read(draft_id)
            if draft is None:
                return None
            revision = self.session.scalar(select(DraftRow.revision).where(DraftRow.id == draft_id))
            if revision == draft.revision:
                return draft
        raise ConcurrentUpdate(draft_id)

    def _read(self, draft_id: str) -> Draft | None:
        row = self.session.get(DraftRow, draft_id, populate_existing=True)
        if row is None:
            return None
        texts = dict(
            self.session.execute(
                select(DraftTextRow.version, DraftTextRow.text).where(DraftTextRow.draft_id == draft_id)
            ).all()
        )
        versions = self.session.scalars(
            select(DraftVersionRow)
            .where(DraftVersionRow.draft_id == draft_id)
            .order_by(DraftVersionRow.version)
        ).all()
        decisions = self.session.scalars(
            select(DecisionRow).where(DecisionRow.draft_id == draft_id).order_by(DecisionRow.id)
        ).all()
        return _draft(
            row, [_version(v, texts.get(v.version)) for v in versions], [_decision(d) for d in decisions]
        )

    def save(self, draft: Draft, expected_revision: int) -> None:
        values = {name: _plain(getattr(draft, name)) for name in _DRAFT_FIELDS}
        result = self.session.execute(
            update(DraftRow)
            .where(DraftRow.id == draft.id, DraftRow.revision == expected_revision)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentUpdate(draft.id)

    def add_version(self, version: DraftVersion) -> None:
        self.session.add(
            DraftVersionRow(
                draft_id=version.draft_id,
                version=version.version,
                text_sha256=version.text_sha256,
                verdict=version.verdict,
                score=version.score,
                categories=list(version.categories),
                scan=version.scan,
                created_by=version.created_by,
                created_at=version.created_at,
                reason=version.reason,
            )
        )
        if version.text is not None:
            self.session.add(
                DraftTextRow(draft_id=version.draft_id, version=version.version, text=version.text)
            )
        try:
            self.session.flush()
        except IntegrityError:
            raise ConcurrentUpdate(version.draft_id) from None

    def add_decision(self, decision: Decision) -> None:
        row = DecisionRow(
            draft_id=decision.draft_id,
            version=decision.version,
            actor=decision.actor,
            actor_name=decision.actor_name,
            group_name=decision.group,
            kind=str(decision.kind),
            reason=decision.reason,
            comment=decision.comment,
            acknowledges_override=decision.acknowledges_override,
            at=decision.at,
        )
        self.session.add(row)
        self.session.flush()
        decision.id = row.id

    def list(self, status: Status | None = None, limit: int = 100) -> list[Draft]:
        query = select(DraftRow.id).order_by(DraftRow.created_at.desc(), DraftRow.id).limit(limit)
        if status is not None:
            query = query.where(DraftRow.status == str(status))
        drafts = [self.get(draft_id) for draft_id in self.session.scalars(query).all()]
        return [draft for draft in drafts if draft is not None]

    def open_for_post(self, in_reply_to: str) -> list[str]:
        query = select(DraftRow.id).where(
            DraftRow.in_reply_to == in_reply_to, DraftRow.status == str(Status.PENDING)
        )
        return list(self.session.scalars(query.order_by(DraftRow.created_at)).all())

    def due_for_expiry(self, now: datetime) -> list[str]:
        query = select(DraftRow.id).where(DraftRow.status == str(Status.PENDING), DraftRow.expires_at <= now)
        return list(self.session.scalars(query.order_by(DraftRow.expires_at).limit(500)).all())

    def due_for_reminder(self, remind_from: datetime) -> list[str]:
        query = select(DraftRow.id).where(
            DraftRow.status == str(Status.PENDING),
            DraftRow.reminded_at.is_(None),
            DraftRow.expires_at <= remind_from,
        )
        return list(self.session.scalars(query.order_by(DraftRow.expires_at).limit(500)).all())


class SqlAuditLog:
    """``bot.ports.AuditLog``: appends are serialized (advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""

    def __init__(self, session: Session, dialect: str) -> None:
        self.session = session
        self.dialect = dialect

    def head(self) -> tuple[int, str]:
        """The last event's position and hash (0 and the genesis hash when empty)."""
        row = self.session.execute(
            select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
        ).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    def append(self, event: AuditEvent) -> AuditEvent:
        if self.dialect == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
        seq, prev = self.head()
        placed = event.chained(seq + 1, prev)
        self.session.add(
            AuditEventRow(
                seq=placed.seq,
                at=placed.at,
                actor=placed.actor,
                kind=placed.kind,
                subject_type=placed.subject_type,
                subject_id=placed.subject_id,
                version=placed.version,
                text_sha256=placed.text_sha256,
                data=placed.data,
                prev_hash=placed.prev_hash,
                hash=placed.hash,
            )
        )
        self.session.flush()
        return placed

    def events(self, after_seq: int = 0) -> Iterator[AuditEvent]:
        query = (
            select(AuditEventRow)
            .where(AuditEventRow.seq > after_seq)
            .order_by(AuditEventRow.seq)
            .execution_options(yield_per=500)
        )
        for row in self.session.scalars(query):
            yield event_from_row(row)

    def count(self) -> int:
        """How many events are stored."""
        return int(self.session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


def event_from_row(row: AuditEventRow) -> AuditEvent:
    """The core event for a stored row."""
    return AuditEvent(
        at=row.at,
        actor=row.actor,
        kind=row.kind,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        version=row.version,
        text_sha256=row.text_sha256,
        data=dict(row.data or {}),
        seq=row.seq,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class SqlOutbox:
    """``bot.ports.Outbox``: rows that the outbox worker claims and delivers after commit."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def enqueue(self, surface: str, kind: str, payload: dict[str, Any]) -> None:
        now = _now()
        self.session.add(
            OutboxRow(
                surface=surface,
                kind=kind,
                payload=payload,
                status="pending",
                attempts=0,
                available_at=now,
                created_at=now,
            )
        )


class SqlRequestLog:
    """``bot.ports.RequestLog``: a unique key per surface and request id."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, surface: str, request_id: str, result: str = "") -> str | None:
        existing = self.session.get(RequestKeyRow, (surface, request_id))
        if existing is not None:
            return existing.result
        try:
            with self.session.begin_nested():
                self.session.add(
                    RequestKeyRow(surface=surface, request_id=request_id, result=result, created_at=_now())
                )
        except IntegrityError:
            raise ConcurrentUpdate(f"{surface}:{request_id}") from None
        return None

    def set_result(self, surface: str, request_id: str, result: str) -> None:
        """Store what the first request produced (e.g. the draft id) for its repeats."""
        self.session.execute(
            update(RequestKeyRow)
            .where(RequestKeyRow.surface == surface, RequestKeyRow.request_id == request_id)
            .values(result=result)
        )

    def forget_older_than(self, cutoff: datetime) -> int:
        """Drop keys older than ``cutoff`` (retries come within minutes); returns how many."""
        result = self.session.execute(delete(RequestKeyRow).where(RequestKeyRow.created_at < cutoff))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class SqlCardRefs:
    """Where each surface posted each draft's cards."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, draft_id: str, surface: str) -> dict[str, str]:
        """Channel -> message reference for one draft on one surface."""
        rows = self.session.execute(
            select(CardRefRow.channel, CardRefRow.ref).where(
                CardRefRow.draft_id == draft_id, CardRefRow.surface == surface
            )
        ).all()
        return {channel: ref for channel, ref in rows}

    def put(self, draft_id: str, surface: str, channel: str, ref: str) -> None:
        """Remember (or replace) a card's reference."""
        row = self.session.get(CardRefRow, (draft_id, surface, channel))
        if row is None:
            self.session.add(
                CardRefRow(draft_id=draft_id, surface=surface, channel=channel, ref=ref, updated_at=_now())
            )
        else:
            row.ref, row.updated_at = ref, _now()


@dataclass(frozen=True)
class Conversation:
    """A stored conversation reference (no message content: ids, kind, names)."""

    conversation_id: str
    kind: str
    user_id: str
    team_id: str
    name: str
    reference: dict[str, Any]
    updated_at: datetime


class SqlConversations:
    """Conversation references a surface captured (Teams: on install, @mention or 1:1 chat)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def put(
        self,
        surface: str,
        conversation_id: str,
        *,
        kind: str,
        reference: dict[str, Any],
        user_id: str = "",
        team_id: str = "",
        name: str = "",
    ) -> None:
        """Remember (or refresh) a conversation reference; a known name is kept if none is given."""
        row = self.session.get(ConversationRow, (surface, conversation_id))
        if row is None:
            self.session.add(
                ConversationRow(
                    surface=surface,
                    conversation_id=conversation_id,
                    kind=kind,
                    user_id=user_id,
                    team_id=team_id,
                    name=name,
                    reference=reference,
                    updated_at=_now(),
                )
            )
            return
        row.kind, row.reference, row.updated_at = kind, reference, _now()
        row.user_id = user_id or row.user_id
        row.team_id = team_id or row.team_id
        row.name = name or row.name

    def get(self, surface: str, conversation_id: str) -> Conversation | None:
        """One conversation by id."""
        row = self.session.get(ConversationRow, (surface, conversation_id))
        return _conversation(row) if row is not None else None

    def personal(self, surface: str, user_id: str) -> Conversation | None:
        """The newest 1:1 conversation with ``user_id``."""
        row = self.session.scalars(
            select(ConversationRow)
            .where(
                ConversationRow.surface == surface,
                ConversationRow.kind == "personal",
                ConversationRow.user_id == user_id,
            )
            .order_by(ConversationRow.updated_at.desc())
            .limit(1)
        ).first()
        return _conversation(row) if row is not None else None

    def list(self, surface: str) -> list[Conversation]:
        """Every conversation of ``surface``, channels first, by team and name."""
        rows = self.session.scalars(
            select(ConversationRow)
            .where(ConversationRow.surface == surface)
            .order_by(ConversationRow.kind, ConversationRow.team_id, ConversationRow.name)
        ).all()
        return [_conversation(row) for row in rows]


def _conversation(row: ConversationRow) -> Conversation:
    return Conversation(
        row.conversation_id, row.kind, row.user_id, row.team_id, row.name, dict(row.reference), row.updated_at
    )


class SqlTokens:
    """API tokens: ``create`` returns the secret once; only its hash is stored."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, user_id: str, label: str = "") -> tuple[str, str]:
        """A new token for ``user_id``: returns (token id, secret)."""
        token_id = "T-" + secrets.token_hex(4)
        secret = "phg_" + secrets.token_urlsafe(32)
        self.session.add(
            ApiTokenRow(
                id=token_id, user_id=user_id, token_sha256=_sha256(secret), label=label, created_at=_now()
            )
        )
        self.session.flush()
        return token_id, secret

    def user_for(self, secret: str) -> str | None:
        """The user a valid, unrevoked token belongs to."""
        row = self.session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_sha256 == _sha256(secret)))
        if row is None or row.revoked_at is not None:
            return None
        return row.user_id

    def revoke(self, token_id: str) -> bool:
        """Revoke a token by id; False if there is no such active token."""
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def list(self) -> list[ApiTokenRow]:
        """Every token (ids, users, dates; never secrets)."""
        return list(self.session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.created_at)).all())


class SqlTransaction:
    """``bot.ports.Transaction``: every repository on one session."""

    def __init__(self, session: Session, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self.drafts = SqlDraftRepository(session)
        self.audit = SqlAuditLog(session, dialect)
        self.outbox = SqlOutbox(session)
        self.requests = SqlRequestLog(session)
        self.cards = SqlCardRefs(session)
        self.conversations = SqlConversations(session)
        self.tokens = SqlTokens(session)
        self.incidents = SqlIncidents(session)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, (Status, Network)) else value


def _draft(row: DraftRow, versions: list[DraftVersion], decisions: list[Decision]) -> Draft:
    return Draft(
        id=row.id,
        author=row.author,
        author_name=row.author_name,
        network=Network(row.network),
        in_reply_to=row.in_reply_to,
        context=row.context,
        status=Status(row.status),
        version=row.version,
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
        expires_at=row.expires_at,
        verdict=row.verdict,
        reminded_at=row.reminded_at,
        final_approver=row.final_approver,
        final_approver_name=row.final_approver_name,
        final_at=row.final_at,
        override_justification=row.override_justification,
        posted_link=row.posted_link,
        rejection_reason=row.rejection_reason,
        versions=versions,
        decisions=decisions,
    )


def _version(row: DraftVersionRow, body: str | None) -> DraftVersion:
    return DraftVersion(
        draft_id=row.draft_id,
        version=row.version,
        text=body,
        text_sha256=row.text_sha256,
        verdict=row.verdict,
        score=row.score,
        categories=list(row.categories or []),
        scan=dict(row.scan or {}),
        created_by=row.created_by,
        created_at=row.created_at,
        reason=row.reason,
    )


def _decision(row: DecisionRow) -> Decision:
    return Decision(
        draft_id=row.draft_id,
        version=row.version,
        actor=row.actor,
        actor_name=row.actor_name,
        group=row.group_name,
        kind=DecisionKind(row.kind),
        at=row.at,
        reason=row.reason,
        comment=row.comment,
        acknowledges_override=row.acknowledges_override,
        id=row.id,
    )


def retention_cutoff(days: float) -> datetime:
    """Now minus ``days`` (for purge and request-key clean-up)."""
    return _now() - timedelta(days=days)
