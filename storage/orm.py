"""SQLAlchemy 2.0 typed table models. The schema itself is owned by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, Index, Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.crypto import SealedText


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of phigate's tables."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class DraftRow(Base):
    """A draft's own fields (its text lives in ``draft_texts``)."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    author: Mapped[str] = mapped_column(String(200))
    author_name: Mapped[str] = mapped_column(String(200))
    network: Mapped[str] = mapped_column(String(32))
    in_reply_to: Mapped[str] = mapped_column(String(2000), default="")
    context: Mapped[str] = mapped_column(SealedText, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    reminded_at: Mapped[datetime | None]
    final_approver: Mapped[str | None] = mapped_column(String(200))
    final_approver_name: Mapped[str | None] = mapped_column(String(200))
    final_at: Mapped[datetime | None]
    override_justification: Mapped[str | None] = mapped_column(SealedText)
    posted_link: Mapped[str | None] = mapped_column(String(2000))
    rejection_reason: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_drafts_in_reply_to_status", "in_reply_to", "status"),)


class DraftVersionRow(Base):
    """One text version's scan and hash (never its text)."""

    __tablename__ = "draft_versions"

    draft_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_sha256: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)
    categories: Mapped[list[Any]]
    scan: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(32))


class DraftTextRow(Base):
    """The body of a text version: the only table holding draft text; ``phigate purge`` deletes rows."""

    __tablename__ = "draft_texts"

    draft_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(SealedText)


class DecisionRow(Base):
    """An approver's decision."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(64), default="")
    comment: Mapped[str] = mapped_column(SealedText, default="")
    acknowledges_override: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime]


class AuditEventRow(Base):
    """An append-only, hash-chained audit event (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class OutboxRow(Base):
    """A message for a surface's notifier, delivered after commit with retries and backoff."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    surface: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime]
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_outbox_due", "status", "surface", "available_at"),)


class CardRefRow(Base):
    """Where a surface posted a draft's card (Slack ts, Teams activity id), to update it later."""

    __tablename__ = "card_refs"

    draft_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    surface: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(200), primary_key=True)
    ref: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime]


class ConversationRow(Base):
    """A conversation a surface can post into later (a Teams conversation reference, captured on install)."""

    __tablename__ = "conversations"

    surface: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # channel | personal | groupChat
    user_id: Mapped[str] = mapped_column(String(200), default="", index=True)  # personal chats: the user
    team_id: Mapped[str] = mapped_column(String(300), default="")
    name: Mapped[str] = mapped_column(String(300), default="")
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class RequestKeyRow(Base):
    """A request already handled (platform retry, double click): unique per surface and id."""

    __tablename__ = "request_keys"

    surface: Mapped[str] = mapped_column(String(32), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    result: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(index=True)


class ApiTokenRow(Base):
    """An API token: only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class IncidentRow(Base):
    """A reported post that disclosed PHI and the protocol's progress (``bot.incidents``)."""

    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    link: Mapped[str] = mapped_column(SealedText)
    network: Mapped[str] = mapped_column(String(32))
    categories: Mapped[list[Any]] = mapped_column(JSON)
    draft_id: Mapped[str | None] = mapped_column(String(16), index=True)
    approvers: Mapped[list[Any]] = mapped_column(JSON)
    noticed_by: Mapped[str] = mapped_column(String(200))
    reported_by: Mapped[str] = mapped_column(String(200))
    discovered_at: Mapped[datetime]
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)
    steps: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome: Mapped[str | None] = mapped_column(String(32))
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(Integer)
    reminded_at: Mapped[datetime | None]
