"""``/phigate incident <link>``: open the incident report form (link prefilled)."""

from __future__ import annotations

from typing import Any

from handlers.slack.blocks.incidents import report_modal
from handlers.slack.surface import SlackSurface


async def open_incident_form(
    ack: Any, surface: SlackSurface, trigger_id: str, rest: str = "", **_: Any
) -> None:
    """Ack at once, then open the form; who may report is checked when it is submitted."""
    await ack()
    await surface.client.views_open(trigger_id=trigger_id, view=report_modal(rest.strip()[:2000]))
