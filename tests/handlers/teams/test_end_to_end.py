"""Install -> submit in a 1:1 chat -> cards in both channels -> legal approves -> comms approves ->
both cards final with the final approver -> the author's outcome -> the audit export verifies."""

from __future__ import annotations

import json

from bot.audit import verify
from handlers.teams import ids
from tests.handlers.teams.conftest import COMMS_CHANNEL, COMMS_USER, LEGAL_CHANNEL, LEGAL_USER, SOCIAL_USER
from tests.handlers.teams.flows import CLEAR, drafts, eventually, install, review_cards, text_of, verbs
from tests.handlers.teams.support import personal_conversation


def test_a_draft_goes_from_a_chat_to_an_approved_reply_and_into_the_export(
    teams_server, fake_connector
) -> None:
    server, client = teams_server
    install(client)
    listed = server.db.run(lambda tx: tx.conversations.list(ids.SURFACE), write=False)
    assert {LEGAL_CHANNEL, COMMS_CHANNEL} <= {c.conversation_id for c in listed}

    # The author submits in a 1:1 chat and sees the scan at once.
    reply = client.message(f"submit {CLEAR}", user=SOCIAL_USER)
    assert reply.status in (200, 201)
    (draft,) = drafts(server)
    author_chat = personal_conversation(SOCIAL_USER)
    answer = eventually(lambda: fake_connector.last_card(author_chat))
    assert draft.id in text_of(answer) and draft.verdict == "clear"

    # A card in each review channel; legal approves through Action.Execute.
    cards = review_cards(server, fake_connector, draft.id)
    legal_id, legal_card = cards[LEGAL_CHANNEL]
    assert {ids.APPROVE, ids.APPROVE_WITH_EDITS, ids.REJECT} <= set(verbs(legal_card))
    data = verbs(legal_card)[ids.APPROVE]
    assert data == {ids.DRAFT: draft.id, ids.VERSION: 1}
    invoke = client.execute(
        ids.APPROVE, data, user=LEGAL_USER, conversation=LEGAL_CHANNEL, reply_to_id=legal_id
    )
    assert invoke.status == 200
    assert (
        invoke.data["statusCode"] == 200 and invoke.data["type"] == "application/vnd.microsoft.card.adaptive"
    )
    assert "Dana Whitfield" in text_of(invoke.data["value"])
    eventually(
        lambda: "Dana Whitfield" in text_of(fake_connector.activity(COMMS_CHANNEL, cards[COMMS_CHANNEL][0]))
    )

    # Comms approves: every card is final, names the final approver and has no actions.
    comms_id, comms_card = cards[COMMS_CHANNEL]
    invoke = client.execute(
        ids.APPROVE,
        verbs(comms_card)[ids.APPROVE],
        user=COMMS_USER,
        conversation=COMMS_CHANNEL,
        reply_to_id=comms_id,
    )
    assert invoke.status == 200 and verbs(invoke.data["value"]) == {}
    for channel, (activity_id, _) in cards.items():
        final = eventually(
            lambda channel=channel, activity_id=activity_id: (
                (activity := fake_connector.activity(channel, activity_id))
                and "Priya Natarajan" in text_of(activity)
                and activity
            )
        )
        assert verbs(final.get("attachments")) == {}
        assert fake_connector.updated(channel, activity_id)  # updated in place, not posted again

    # The author hears the outcome in the 1:1 chat, with the exact text to post.
    outcome = eventually(
        lambda: [a for a in fake_connector.sent(author_chat) if "Priya Natarajan" in text_of(a)]
    )
    assert "maternity nurses" in text_of(outcome[-1])

    # The audit export (legal's API token) contains the decision and the chain verifies.
    _, secret = server.db.run(lambda tx: tx.tokens.create(LEGAL_USER.phigate_id, "audit"))
    exported = server.request("GET", "/api/audit?format=jsonl", token=secret)
    assert exported.status == 200
    lines = [json.loads(line) for line in exported.body.decode().splitlines()]
    (row,) = [line for line in lines if line.get("draft_id") == draft.id]
    assert row["status"] == "approved" and row["final_approver"]["id"] == COMMS_USER.phigate_id
    events = server.db.run(lambda tx: list(tx.audit.events()), write=False)
    assert verify(events).ok and lines[-1]["summary"]["events"] == events[-1].seq


def test_teams_channels_lists_what_the_bot_can_post_to(teams_server, tmp_path, monkeypatch, capsys) -> None:
    from handlers.cli.main import main

    server, client = teams_server
    install(client)
    client.personal_install(SOCIAL_USER)
    url = server.db.url.render_as_string(hide_password=False)
    monkeypatch.setenv("PHIGATE_DATABASE_URL", url)
    monkeypatch.setenv("PHIGATE_TEAMS_LEGAL_CHANNEL", LEGAL_CHANNEL)
    monkeypatch.setenv("PHIGATE_TEAMS_COMMS_CHANNEL", "19:never-added@thread.tacv2")
    assert main(["teams", "channels"]) == 1  # a configured channel the bot was never added to
    captured = capsys.readouterr()
    assert f"{LEGAL_CHANNEL}\tTest Hospital / Legal review\treview channel of legal" in captured.out
    assert "1 person(s) have a 1:1 chat" in captured.out
    assert "19:never-added@thread.tacv2 is configured as the review channel of comms" in captured.err
