"""Text messages: commands in a 1:1 chat and by @mention, drafts pasted in the drafts channel."""

from __future__ import annotations

from handlers.teams import ids
from tests.handlers.teams.conftest import DRAFTS_CHANNEL, LEGAL_CHANNEL, LEGAL_USER, OUTSIDER, SOCIAL_USER
from tests.handlers.teams.flows import BLOCK, CLEAR, drafts, eventually, install, review_cards, text_of, verbs
from tests.handlers.teams.support import personal_conversation


def answer_in(fake, conversation):
    return eventually(lambda: fake.last_card(conversation))


def test_help_scan_and_unknown_commands_in_a_personal_chat(teams_server, fake_connector) -> None:
    server, client = teams_server
    chat = personal_conversation(SOCIAL_USER)
    client.message("help", user=SOCIAL_USER)
    assert "scan" in text_of(answer_in(fake_connector, chat))
    client.message(f"scan {BLOCK}", user=SOCIAL_USER)
    eventually(lambda: len(fake_connector.sent(chat)) == 2)
    assert (
        "MEDICAL_RECORD_NUMBER" in text_of(fake_connector.last_card(chat))
        or "medical record" in text_of(fake_connector.last_card(chat)).lower()
    )
    client.message("frobnicate", user=SOCIAL_USER)
    eventually(lambda: len(fake_connector.sent(chat)) == 3)
    assert "not a phigate command" in text_of(fake_connector.last_card(chat))
    assert drafts(server) == []


def test_status_for_the_author_refused_to_outsiders(teams_server, fake_connector) -> None:
    server, client = teams_server
    client.message(f"submit {CLEAR}", user=SOCIAL_USER)
    (draft,) = drafts(server)
    client.message(f"status {draft.id}", user=SOCIAL_USER)
    chat = personal_conversation(SOCIAL_USER)
    eventually(lambda: len(fake_connector.sent(chat)) == 2)
    assert draft.id in text_of(fake_connector.last_card(chat)) and "maternity" not in text_of(
        fake_connector.last_card(chat)
    )
    client.message(f"status {draft.id}", user=OUTSIDER)
    assert "only the author" in text_of(answer_in(fake_connector, personal_conversation(OUTSIDER)))


def test_an_outsider_cannot_submit(teams_server, fake_connector) -> None:
    server, client = teams_server
    client.message(f"submit {CLEAR}", user=OUTSIDER)
    assert "may submit" in text_of(answer_in(fake_connector, personal_conversation(OUTSIDER)))
    assert drafts(server) == []


def test_a_resent_activity_is_handled_once(teams_server, fake_connector) -> None:
    server, client = teams_server
    for _ in range(2):  # Teams re-sends what it got no answer for within ~15 s
        client.message(f"submit {CLEAR}", user=SOCIAL_USER, activity_id="1700000000001")
    assert len(drafts(server)) == 1


def test_channel_messages_need_a_mention_except_in_the_drafts_channel(teams_server, fake_connector) -> None:
    server, client = teams_server
    install(client)
    client.message("help", user=SOCIAL_USER, channel_id=LEGAL_CHANNEL)  # not for us
    client.message("help", user=SOCIAL_USER, channel_id=LEGAL_CHANNEL, mentions_bot=True)
    eventually(lambda: fake_connector.sent(LEGAL_CHANNEL))
    assert len(fake_connector.sent(LEGAL_CHANNEL)) == 1

    # A draft pasted in the drafts channel gets the scan and "Send for approval".
    client.message(CLEAR, user=SOCIAL_USER, channel_id=DRAFTS_CHANNEL, activity_id="1700000000100")
    pasted = answer_in(fake_connector, DRAFTS_CHANNEL)
    data = verbs(pasted)[ids.SEND_FOR_APPROVAL]
    assert drafts(server) == []
    for _ in range(2):  # a double click: one draft
        invoke = client.execute(
            ids.SEND_FOR_APPROVAL,
            data,
            user=SOCIAL_USER,
            conversation=DRAFTS_CHANNEL,
            reply_to_id="1700000000100",
        )
        assert invoke.status == 200
    (draft,) = drafts(server)
    assert draft.id in text_of(invoke.data["value"])
    review_cards(server, fake_connector, draft.id)


def test_a_legal_member_gets_help_with_export_mentioned(teams_server, fake_connector) -> None:
    _, client = teams_server
    client.message("help", user=LEGAL_USER)
    assert "export" in text_of(answer_in(fake_connector, personal_conversation(LEGAL_USER))).lower()
