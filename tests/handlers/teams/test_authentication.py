"""With an app id every request needs a valid Bot Framework token; the bot's own calls carry one."""

from __future__ import annotations

import pytest

from tests.handlers.teams.conftest import APP_ID, SOCIAL_USER
from tests.handlers.teams.flows import eventually, text_of
from tests.handlers.teams.support import personal_conversation


def test_a_signed_activity_is_answered_with_the_bot_token(teams_auth_server, fake_connector) -> None:
    _, client = teams_auth_server
    reply = client.message("help", user=SOCIAL_USER)
    assert reply.status == 201
    card = eventually(lambda: fake_connector.last_card(personal_conversation(SOCIAL_USER)))
    assert "scan" in text_of(card)
    posts = fake_connector.calls_to("reply")
    assert posts and all(call.token == fake_connector.access_token for call in posts)


@pytest.mark.parametrize(
    "make_token",
    [
        lambda openid, url: None,
        lambda openid, url: "not-a-jwt",
        lambda openid, url: openid.unknown_issuer_token(APP_ID, url),
        lambda openid, url: openid.wrong_audience_token(APP_ID, url),
        lambda openid, url: openid.expired_token(APP_ID, url),
        lambda openid, url: openid.forged_token(APP_ID, url),
    ],
    ids=["no token", "malformed", "unknown issuer", "wrong audience", "expired", "forged"],
)
def test_bad_tokens_get_401_and_nothing_happens(
    teams_auth_server, fake_connector, local_openid, make_token
) -> None:
    server, client = teams_auth_server
    activity = client.activity("message", SOCIAL_USER, personal_conversation(SOCIAL_USER))
    activity["text"] = "submit Thank you for following us!"
    token = make_token(local_openid, fake_connector.service_url)
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    reply = client.raw(activity, headers=headers)
    assert reply.status == 401
    assert server.db.run(lambda tx: tx.drafts.list(), write=False) == []


def test_malformed_bodies_are_refused_cleanly(teams_server) -> None:
    _, client = teams_server
    assert client.raw(b"{not json", headers={"Content-Type": "application/json"}).status == 400
    assert client.raw(b"text", headers={"Content-Type": "text/plain"}).status == 422
    assert client.raw({"text": "no type"}, headers={"Content-Type": "application/json"}).status == 400
