"""Posts and updates incident cards in the Slack review channels (outbox kinds ``incident.*``).

Like review cards: a card already posted in a channel is updated in place (chat.update), so a repeated
delivery changes nothing visible; a card someone deleted is posted again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.incidents import URGENT_DAYS, Incident, reminder_text
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


def reminder_line(incident: Incident, now: datetime) -> str:
    """The daily reminder, louder in the last week."""
    mark = ":rotating_light:" if incident.days_left(now) <= URGENT_DAYS else ":bell:"
    return f"{mark} {reminder_text(incident, now)}"


async def remind_in_threads(slack: SlackSurface, payload: dict[str, Any]) -> None:
    """Refresh the cards (the clock moved) and post the reminder once in each card's thread."""
    await show_incident_cards(slack, payload)
    incident_id, revision = str(payload["incident_id"]), int(payload.get("revision", 0))

    def read(tx: Any) -> tuple[Incident, dict[str, str]]:
        return slack.ctx.incidents.get(tx, incident_id), tx.cards.get(incident_id, ids.SURFACE)

    incident, refs = await slack.run(read, write=False)
    line = reminder_line(incident, slack.ctx.incidents.clock.now())
    for channel, ts in refs.items():
        key = f"incident-remind:{incident_id}:{revision}:{channel}"
        done = await slack.run(lambda tx, key=key: tx.requests.claim(ids.SURFACE, key, "pending"))
        if done == "sent":
            continue
        await slack.client.chat_postMessage(channel=channel, thread_ts=ts, text=line, reply_broadcast=True)
        await slack.run(lambda tx, key=key: tx.requests.set_result(ids.SURFACE, key, "sent"))
