"""The audit export's rows, streamed from the database, and the purge of unapproved draft bodies.

``export_rows`` reads one joined query with a server-side cursor (``yield_per``) and groups it into
one ``ExportRow`` per draft version, so memory stays constant however many drafts there are. Text is
read only when asked for, and only ever returned for the version that completed the approval policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from bot.models import Status
from storage.incidents import on_legal_hold
from storage.orm import AuditEventRow, DecisionRow, DraftRow, DraftTextRow, DraftVersionRow

BATCH = 500
APPROVED = (str(Status.APPROVED), str(Status.POSTED))
NEVER_APPROVED = tuple(
    str(status) for status in (Status.REJECTED, Status.BLOCKED, Status.EXPIRED, Status.WITHDRAWN)
)


@dataclass(frozen=True)
class ExportDecision:
    """One approver decision on a version (the free-text comment is never exported)."""

    actor: str
    actor_name: str
    at: datetime
    group: str
    decision: str
    reason: str


@dataclass(frozen=True)
class ExportRow:
    """One draft version as the audit export shows it."""

    draft_id: str
    version: int
    created_at: datetime
    author: str
    author_name: str
    network: str
    in_reply_to: str
    verdict: str
    score: float
    categories: list[str]
    version_status: str  # the draft's status for its current version, else "superseded"
    final_status: str  # the draft's status
    final_approver: str | None
    final_approver_name: str | None
    text_sha256: str
    decisions: list[ExportDecision] = field(default_factory=list)
    text: str | None = None

    @property
    def approved(self) -> bool:
        """True for the version that completed the approval policy."""
        return self.version_status in APPROVED


def _window(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(DraftVersionRow.created_at >= since)
    if until is not None:
        conditions.append(DraftVersionRow.created_at < until)
    return conditions


def count_rows(session: Session, since: datetime | None = None, until: datetime | None = None) -> int:
    """How many versions ``export_rows`` will yield for the same window."""
    query = select(func.count()).select_from(DraftVersionRow).where(*_window(since, until))
    return int(session.scalar(query) or 0)


def _query(since: datetime | None, until: datetime | None, include_text: bool) -> Select[Any]:
    is_approved = and_(DraftRow.status.in_(APPROVED), DraftVersionRow.version == DraftRow.version)
    query = (
        select(
            DraftVersionRow.draft_id,
            DraftVersionRow.version,
            DraftVersionRow.created_at,
            DraftRow.author,
            DraftRow.author_name,
            DraftRow.network,
            DraftRow.in_reply_to,
            DraftVersionRow.verdict,
            DraftVersionRow.score,
            DraftVersionRow.categories,
            DraftRow.status,
            DraftRow.version.label("current_version"),
            DraftRow.final_approver,
            DraftRow.final_approver_name,
            DraftVersionRow.text_sha256,
            DecisionRow.actor,
            DecisionRow.actor_name,
            DecisionRow.at,
            DecisionRow.group_name,
            DecisionRow.kind,
            DecisionRow.reason,
            DraftTextRow.text if include_text else literal(None).label("text"),
        )
        .join(DraftRow, DraftRow.id == DraftVersionRow.draft_id)
        .outerjoin(
            DecisionRow,
            and_(
                DecisionRow.draft_id == DraftVersionRow.draft_id,
                DecisionRow.version == DraftVersionRow.version,
            ),
        )
        .where(*_window(since, until))
        .order_by(
            DraftVersionRow.created_at, DraftVersionRow.draft_id, DraftVersionRow.version, DecisionRow.id
        )
    )
    if include_text:
        # Only the approved version's body is ever read.
        query = query.outerjoin(
            DraftTextRow,
            and_(
                is_approved,
                DraftTextRow.draft_id == DraftVersionRow.draft_id,
                DraftTextRow.version == DraftVersionRow.version,
            ),
        )
    return query.execution_options(yield_per=BATCH)


def export_rows(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    include_text: bool = False,
) -> Iterator[ExportRow]:
    """Stream one row per draft version created in ``[since, until)``, oldest first.

    Args:
        session: an open session (its transaction gives the export one consistent view).
        since: first creation time included (UTC); None for no lower bound.
        until: creation time excluded (UTC); None for no upper bound.
        include_text: add the body of the version that completed the policy (approved or posted);
            other versions never carry text.
    """
    current: ExportRow | None = None
    for rec in session.execute(_query(since, until, include_text)):
        key = (rec.draft_id, rec.version)
        if current is None or (current.draft_id, current.version) != key:
            if current is not None:
                yield current
            current = _row(rec)
        if rec.actor is not None:
            current.decisions.append(
                ExportDecision(rec.actor, rec.actor_name, rec.at, rec.group_name, rec.kind, rec.reason or "")
            )
    if current is not None:
        yield current


def _row(rec: Any) -> ExportRow:
    is_current = rec.version == rec.current_version
    version_status = rec.status if is_current else "superseded"
    approved = version_status in APPROVED
    return ExportRow(
        draft_id=rec.draft_id,
        version=rec.version,
        created_at=rec.created_at,
        author=rec.author,
        author_name=rec.author_name,
        network=rec.network,
        in_reply_to=rec.in_reply_to,
        verdict=rec.verdict,
        score=rec.score,
        categories=list(rec.categories or []),
        version_status=version_status,
        final_status=rec.status,
        final_approver=rec.final_approver if approved else None,
        final_approver_name=rec.final_approver_name if approved else None,
        text_sha256=rec.text_sha256,
        text=rec.text if approved else None,
    )


def _purgeable(cutoff: datetime) -> ColumnElement[bool]:
    """Bodies of versions never approved, of drafts whose last change is older than ``cutoff``.

    A draft linked to an open incident is on legal hold: its bodies stay until the incident closes.
    """
    return and_(
        exists().where(
            DraftRow.id == DraftTextRow.draft_id,
            DraftRow.updated_at < cutoff,
            or_(DraftTextRow.version < DraftRow.version, DraftRow.status.in_(NEVER_APPROVED)),
        ),
        ~on_legal_hold(DraftTextRow.draft_id),
    )


def count_purgeable(session: Session, cutoff: datetime) -> int:
    """How many bodies ``purge_bodies`` would remove."""
    query = select(func.count()).select_from(DraftTextRow).where(_purgeable(cutoff))
    return int(session.scalar(query) or 0)


def purge_bodies(session: Session, cutoff: datetime) -> int:
    """Delete the bodies of never-approved versions of drafts last changed before ``cutoff``.

    Never approved: rejected, blocked, expired or withdrawn drafts, and superseded versions.
    Approved and posted text is kept.

    Returns:
        How many bodies were removed.
    """
    result = session.execute(
        delete(DraftTextRow).where(_purgeable(cutoff)).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


EVENT_COLUMNS = (
    "seq",
    "at",
    "actor",
    "kind",
    "subject_type",
    "subject_id",
    "version",
    "text_sha256",
    "data",
    "prev_hash",
    "hash",
)
EVENT_BATCH = 5000


def event_rows(session: Session, since: datetime | None, until: datetime | None) -> Iterator[tuple[Any, ...]]:
    """The stored audit events as plain tuples (``EVENT_COLUMNS``), streamed with a server-side cursor."""
    table = AuditEventRow.__table__
    query = select(*(table.c[name] for name in EVENT_COLUMNS)).order_by(table.c.seq)
    if since is not None:
        query = query.where(table.c.at >= since)
    if until is not None:
        query = query.where(table.c.at < until)
    yield from session.execute(query.execution_options(yield_per=EVENT_BATCH))
