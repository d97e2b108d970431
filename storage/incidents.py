"""``tx.incidents``: incidents stored with a compare-and-set revision, and the legal hold they put on drafts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.orm import Session

from bot.errors import ConcurrentUpdate
from bot.incidents import Incident, StepRecord
from storage.orm import DraftRow, IncidentRow


class SqlIncidents:
    """Incidents on one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, incident: Incident) -> None:
        """Store a new incident."""
        self.session.add(IncidentRow(**_columns(incident)))

    def get(self, incident_id: str) -> Incident | None:
        """The incident, or None."""
        row = self.session.get(IncidentRow, incident_id)
        return _incident(row) if row else None

    def save(self, incident: Incident, expected_revision: int) -> None:
        """Write ``incident`` if nobody changed it since ``expected_revision``.

        Raises:
            ConcurrentUpdate: someone else saved first (the caller re-reads and retries).
        """
        columns = _columns(incident)
        del columns["id"]
        result = self.session.execute(
            update(IncidentRow)
            .where(IncidentRow.id == incident.id, IncidentRow.revision == expected_revision)
            .values(**columns)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise ConcurrentUpdate(f"incident {incident.id} changed meanwhile")

    def list(self, status: str | None = None, limit: int = 500) -> list[Incident]:
        """Newest first, optionally only ``open`` or ``closed`` ones."""
        query = select(IncidentRow).order_by(IncidentRow.created_at.desc()).limit(limit)
        if status:
            query = query.where(IncidentRow.status == status)
        return [_incident(row) for row in self.session.scalars(query)]

    def draft_posted_at(self, link: str) -> str | None:
        """The draft whose recorded post link is ``link``, if any."""
        return self.session.scalar(select(DraftRow.id).where(DraftRow.posted_link == link).limit(1))


def on_legal_hold(draft_id: Any) -> ColumnElement[bool]:
    """SQL: the draft is linked to an open incident (its text must not be purged)."""
    return exists().where(IncidentRow.draft_id == draft_id, IncidentRow.status == "open")


def _columns(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "link": incident.link,
        "network": incident.network,
        "categories": list(incident.categories),
        "draft_id": incident.draft_id,
        "approvers": list(incident.approvers),
        "noticed_by": incident.noticed_by,
        "reported_by": incident.reported_by,
        "discovered_at": incident.discovered_at,
        "created_at": incident.created_at,
        "status": incident.status,
        "steps": {
            step: {
                "actor": r.actor,
                "actor_name": r.actor_name,
                "at": r.at.isoformat(),
                "note": r.note,
                "not_applicable": r.not_applicable,
            }
            for step, r in incident.steps.items()
        },
        "outcome": incident.outcome,
        "closed_by": incident.closed_by,
        "closed_at": incident.closed_at,
        "revision": incident.revision,
        "reminded_at": incident.reminded_at,
    }


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _incident(row: IncidentRow) -> Incident:
    steps = {
        step: StepRecord(
            data["actor"],
            data["actor_name"],
            datetime.fromisoformat(data["at"]),
            data["note"],
            data["not_applicable"],
        )
        for step, data in row.steps.items()
    }
    return Incident(
        id=row.id,
        link=row.link,
        network=row.network,
        categories=tuple(row.categories),
        draft_id=row.draft_id,
        approvers=tuple(row.approvers),
        noticed_by=row.noticed_by,
        reported_by=row.reported_by,
        discovered_at=_aware(row.discovered_at),  # type: ignore[arg-type]
        created_at=_aware(row.created_at),  # type: ignore[arg-type]
        status=row.status,
        steps=steps,
        outcome=row.outcome,
        closed_by=row.closed_by,
        closed_at=_aware(row.closed_at),
        revision=row.revision,
        reminded_at=_aware(row.reminded_at),
    )
