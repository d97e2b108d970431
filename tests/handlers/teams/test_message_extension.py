"""The "Submit for approval" message action: the form pre-filled, then a draft."""

from __future__ import annotations

from handlers.teams import ids
from tests.handlers.teams.conftest import DRAFTS_CHANNEL, OUTSIDER, SOCIAL_USER
from tests.handlers.teams.flows import CLEAR, drafts, install, review_cards, text_of


def test_the_message_action_opens_the_form_and_submits(teams_server, fake_connector) -> None:
    server, client = teams_server
    install(client)
    fetched = client.fetch_task(CLEAR, user=SOCIAL_USER, conversation=DRAFTS_CHANNEL)
    assert fetched.status == 200
    task = fetched.data["task"]
    assert task["type"] == "continue" and "maternity nurses" in text_of(task["value"]["card"])
    values = {
        ids.TEXT: CLEAR,
        ids.NETWORK: "instagram",
        ids.IN_REPLY_TO: "https://instagram.com/p/1",
        ids.CONTEXT: "",
    }
    submitted = client.submit_action(values, user=SOCIAL_USER, conversation=DRAFTS_CHANNEL)
    assert submitted.status == 200
    (draft,) = drafts(server)
    assert draft.network == "instagram" and draft.id in text_of(submitted.data["task"]["value"]["card"])
    review_cards(server, fake_connector, draft.id)


def test_the_message_action_refuses_non_submitters_and_empty_text(teams_server, fake_connector) -> None:
    server, client = teams_server
    refused = client.fetch_task(CLEAR, user=OUTSIDER, conversation=DRAFTS_CHANNEL)
    assert refused.data["task"]["type"] == "message" and "may submit" in refused.data["task"]["value"]
    empty = client.submit_action({ids.TEXT: "  "}, user=SOCIAL_USER, conversation=DRAFTS_CHANNEL)
    assert empty.data["task"]["type"] == "message" and "empty" in empty.data["task"]["value"]
    assert drafts(server) == []
