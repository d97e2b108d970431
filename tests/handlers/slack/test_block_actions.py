"""Buttons on review cards: who may click, stale and final cards, double clicks, modals they open."""

from __future__ import annotations

from bot.config import CardSettings
from handlers.slack import ids
from tests.handlers.live_server import LiveServer
from tests.handlers.slack.conftest import SIGNING_SECRET, make_slack_settings
from tests.handlers.slack.flows import (
    CLEAR,
    REVIEW,
    buttons,
    draft,
    drafts,
    latest_card,
    opened_views,
    submit_form,
    text_of,
)
from tests.handlers.slack.support import SlackClient


def submitted(server, client, fake, text=CLEAR):
    submit_form(client, text)
    (found,) = drafts(server)
    fake.wait_for("chat.postMessage", count=2)
    return found, buttons(latest_card(fake, "C_LEGAL"))


def test_a_double_click_records_one_approval(slack_server, fake_slack) -> None:
    server, client = slack_server
    found, card = submitted(server, client, fake_slack)
    for _ in range(3):
        assert client.block_action(ids.APPROVE, card[ids.APPROVE], user="U2").status == 200
    fake_slack.wait_for("chat.update", count=2)
    assert len(draft(server, found.id).decisions) == 1


def test_an_outsider_and_the_social_team_cannot_decide(slack_server, fake_slack) -> None:
    server, client = slack_server
    found, card = submitted(server, client, fake_slack)
    for user in ("U9", "U1"):
        client.block_action(ids.APPROVE, card[ids.APPROVE], user=user)
    answers = fake_slack.wait_for_response("action", count=2)
    assert all("Only members of legal, comms" in text_of(answer) for answer in answers)
    assert all(answer.get("response_type") == "ephemeral" for answer in answers)
    assert all(answer.get("replace_original") is False for answer in answers)
    assert draft(server, found.id).decisions == []


def test_a_user_group_member_may_decide(fake_slack, database) -> None:
    fake_slack.usergroups["S_COMMS"] = ["U7"]
    settings = make_slack_settings(fake_slack, database, usergroups={"comms": "S_COMMS"})
    server = LiveServer(settings, database).start()
    try:
        client = SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
        found, _ = submitted(server, client, fake_slack)
        comms_card = buttons(latest_card(fake_slack, "C_COMMS"))
        client.block_action(ids.APPROVE, comms_card[ids.APPROVE], user="U7", channel="C_COMMS")
        fake_slack.wait_for("chat.update", count=2)
        (decision,) = draft(server, found.id).decisions
        assert decision.actor == "slack:U7" and decision.group == "comms"
        # Membership is cached: a second click within the TTL reads no user group again.
        lookups = len(fake_slack.calls_to("usergroups.users.list"))
        client.block_action(ids.APPROVE, comms_card[ids.APPROVE], user="U7", channel="C_COMMS")
        client.slash_command("help", user="U7")
        assert len(fake_slack.calls_to("usergroups.users.list")) == lookups
    finally:
        server.stop()


def test_a_click_on_a_final_card_changes_nothing(slack_server, fake_slack) -> None:
    server, client = slack_server
    found, card = submitted(server, client, fake_slack)
    client.block_action(ids.APPROVE, card[ids.APPROVE], user="U2")
    client.block_action(
        ids.APPROVE, buttons(latest_card(fake_slack, "C_COMMS"))[ids.APPROVE], user="U4", channel="C_COMMS"
    )
    fake_slack.wait_for("chat.update", count=4)
    assert draft(server, found.id).status == "approved"
    client.block_action(ids.REJECT, card[ids.REJECT], user="U3")  # the old card, still on someone's screen
    (answer,) = fake_slack.wait_for_response("action")
    assert "already approved" in text_of(answer)
    assert len(draft(server, found.id).decisions) == 2


def test_a_click_on_a_stale_version_is_explained(slack_server, fake_slack) -> None:
    server, client = slack_server
    found, _ = submitted(server, client, fake_slack)
    stale = ids.card_value(found.id, found.version + 1)
    client.block_action(ids.APPROVE, stale, user="U2")
    (answer,) = fake_slack.wait_for_response("action")
    assert "has changed" in text_of(answer)
    assert draft(server, found.id).decisions == []


def test_a_forged_button_value_is_refused(slack_server, fake_slack) -> None:
    server, client = slack_server
    submitted(server, client, fake_slack)
    reply = client.block_action(ids.APPROVE, "not json at all", user="U2")
    assert reply.status == 200
    (answer,) = fake_slack.wait_for_response("action")
    assert "not one phigate understands" in text_of(answer)


def test_reject_opens_the_reason_form(slack_server, fake_slack) -> None:
    server, client = slack_server
    _, card = submitted(server, client, fake_slack)
    client.block_action(ids.REJECT, card[ids.REJECT], user="U2", trigger_id="T-rej")
    fake_slack.wait_for("views.open")
    (view,) = opened_views(fake_slack)
    assert view["callback_id"] == ids.REJECT_VIEW
    assert "off_brand" in text_of(view)


def test_approve_with_edits_starts_from_the_redacted_preview_outside_baa_channels(
    slack_server, fake_slack
) -> None:
    server, client = slack_server
    found, card = submitted(server, client, fake_slack, REVIEW)
    assert ids.SHOW_FULL_TEXT not in card  # no channel is listed as covered by the BAA
    client.block_action(ids.APPROVE_WITH_EDITS, card[ids.APPROVE_WITH_EDITS], user="U2")
    fake_slack.wait_for("views.open")
    (view,) = opened_views(fake_slack)
    assert view["callback_id"] == ids.APPROVE_EDITS_VIEW
    assert "4 West" not in text_of(view) and "[PATIENT_RELATIONSHIP]" in text_of(view)
    assert ids.parse_value(view["private_metadata"]) == {"d": found.id, "v": 1}


def baa_server(fake_slack, database):
    settings = make_slack_settings(fake_slack, database)
    settings = settings.model_copy(update={"cards": CardSettings(full_text_channels=("slack:C_LEGAL",))})
    server = LiveServer(settings, database).start()
    return server, SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)


def test_full_text_opens_privately_in_baa_channels_for_approvers_only(fake_slack, database) -> None:
    server, client = baa_server(fake_slack, database)
    try:
        _, card = submitted(server, client, fake_slack, REVIEW)
        assert "4 West" not in text_of(latest_card(fake_slack, "C_LEGAL"))  # history keeps the preview
        assert ids.SHOW_FULL_TEXT not in buttons(latest_card(fake_slack, "C_COMMS"))
        value = card[ids.SHOW_FULL_TEXT]
        client.block_action(ids.SHOW_FULL_TEXT, value, user="U9")
        client.block_action(ids.SHOW_FULL_TEXT, value, user="U4", channel="C_COMMS")  # a forged channel
        answers = fake_slack.wait_for_response("action", count=2)  # in whichever order they finish
        shown = [text_of(answer) for answer in answers]
        assert any("Only the author, approvers and auditors" in text for text in shown)
        assert any("not listed as covered by the BAA" in text for text in shown)
        client.block_action(ids.SHOW_FULL_TEXT, value, user="U3")
        client.block_action(ids.APPROVE_WITH_EDITS, card[ids.APPROVE_WITH_EDITS], user="U2")
        fake_slack.wait_for("views.open", count=2)
        assert all("4 West" in text_of(view) for view in opened_views(fake_slack))
    finally:
        server.stop()
