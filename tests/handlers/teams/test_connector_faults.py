"""The Bot Connector throttles or fails: cards still arrive once, updates are retried, time runs on."""

from __future__ import annotations

from handlers import worker
from handlers.teams import ids
from tests.handlers.teams.conftest import COMMS_CHANNEL, LEGAL_CHANNEL, LEGAL_USER, SOCIAL_USER
from tests.handlers.teams.flows import CLEAR, drafts, eventually, install, review_cards, text_of, verbs
from tests.handlers.teams.support import personal_conversation


def test_429_and_502_are_backed_off_and_each_card_is_posted_once(teams_server, fake_connector) -> None:
    server, client = teams_server
    install(client)
    fake_connector.fail_next("post", status=429, retry_after=1)
    fake_connector.fail_next("post", status=502, retry_after=None)
    client.message(f"submit {CLEAR}", user=SOCIAL_USER)
    (draft,) = drafts(server)
    cards = review_cards(server, fake_connector, draft.id)
    for channel in (LEGAL_CHANNEL, COMMS_CHANNEL):
        posted = [a for a in fake_connector.sent(channel) if draft.id in text_of(a)]
        assert len(posted) == 1, channel
    assert set(cards) == {LEGAL_CHANNEL, COMMS_CHANNEL}


def test_a_failing_update_is_retried_by_the_outbox(teams_server, fake_connector) -> None:
    server, client = teams_server
    install(client)
    client.message(f"submit {CLEAR}", user=SOCIAL_USER)
    (draft,) = drafts(server)
    cards = review_cards(server, fake_connector, draft.id)
    fake_connector.fail_next("update", status=500, times=2)
    activity_id, card = cards[LEGAL_CHANNEL]
    client.execute(
        ids.APPROVE,
        verbs(card)[ids.APPROVE],
        user=LEGAL_USER,
        conversation=LEGAL_CHANNEL,
        reply_to_id=activity_id,
    )
    comms_id = cards[COMMS_CHANNEL][0]
    server.clock.advance(minutes=5)  # the outbox's backoff comes due
    eventually(
        lambda: (
            (server.drain() or True)
            and "Dana Whitfield" in text_of(fake_connector.activity(COMMS_CHANNEL, comms_id))
        ),
        timeout=10,
    )


def test_expiry_updates_every_card_and_tells_the_author(teams_server, fake_connector) -> None:
    server, client = teams_server
    install(client)
    client.message(f"submit {CLEAR}", user=SOCIAL_USER)
    (draft,) = drafts(server)
    cards = review_cards(server, fake_connector, draft.id)
    server.clock.advance(hours=server.settings.policy.expiry_hours - 1)
    server.call_soon(worker.tick(server.ctx))
    eventually(
        lambda: any(
            "expires" in text_of(a).lower() or "remind" in text_of(a).lower()
            for a in fake_connector.sent(LEGAL_CHANNEL)[1:]
        )
    )
    server.clock.advance(hours=2)
    server.call_soon(worker.tick(server.ctx))
    for channel, (activity_id, _) in cards.items():
        eventually(
            lambda channel=channel, activity_id=activity_id: (
                verbs(fake_connector.activity(channel, activity_id)) == {}
                and "xpired" in text_of(fake_connector.activity(channel, activity_id))
            )
        )
    chat = personal_conversation(SOCIAL_USER)
    eventually(lambda: any("xpired" in text_of(a) for a in fake_connector.sent(chat)))
