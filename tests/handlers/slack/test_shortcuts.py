"""The message shortcut "Submit reply for approval" and the global "New reply draft"."""

from __future__ import annotations

from handlers.slack import ids
from tests.handlers.slack.flows import CLEAR, drafts, opened_views, submit_form, text_of


def test_message_shortcut_opens_the_form_prefilled_and_submits_once(slack_server, fake_slack) -> None:
    server, client = slack_server
    reply = client.message_shortcut(
        ids.MESSAGE_SHORTCUT, CLEAR, user="U1", channel="C_RANDOM", message_ts="1700000800.000100"
    )
    assert reply.status == 200
    fake_slack.wait_for("views.open")
    (view,) = opened_views(fake_slack)
    assert view["callback_id"] == ids.SUBMIT_VIEW and "maternity nurses" in text_of(view)
    metadata = view["private_metadata"]
    assert ids.parse_value(metadata) == {"c": "C_RANDOM", "ts": "1700000800.000100"}
    for _ in range(2):  # the form submitted twice (a retried click): one draft
        assert submit_form(client, CLEAR, private_metadata=metadata).status == 200
    assert len(drafts(server)) == 1


def test_message_shortcut_refuses_non_submitters(slack_server, fake_slack) -> None:
    _, client = slack_server
    client.message_shortcut(ids.MESSAGE_SHORTCUT, CLEAR, user="U9")
    (dm,) = fake_slack.wait_for("chat.postMessage")
    assert dm.params["channel"] == "U9" and "may submit" in dm.params["text"]
    assert fake_slack.calls_to("views.open") == []


def test_global_shortcut_opens_an_empty_form(slack_server, fake_slack) -> None:
    _, client = slack_server
    assert client.global_shortcut(ids.GLOBAL_SHORTCUT, user="U1").status == 200
    fake_slack.wait_for("views.open")
    assert opened_views(fake_slack)[0]["callback_id"] == ids.SUBMIT_VIEW
