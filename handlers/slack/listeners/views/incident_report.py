"""The incident report form: open the incident (cards go to the review channels through the outbox)."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from handlers.slack.listeners.common import field, text_field
from handlers.slack.listeners.views.answer import answer, modal_user


async def incident_report_submitted(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Report the post; problems show under the link input."""
    surface, user, _ = await modal_user(body, context)
    view = body["view"]
    categories = field(view, ids.INCIDENT_CATEGORIES_INPUT) or []
    link = text_field(view, ids.INCIDENT_LINK_INPUT)
    draft_id = text_field(view, ids.INCIDENT_DRAFT_INPUT).strip() or None
    noticed_by = text_field(view, ids.INCIDENT_NOTICED_INPUT)
    service = surface.ctx.incidents

    async def work() -> None:
        await surface.run(
            lambda tx: service.report(
                tx, user, link, list(categories), draft_id=draft_id, noticed_by=noticed_by
            )
        )

    await answer(ack, surface, user, work, error_block=ids.INCIDENT_LINK_INPUT[0])
