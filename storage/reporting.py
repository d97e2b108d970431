"""The rows ``bot.reporting`` computes the review report from (ids, dates, codes; never draft text)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.reporting import DecisionRecord, DraftRecord
from storage.orm import AuditEventRow, DecisionRow, DraftRow, DraftVersionRow

REPORTED_EVENTS = ("expired", "withdrawn", "override_requested")


def report_rows(
    session: Session, since: datetime, until: datetime
) -> tuple[list[DraftRecord], list[DecisionRecord], list[str]]:
    """Drafts submitted or finished in the window, their decisions, and the counted event kinds."""
    drafts_query = (
        select(DraftRow.id, DraftRow.created_at, DraftRow.final_at, DraftRow.status, DraftVersionRow.verdict)
        .join(DraftVersionRow, and_(DraftVersionRow.draft_id == DraftRow.id, DraftVersionRow.version == 1))
        .where(
            or_(
                and_(DraftRow.created_at >= since, DraftRow.created_at < until),
                and_(DraftRow.final_at >= since, DraftRow.final_at < until),
            )
        )
    )
    drafts = [DraftRecord(*(_aware(v) for v in row)) for row in session.execute(drafts_query)]
    ids = [draft.id for draft in drafts]
    decisions_query = select(
        DecisionRow.draft_id,
        DecisionRow.group_name,
        DecisionRow.actor,
        DecisionRow.kind,
        DecisionRow.reason,
        DecisionRow.at,
    ).where(or_(DecisionRow.draft_id.in_(ids), and_(DecisionRow.at >= since, DecisionRow.at < until)))
    decisions = [DecisionRecord(*(_aware(v) for v in row)) for row in session.execute(decisions_query)]
    kinds = session.scalars(
        select(AuditEventRow.kind).where(
            AuditEventRow.kind.in_(REPORTED_EVENTS), AuditEventRow.at >= since, AuditEventRow.at < until
        )
    ).all()
    return drafts, decisions, list(kinds)


def _aware(value: object) -> object:
    # SQLite hands back naive datetimes; they are UTC.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
