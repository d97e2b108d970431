"""Modal submissions: submit, reject, approve with edits, override and its acknowledgement, posted."""

from __future__ import annotations

from handlers.slack import ids
from tests.handlers.slack.flows import (
    BLOCK,
    CLEAR,
    REVIEW,
    buttons,
    draft,
    drafts,
    eventually,
    latest_card,
    submit_form,
    text_of,
)
from tests.handlers.slack.support import checkboxes, plain, select, state_value

JUSTIFICATION = "The patient posted this publicly and asked us to reply by name; legal agreed by phone."


def test_an_empty_draft_is_shown_next_to_the_input(slack_server) -> None:
    server, client = slack_server
    reply = submit_form(client, "   ")
    assert reply.status == 200
    assert reply.data["response_action"] == "errors"
    assert "empty" in reply.data["errors"][ids.TEXT_INPUT[0]]
    assert drafts(server) == []


def test_a_blocked_draft_goes_back_to_the_author_with_the_override_option(slack_server, fake_slack) -> None:
    server, client = slack_server
    reply = submit_form(client, BLOCK)
    view = reply.data["view"]
    (found,) = drafts(server)
    assert found.status == "blocked"
    assert ids.REQUEST_OVERRIDE in buttons(view["blocks"]) and ids.EDIT_DRAFT in buttons(view["blocks"])
    client.slash_command("help", user="U1")  # let the outbox run: nothing is posted for a blocked draft
    assert [
        c for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] in ("C_LEGAL", "C_COMMS")
    ] == []

    # The author requests the override; legal must accept the justification to approve.
    override = ids.card_value(found.id, found.version)
    too_short = client.view_submission(
        ids.OVERRIDE_VIEW, state_value(*ids.JUSTIFICATION_INPUT, plain("please")), override, user="U1"
    )
    assert too_short.data["response_action"] == "errors"
    ok = client.view_submission(
        ids.OVERRIDE_VIEW, state_value(*ids.JUSTIFICATION_INPUT, plain(JUSTIFICATION)), override, user="U1"
    )
    assert ok.status == 200 and not ok.body
    fake_slack.wait_for("chat.postMessage", count=2)
    card = latest_card(fake_slack, "C_LEGAL")
    assert "override" in text_of(card).lower()

    client.block_action(ids.APPROVE, buttons(card)[ids.APPROVE], user="U2", trigger_id="T-ack")
    (opened,) = fake_slack.wait_for("views.open")
    view = opened.json_param("view")
    assert view["callback_id"] == ids.ACKNOWLEDGE_VIEW and "legal agreed by phone" in text_of(view)
    unticked = client.view_submission(ids.ACKNOWLEDGE_VIEW, {}, view["private_metadata"], user="U2")
    assert unticked.data["response_action"] == "errors"
    ticked = client.view_submission(
        ids.ACKNOWLEDGE_VIEW,
        state_value(*ids.ACKNOWLEDGE_INPUT, checkboxes("yes")),
        view["private_metadata"],
        user="U2",
    )
    assert ticked.status == 200
    (decision,) = draft(server, found.id).decisions
    assert decision.acknowledges_override


def test_reject_with_a_reason_finishes_the_review_and_tells_the_author(slack_server, fake_slack) -> None:
    server, client = slack_server
    submit_form(client, REVIEW)
    (found,) = drafts(server)
    fake_slack.wait_for("chat.postMessage", count=2)
    metadata = ids.card_value(found.id, 1)
    no_reason = client.view_submission(ids.REJECT_VIEW, {}, metadata, user="U2")
    assert no_reason.data["response_action"] == "errors"
    values = state_value(*ids.REASON_INPUT, select("confirms_patient")) | state_value(
        *ids.COMMENT_INPUT, plain("Confirms a stay; use the patient relations reply.")
    )
    assert client.view_submission(ids.REJECT_VIEW, values, metadata, user="U2").status == 200
    after = draft(server, found.id)
    assert after.status == "rejected" and after.rejection_reason == "confirms_patient"
    fake_slack.wait_for("chat.update", count=2)
    assert buttons(latest_card(fake_slack, "C_COMMS")) == {}
    dms = [c for c in fake_slack.wait_for("chat.postMessage", count=5) if c.params["channel"] == "U1"]
    assert dms and "Dana Whitfield" in text_of(dms[0].json_param("blocks"))


def test_approve_with_edits_rescans_and_approves_the_new_version(slack_server, fake_slack) -> None:
    server, client = slack_server
    submit_form(client, REVIEW)
    (found,) = drafts(server)
    fake_slack.wait_for("chat.postMessage", count=2)
    edited = "Thank you for your feedback. Please contact Patient Relations so we can help."
    values = state_value(*ids.TEXT_INPUT, plain(edited))
    reply = client.view_submission(ids.APPROVE_EDITS_VIEW, values, ids.card_value(found.id, 1), user="U2")
    assert reply.status == 200
    after = draft(server, found.id)
    assert after.version == 2 and after.current.text == edited and after.current.verdict == "clear"
    assert after.decisions[-1].version == 2
    fake_slack.wait_for("chat.update", count=2)
    assert ids.card_value(found.id, 2) in buttons(latest_card(fake_slack, "C_COMMS")).values()


def test_approve_with_edits_into_phi_is_blocked_and_tells_the_author(slack_server, fake_slack) -> None:
    server, client = slack_server
    submit_form(client, CLEAR)
    (found,) = drafts(server)
    fake_slack.wait_for("chat.postMessage", count=2)
    values = state_value(*ids.TEXT_INPUT, plain(BLOCK))
    client.view_submission(ids.APPROVE_EDITS_VIEW, values, ids.card_value(found.id, 1), user="U2")
    assert draft(server, found.id).status == "blocked"
    eventually(lambda: any(c.params["channel"] == "U1" for c in fake_slack.calls_to("chat.postMessage")))


def test_the_author_edits_a_blocked_draft_into_a_new_version(slack_server, fake_slack) -> None:
    server, client = slack_server
    reply = submit_form(client, BLOCK)
    (found,) = drafts(server)
    client.block_action(ids.EDIT_DRAFT, buttons(reply.data["view"]["blocks"])[ids.EDIT_DRAFT], user="U1")
    (opened,) = fake_slack.wait_for("views.open")
    metadata = opened.json_param("view")["private_metadata"]
    assert submit_form(client, CLEAR, private_metadata=metadata).status == 200
    after = draft(server, found.id)
    assert after.version == 2 and after.status == "pending"
    fake_slack.wait_for("chat.postMessage", count=2)


def test_marking_posted_records_the_link(slack_server, fake_slack) -> None:
    server, client = slack_server
    submit_form(client, CLEAR)
    (found,) = drafts(server)
    fake_slack.wait_for("chat.postMessage", count=2)
    client.block_action(ids.APPROVE, buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE], user="U2")
    client.block_action(ids.APPROVE, buttons(latest_card(fake_slack, "C_COMMS"))[ids.APPROVE], user="U4")
    fake_slack.wait_for("chat.update", count=4)  # clicks are acknowledged first and decided after
    metadata = ids.card_value(found.id, 1)
    bad = client.view_submission(
        ids.POSTED_VIEW, state_value(*ids.POSTED_LINK_INPUT, plain("facebook")), metadata, user="U1"
    )
    assert bad.data["response_action"] == "errors"
    link = "https://facebook.com/stmarys/posts/1?comment=9"
    ok = client.view_submission(
        ids.POSTED_VIEW, state_value(*ids.POSTED_LINK_INPUT, plain(link)), metadata, user="U1"
    )
    assert ok.status == 200
    assert draft(server, found.id).posted_link == link
