"""Submit -> two cards -> legal approves -> comms approves -> final cards -> author DM -> export verifies."""

from __future__ import annotations

import json

from bot.audit import verify
from handlers.slack import ids
from tests.handlers.slack.flows import (
    CLEAR,
    buttons,
    card_calls,
    card_refs,
    drafts,
    eventually,
    latest_card,
    submit_form,
    text_of,
)


def test_a_draft_goes_from_the_form_to_an_approved_reply_and_into_the_export(
    slack_server, fake_slack
) -> None:
    server, client = slack_server

    # The author submits; the form shows the scan result at once.
    reply = submit_form(client, CLEAR)
    assert reply.status == 200
    assert reply.data["response_action"] == "update"
    (draft,) = drafts(server)
    assert draft.id in text_of(reply.data["view"]) and draft.verdict == "clear"

    # One card in each review channel, ts stored per (draft, channel).
    fake_slack.wait_for("chat.postMessage", count=2)
    refs = eventually(lambda: len(card_refs(server, draft.id)) == 2 and card_refs(server, draft.id))
    assert set(refs) == {"C_LEGAL", "C_COMMS"}
    legal_card = latest_card(fake_slack, "C_LEGAL")
    assert set(buttons(legal_card)) >= {ids.APPROVE, ids.APPROVE_WITH_EDITS, ids.REJECT}

    # Legal approves: both cards update with the progress.
    assert client.block_action(ids.APPROVE, buttons(legal_card)[ids.APPROVE], user="U2").status == 200
    fake_slack.wait_for("chat.update", count=2)
    for channel in ("C_LEGAL", "C_COMMS"):
        assert "Dana Whitfield" in text_of(latest_card(fake_slack, channel))
        assert ids.APPROVE in buttons(latest_card(fake_slack, channel))

    # Comms approves: final; every card names the final approver and has no buttons.
    comms_card = latest_card(fake_slack, "C_COMMS")
    assert (
        client.block_action(
            ids.APPROVE, buttons(comms_card)[ids.APPROVE], user="U4", channel="C_COMMS"
        ).status
        == 200
    )
    fake_slack.wait_for("chat.update", count=4)
    for channel in ("C_LEGAL", "C_COMMS"):
        final = latest_card(fake_slack, channel)
        assert "Priya Natarajan" in text_of(final)
        assert buttons(final) == {}
        updates = [call for call in card_calls(fake_slack, channel) if call.method == "chat.update"]
        assert {call.params["ts"] for call in updates} == {refs[channel]}

    # Decisions go to the cards' threads; the author gets a DM with the exact text to post.
    dm = fake_slack.wait_for("chat.postMessage", count=2 + 4 + 1)
    threads = [call for call in fake_slack.calls_to("chat.postMessage") if call.params.get("thread_ts")]
    assert {call.params["channel"] for call in threads} == {"C_LEGAL", "C_COMMS"}
    dms = [call for call in dm if call.params.get("channel") == "U1"]
    assert len(dms) == 1
    assert "Thank you for the kind words" in text_of(dms[0].json_param("blocks"))
    assert CLEAR not in dms[0].params.get("text", "")  # the notification fallback carries no draft text
    assert ids.MARK_POSTED in buttons(dms[0].json_param("blocks"))

    # Legal exports the audit trail to their DM; it contains the decision and the chain verifies.
    reply = client.slash_command("export 2020-01-01 2100-01-01 jsonl", user="U2")
    assert reply.status == 200 and "DM" in reply.body.decode()
    fake_slack.wait_for("files.completeUploadExternal")
    (shared,) = fake_slack.shared_files
    assert shared.channel_id == "DU2"
    lines = [json.loads(line) for line in shared.content.decode().splitlines()]
    (row,) = [line for line in lines if line.get("draft_id") == draft.id]
    assert row["status"] == "approved" and row["final_approver"]["id"] == "slack:U4"
    assert "summary" in lines[-1]
    events = server.db.run(lambda tx: list(tx.audit.events()), write=False)
    assert verify(events).ok
    assert lines[-1]["summary"]["events"] == events[-1].seq
