"""Posts and updates incident cards in the Slack review channels (outbox kinds ``incident.*``).

Like review cards: a card already posted in a channel is updated in place (chat.update), so a repeated
delivery changes nothing visible; a card someone deleted is posted again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.incidents import Incident
from handlers.slack import ids
from handlers.slack.blocks.incidents import incident_card
from handlers.slack.surface import SlackSurface

log = logging.getLogger(__name__)
GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


async def show_incident_cards(slack: SlackSurface, payload: dict[str, Any]) -> None:
    """Post or update the incident's card in every review channel."""
    incident_id = str(payload["incident_id"])

    def read(tx: Any) -> tuple[Incident, dict[str, str]]:
        return slack.ctx.incidents.get(tx, incident_id), tx.cards.get(incident_id, ids.SURFACE)

    incident, refs = await slack.run(read, write=False)
    blocks, text = incident_card(incident, slack.ctx.incidents.clock.now())
    for channel in dict.fromkeys(slack.review_channels().values()):
        ts = refs.get(channel)
        if ts is not None:
            try:
                await slack.client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
                continue
            except SlackApiError as exc:
                if exc.response.get("error") not in GONE:
                    raise
                log.info("incident card of %s in %s is gone; posting it again", incident_id, channel)
        response = await slack.client.chat_postMessage(channel=channel, blocks=blocks, text=text)
        posted = str(response["ts"])
        await slack.run(
            lambda tx, channel=channel, posted=posted: tx.cards.put(incident_id, ids.SURFACE, channel, posted)
        )
