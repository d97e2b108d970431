"""Action.Execute on incident cards: report, tick a step, close, refresh.

Returns the card that replaces the clicked one; a refused click returns the current incident card with
a notice saying why, and changes nothing (every other card follows through the outbox).
"""

from __future__ import annotations

from typing import Any

from bot.errors import WorkflowError
from bot.models import User
from handlers.teams import ids
from handlers.teams.cards import error_card
from handlers.teams.cards.incidents import incident_card
from handlers.teams.surface import TeamsSurface

Card = dict[str, Any]
INCIDENT_VERBS = (ids.INCIDENT_REPORT, ids.INCIDENT_TICK, ids.INCIDENT_CLOSE, ids.INCIDENT_REFRESH)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


async def incident_action(surface: TeamsSurface, user: User, verb: str, data: dict[str, Any]) -> Card:
    """Carry out an incident verb and return the incident's current card."""
    service = surface.ctx.incidents
    if verb == ids.INCIDENT_REPORT:
        categories = [c for c in _text(data, ids.INCIDENT_CATEGORIES).split(",") if c.strip()]
        try:
            incident = await surface.run(
                lambda tx: service.report(
                    tx,
                    user,
                    _text(data, ids.INCIDENT_LINK),
                    categories,
                    draft_id=_text(data, ids.INCIDENT_DRAFT) or None,
                    noticed_by=_text(data, ids.INCIDENT_NOTICED),
                )
            )
        except WorkflowError as exc:
            return error_card(
                exc.message, f"{exc.detail}\nNothing was reported; send 'incident <link>' again."
            )
        return incident_card(incident, service.clock.now())
    incident_id = data.get(ids.INCIDENT)
    if not isinstance(incident_id, str):
        return error_card(
            "This card is not one phigate understands.", "Send 'help' to see what phigate can do."
        )
    notice = None
    try:
        if verb == ids.INCIDENT_TICK:
            step = _text(data, ids.STEP)
            note = _text(data, ids.INCIDENT_NOTE)
            not_applicable = data.get(ids.INCIDENT_NA) == ids.TOGGLE_ON
            await surface.run(
                lambda tx: service.tick(tx, user, incident_id, step, note, not_applicable=not_applicable)
            )
        elif verb == ids.INCIDENT_CLOSE:
            outcome = _text(data, ids.INCIDENT_OUTCOME)
            await surface.run(lambda tx: service.close(tx, user, incident_id, outcome))
    except WorkflowError as exc:
        notice = f"{exc.message} {exc.detail}".strip() + " Nothing was changed."
    try:
        incident = await surface.run(lambda tx: service.get(tx, incident_id), write=False)
    except WorkflowError as exc:
        return error_card(exc.message, exc.detail)
    return incident_card(incident, service.clock.now(), notice)
