"""Steps the Teams scenario tests share: install the bot, submit, find cards and their actions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from handlers.teams import ids
from tests.handlers.live_server import LiveServer
from tests.handlers.steps import BLOCK as BLOCK
from tests.handlers.steps import CLEAR as CLEAR
from tests.handlers.steps import REVIEW as REVIEW
from tests.handlers.steps import draft as draft
from tests.handlers.steps import drafts as drafts
from tests.handlers.steps import eventually as eventually
from tests.handlers.steps import surface_card_refs
from tests.handlers.steps import text_of as text_of
from tests.handlers.teams.conftest import COMMS_CHANNEL, LEGAL_CHANNEL, TEAM_ID, TEAM_NAME
from tests.handlers.teams.fake_connector import FakeConnector
from tests.handlers.teams.support import TeamsClient


def install(client: TeamsClient) -> None:
    """Add the bot to the team (Teams sends the install in the General channel)."""
    reply = client.install_in_team(TEAM_ID, TEAM_ID, TEAM_NAME)
    assert reply.status in (200, 201), reply.body


def card_refs(server: LiveServer, draft_id: str) -> dict[str, str]:
    """channel -> activity id of the draft's Teams cards."""
    return surface_card_refs(server, draft_id, ids.SURFACE)


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
