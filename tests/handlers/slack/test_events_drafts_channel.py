"""Messages in the drafts channel: picked up once, answered in their thread; others left alone."""

from __future__ import annotations

import pytest

from handlers.slack import ids
from tests.handlers.live_server import LiveServer
from tests.handlers.slack.conftest import SIGNING_SECRET, make_slack_settings
from tests.handlers.slack.flows import BLOCK, CLEAR, buttons, drafts, text_of
from tests.handlers.slack.support import SlackClient, message_event


def thread_replies(fake, channel="C_DRAFTS"):
    return [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def test_a_pasted_message_gets_the_scan_and_buttons_in_its_thread(slack_server, fake_slack) -> None:
    server, client = slack_server
    event = message_event(BLOCK, ts="1700000100.000100")
    assert client.event(event).status == 200
    (reply,) = fake_slack.wait_for("chat.postMessage")
    assert reply.params["thread_ts"] == "1700000100.000100"
    blocks = reply.json_param("blocks")
    assert set(buttons(blocks)) == {ids.SEND_FOR_APPROVAL, ids.EDIT_DRAFT}
    assert "block" in reply.params["text"]
    assert drafts(server) == []  # nothing stored until the author sends it


@pytest.mark.parametrize(
    "event",
    [
        message_event(CLEAR, subtype="bot_message", bot_id="B1"),
        message_event(CLEAR, bot_id="BBOT"),
        message_event(CLEAR, subtype="message_changed"),
        message_event(CLEAR, thread_ts="1700000000.000100"),
        message_event(CLEAR, channel="C_ELSEWHERE"),
        message_event("   "),
    ],
    ids=["bot message", "bot id", "edit", "thread reply", "other channel", "blank"],
)
def test_bot_messages_edits_replies_and_other_channels_are_not_drafts(
    slack_server, fake_slack, event
) -> None:
    _, client = slack_server
    assert client.event(event).status == 200
    fake_slack.add_message("C_PROBE", "1.0", "probe")  # a marker: the server has had time to act
    client.slash_command("help", user="U1")
    assert thread_replies(fake_slack) == []


def test_a_retried_event_is_handled_once(slack_server, fake_slack) -> None:
    _, client = slack_server
    event = message_event(CLEAR, ts="1700000200.000100")
    assert client.event(event, event_id="Ev1").status == 200
    assert client.event(event, event_id="Ev1", retry_num=1, retry_reason="http_timeout").status == 200
    fake_slack.wait_for("chat.postMessage")
    client.slash_command("help", user="U1")
    assert len(thread_replies(fake_slack)) == 1


def test_send_for_approval_submits_the_message_once(slack_server, fake_slack) -> None:
    server, client = slack_server
    ts = "1700000300.000100"
    fake_slack.add_message("C_DRAFTS", ts, CLEAR, user="U1")
    client.event(message_event(CLEAR, ts=ts))
    (reply,) = fake_slack.wait_for("chat.postMessage")
    value = buttons(reply.json_param("blocks"))[ids.SEND_FOR_APPROVAL]
    for _ in range(2):  # a double click
        assert client.block_action(ids.SEND_FOR_APPROVAL, value, user="U1", channel="C_DRAFTS").status == 200
    fake_slack.wait_for_response("action", count=2)
    (draft,) = drafts(server)
    assert draft.author == "slack:U1" and draft.current.text == CLEAR
    assert all(draft.id in text_of(body) for body in fake_slack.responses["action"])
    fake_slack.wait_for("chat.postMessage", count=3)  # the thread reply and two review cards


def test_only_the_message_author_can_send_it(slack_server, fake_slack) -> None:
    server, client = slack_server
    ts = "1700000400.000100"
    fake_slack.add_message("C_DRAFTS", ts, CLEAR, user="U1")
    client.event(message_event(CLEAR, ts=ts))
    (reply,) = fake_slack.wait_for("chat.postMessage")
    value = buttons(reply.json_param("blocks"))[ids.SEND_FOR_APPROVAL]
    client.block_action(ids.SEND_FOR_APPROVAL, value, user="U4", channel="C_DRAFTS")
    (answer,) = fake_slack.wait_for_response("action")
    assert "Only the person who pasted" in text_of(answer)
    assert drafts(server) == []


def test_edit_opens_the_form_with_the_pasted_text(slack_server, fake_slack) -> None:
    _, client = slack_server
    ts = "1700000500.000100"
    fake_slack.add_message("C_DRAFTS", ts, REVIEW_TEXT, user="U1")
    client.event(message_event(REVIEW_TEXT, ts=ts))
    (reply,) = fake_slack.wait_for("chat.postMessage")
    client.block_action(ids.EDIT_DRAFT, buttons(reply.json_param("blocks"))[ids.EDIT_DRAFT], user="U1")
    (call,) = fake_slack.wait_for("views.open")
    view = call.json_param("view")
    assert view["callback_id"] == ids.SUBMIT_VIEW and "4 West" in text_of(view)
    assert ids.parse_value(view["private_metadata"]) == {"c": "C_DRAFTS", "ts": ts}


REVIEW_TEXT = "Sorry your stay on 4 West was so long, we hope you are feeling better."


def test_auto_submit_sends_pasted_messages_at_once(fake_slack, database) -> None:
    settings = make_slack_settings(fake_slack, database, drafts_auto_submit=True)
    server = LiveServer(settings, database).start()
    try:
        client = SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
        client.event(message_event(CLEAR, ts="1700000600.000100"))
        fake_slack.wait_for("chat.postMessage", count=3)  # thread reply + two cards
        (draft,) = drafts(server)
        thread = [c for c in thread_replies(fake_slack) if c.params.get("thread_ts") == "1700000600.000100"]
        assert draft.id in thread[0].params["text"]
    finally:
        server.stop()


def test_a_non_submitter_pasting_is_told_why(slack_server, fake_slack) -> None:
    server, client = slack_server
    client.event(message_event(CLEAR, user="U9", ts="1700000700.000100"))
    (reply,) = fake_slack.wait_for("chat.postMessage")
    assert "may submit" in reply.params["text"]
    assert drafts(server) == []
