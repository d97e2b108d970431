"""Action.Execute on review cards: who may decide, stale and final cards, reject, edits, overrides."""

from __future__ import annotations

from handlers.teams import ids
from tests.handlers.teams.conftest import (
    COMMS_CHANNEL,
    COMMS_USER,
    LEGAL_CHANNEL,
    LEGAL_USER,
    OUTSIDER,
    SOCIAL_USER,
)
from tests.handlers.teams.flows import (
    BLOCK,
    CLEAR,
    REVIEW,
    draft,
    drafts,
    eventually,
    install,
    review_cards,
    text_of,
    verbs,
)
from tests.handlers.teams.support import personal_conversation

JUSTIFICATION = "The patient posted this publicly and asked us to reply by name; legal agreed by phone."


def submitted(server, client, fake, text=CLEAR):
    install(client)
    client.message(f"submit {text}", user=SOCIAL_USER)
    (found,) = drafts(server)
    return found, review_cards(server, fake, found.id)


def click(client, cards, verb, user, channel=LEGAL_CHANNEL, inputs=None, data=None):
    activity_id, card = cards[channel]
    return client.execute(
        verb,
        data or verbs(card)[verb],
        user=user,
        conversation=channel,
        reply_to_id=activity_id,
        inputs=inputs,
    )


def test_outsiders_and_the_author_cannot_decide(teams_server, fake_connector) -> None:
    server, client = teams_server
    found, cards = submitted(server, client, fake_connector)
    for user in (OUTSIDER, SOCIAL_USER):
        reply = click(client, cards, ids.APPROVE, user)
        assert reply.status == 200
        assert "Nothing was changed" in text_of(reply.data["value"])
        assert ids.APPROVE in verbs(reply.data["value"])  # the card stays actionable for others
    assert draft(server, found.id).decisions == []


def test_a_stale_version_and_a_final_card_change_nothing(teams_server, fake_connector) -> None:
    server, client = teams_server
    found, cards = submitted(server, client, fake_connector)
    stale = click(client, cards, ids.APPROVE, LEGAL_USER, data={ids.DRAFT: found.id, ids.VERSION: 2})
    assert "has changed" in text_of(stale.data["value"])
    assert click(client, cards, ids.APPROVE, LEGAL_USER).status == 200
    assert click(client, cards, ids.APPROVE, COMMS_USER, channel=COMMS_CHANNEL).status == 200
    late = click(client, cards, ids.REJECT, LEGAL_USER, inputs={ids.REASON: "off_brand"})
    assert "already approved" in text_of(late.data["value"])
    assert [d.kind for d in draft(server, found.id).decisions] == ["approve", "approve"]


def test_a_forged_action_gets_an_explanation(teams_server, fake_connector) -> None:
    server, client = teams_server
    found, cards = submitted(server, client, fake_connector)
    reply = click(client, cards, ids.APPROVE, LEGAL_USER, data={ids.DRAFT: found.id, ids.VERSION: "1"})
    assert reply.status == 200 and "not one phigate understands" in text_of(reply.data["value"])
    reply = click(client, cards, "launch_missiles", LEGAL_USER, data={ids.DRAFT: found.id, ids.VERSION: 1})
    assert "not one phigate understands" in text_of(reply.data["value"])


def test_reject_needs_a_reason_and_tells_the_author(teams_server, fake_connector) -> None:
    server, client = teams_server
    found, cards = submitted(server, client, fake_connector, REVIEW)
    no_reason = click(client, cards, ids.REJECT, LEGAL_USER)
    assert "reason" in text_of(no_reason.data["value"])
    reply = click(
        client,
        cards,
        ids.REJECT,
        LEGAL_USER,
        inputs={ids.REASON: "confirms_patient", ids.COMMENT: "Use the PR reply."},
    )
    assert verbs(reply.data["value"]) == {}
    assert draft(server, found.id).status == "rejected"
    chat = personal_conversation(SOCIAL_USER)
    eventually(lambda: any("Dana Whitfield" in text_of(a) for a in fake_connector.sent(chat)))


def test_approve_with_edits_rescans_and_restarts_the_review(teams_server, fake_connector) -> None:
    server, client = teams_server
    found, cards = submitted(server, client, fake_connector, REVIEW)
    edited = "Thank you for your feedback. Please contact Patient Relations so we can help."
    reply = click(client, cards, ids.APPROVE_WITH_EDITS, LEGAL_USER, inputs={ids.TEXT: edited})
    after = draft(server, found.id)
    assert after.version == 2 and after.current.text == edited and after.current.verdict == "clear"
    assert verbs(reply.data["value"])[ids.APPROVE][ids.VERSION] == 2
    into_phi = click(
        client,
        cards,
        ids.APPROVE_WITH_EDITS,
        COMMS_USER,
        channel=COMMS_CHANNEL,
        inputs={ids.TEXT: BLOCK},
        data={ids.DRAFT: found.id, ids.VERSION: 2},
    )
    assert into_phi.status == 200
    assert draft(server, found.id).status == "blocked"


def test_an_override_needs_legal_to_accept_the_justification(teams_server, fake_connector) -> None:
    server, client = teams_server
    install(client)
    client.message(f"submit {BLOCK}", user=SOCIAL_USER)
    (found,) = drafts(server)
    assert found.status == "blocked"
    chat = personal_conversation(SOCIAL_USER)
    author_card = eventually(lambda: fake_connector.last_card(chat))
    data = verbs(author_card)[ids.REQUEST_OVERRIDE]
    short = client.execute(
        ids.REQUEST_OVERRIDE, data, user=SOCIAL_USER, conversation=chat, inputs={ids.JUSTIFICATION: "pls"}
    )
    assert "justification" in text_of(short.data["value"])
    client.execute(
        ids.REQUEST_OVERRIDE,
        data,
        user=SOCIAL_USER,
        conversation=chat,
        inputs={ids.JUSTIFICATION: JUSTIFICATION},
    )
    cards = review_cards(server, fake_connector, found.id)
    card = cards[LEGAL_CHANNEL][1]
    assert ids.ACKNOWLEDGE in verbs(card) and "legal agreed by phone" in text_of(card)
    unticked = click(client, cards, ids.ACKNOWLEDGE, LEGAL_USER)
    assert "acknowledge" in text_of(unticked.data["value"]).lower()
    assert draft(server, found.id).decisions == []
    click(client, cards, ids.ACKNOWLEDGE, LEGAL_USER, inputs={ids.ACKNOWLEDGE_INPUT: ids.TOGGLE_ON})
    (decision,) = draft(server, found.id).decisions
    assert decision.acknowledges_override
