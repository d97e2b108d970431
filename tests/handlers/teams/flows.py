"""Steps the Teams scenario tests share: install the bot, submit, find cards and their actions."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from bot.models import Draft
from handlers.teams import ids
from tests.handlers.live_server import LiveServer
from tests.handlers.teams.conftest import COMMS_CHANNEL, LEGAL_CHANNEL, TEAM_ID, TEAM_NAME
from tests.handlers.teams.fake_connector import FakeConnector
from tests.handlers.teams.support import TeamsClient

T = TypeVar("T")
CLEAR = "Thank you for the kind words about our maternity nurses! We will share them with the team."
REVIEW = "Sorry your stay on 4 West was so long, we hope you are feeling better."
BLOCK = "Glad your knee surgery went well, John Miller! Your MRN 48213397 is on file."


def install(client: TeamsClient) -> None:
    """Add the bot to the team (Teams sends the install in the General channel)."""
    reply = client.install_in_team(TEAM_ID, TEAM_ID, TEAM_NAME)
    assert reply.status in (200, 201), reply.body


def eventually(probe: Callable[[], T], timeout: float = 5.0) -> T:
    """``probe()`` once it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            assert value, f"still {value!r} after {timeout}s"
            return value
        time.sleep(0.02)


def drafts(server: LiveServer) -> list[Draft]:
    """Every draft, newest first."""
    return server.db.run(lambda tx: tx.drafts.list(limit=1000), write=False)


def draft(server: LiveServer, draft_id: str) -> Draft:
    """One draft, fresh from the database."""
    found = server.db.run(lambda tx: tx.drafts.get(draft_id), write=False)
    assert found is not None
    return found


def card_refs(server: LiveServer, draft_id: str) -> dict[str, str]:
    """channel -> activity id of the draft's Teams cards."""
    return server.db.run(lambda tx: tx.cards.get(draft_id, ids.SURFACE), write=False)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict inside a card, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def verbs(card: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """verb -> data of every Action.Execute in a card."""
    return {
        node["verb"]: node.get("data", {})
        for node in walk(card or {})
        if node.get("type") == "Action.Execute"
    }


def text_of(card: Any) -> str:
    """All text of a card, for assertions on what a person reads."""
    return json.dumps(card, ensure_ascii=False)


def review_cards(
    server: LiveServer, fake: FakeConnector, draft_id: str
) -> dict[str, tuple[str, dict[str, Any]]]:
    """channel -> (activity id, current card) of the draft's review cards, once both are posted."""
    refs = eventually(lambda: len(card_refs(server, draft_id)) == 2 and card_refs(server, draft_id))
    found = {}
    for channel in (LEGAL_CHANNEL, COMMS_CHANNEL):
        activity = fake.activity(channel, refs[channel])
        assert activity is not None
        found[channel] = (refs[channel], _card(activity))
    return found


def _card(activity: dict[str, Any]) -> dict[str, Any]:
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            return attachment["content"]
    raise AssertionError("no Adaptive Card in the activity")
