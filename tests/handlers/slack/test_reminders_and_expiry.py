"""Time: reminders in the cards' threads before expiry, and expiry that closes every card.

The server's clock is a ``ManualClock``; the scheduler's own loop is slowed down so that only the
test's ``tick`` runs (drafts expire 24 h after submission, reminders start 2 h before).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from bot.approvals import Message
from bot.clock import ManualClock
from handlers.slack import ids
from handlers.worker import tick
from tests.handlers.live_server import LiveServer
from tests.handlers.slack.conftest import SIGNING_SECRET, make_slack_settings
from tests.handlers.slack.fake_slack import Call, FakeSlack
from tests.handlers.slack.flows import (
    CLEAR,
    buttons,
    card_refs,
    draft,
    drafts,
    eventually,
    latest_card,
    submit_form,
    text_of,
)
from tests.handlers.slack.outbox_steps import outbox_rows
from tests.handlers.slack.support import SlackClient


@pytest.fixture
def timed_server(fake_slack: FakeSlack, database) -> Iterator[tuple[LiveServer, SlackClient]]:  # type: ignore[no-untyped-def]
    """A Slack server on a manual clock whose scheduler only runs when the test ticks it."""
    settings = make_slack_settings(fake_slack, database)
    quiet = settings.server.model_copy(update={"scheduler_poll_seconds": 3600})
    server = LiveServer(settings.model_copy(update={"server": quiet}), database, ManualClock()).start()
    try:
        yield server, SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
    finally:
        server.stop()


def submitted(server: LiveServer, client: SlackClient) -> tuple[str, dict[str, str]]:
    submit_form(client, CLEAR)
    (found,) = drafts(server)
    refs = eventually(lambda: len(card_refs(server, found.id)) == 2 and card_refs(server, found.id))
    return found.id, refs


def run_tick(server: LiveServer) -> tuple[list[str], list[str]]:
    return server.call_soon(tick(server.ctx))


def reminders(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.calls_to("chat.postMessage") if "Reminder:" in str(c.params.get("text", ""))]


def advance(server: LiveServer, hours: float) -> None:
    assert server.clock is not None
    server.clock.advance(hours=hours)


def test_each_waiting_group_is_reminded_once_in_its_cards_thread(timed_server, fake_slack) -> None:
    server, client = timed_server
    draft_id, refs = submitted(server, client)
    advance(server, 21)
    assert run_tick(server) == ([], [])  # three hours left: not yet

    advance(server, 1.5)
    assert run_tick(server) == ([], [draft_id])
    sent = eventually(lambda: len(reminders(fake_slack)) == 2 and reminders(fake_slack))
    assert {c.params["channel"]: c.params["thread_ts"] for c in sent} == refs
    for call in sent:
        assert call.params["reply_broadcast"] in (True, "true", "1")
        assert draft_id in call.params["text"] and "less than an hour" not in call.params["text"]
        assert "Legal, Comms" in call.params["text"]

    assert run_tick(server) == ([], [])  # once per draft
    assert server.drain() == 0
    assert len(reminders(fake_slack)) == 2


def test_only_groups_still_to_decide_are_reminded(timed_server, fake_slack) -> None:
    server, client = timed_server
    draft_id, refs = submitted(server, client)
    client.block_action(ids.APPROVE, buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE], user="U2")
    fake_slack.wait_for("chat.update", count=2)
    advance(server, 23.5)
    assert run_tick(server) == ([], [draft_id])
    (sent,) = eventually(lambda: reminders(fake_slack))
    assert sent.params["channel"] == "C_COMMS" and sent.params["thread_ts"] == refs["C_COMMS"]
    assert "Waiting for: Comms" in sent.params["text"] and "less than an hour" in sent.params["text"]
    run_tick(server)
    assert server.drain() == 0
    assert len(reminders(fake_slack)) == 1


def test_expiry_closes_every_card_tells_the_author_and_refuses_late_clicks(timed_server, fake_slack) -> None:
    server, client = timed_server
    draft_id, refs = submitted(server, client)
    approve = buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE]
    advance(server, 24.5)
    expired, _ = run_tick(server)
    assert expired == [draft_id] and draft(server, draft_id).status == "expired"

    updates = fake_slack.wait_for("chat.update", count=2)
    assert {c.params["channel"]: c.params["ts"] for c in updates} == refs
    for channel in refs:
        card = latest_card(fake_slack, channel)
        assert buttons(card) == {} and "expired" in text_of(card).lower()
    dms = eventually(
        lambda: [c for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] == "U1"]
    )
    assert len(dms) == 1 and "expired" in dms[0].params["text"]

    assert client.block_action(ids.APPROVE, approve, user="U2").status == 200
    (answer,) = fake_slack.wait_for_response("action")
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "already expired" in text_of(answer)
    after = draft(server, draft_id)
    assert after.status == "expired" and after.decisions == []
    assert run_tick(server) == ([], [])
    assert server.drain() == 0
    assert len(fake_slack.calls_to("chat.update")) == 2


def delete_message(fake: FakeSlack, channel: str, ts: str) -> None:
    """Delete a message as a person in Slack would (through the fake's Web API)."""
    body = json.dumps({"channel": channel, "ts": ts}).encode()
    headers = {"Content-Type": "application/json", "Authorization": "Bearer xoxb-person"}
    request = urllib.request.Request(fake.api_url + "chat.delete", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["ok"]


def test_a_reminder_for_a_deleted_card_is_still_sent_and_never_repeated(timed_server, fake_slack) -> None:
    server, client = timed_server
    draft_id, refs = submitted(server, client)
    delete_message(fake_slack, "C_COMMS", refs["C_COMMS"])
    advance(server, 23)
    assert run_tick(server) == ([], [draft_id])
    eventually(lambda: outbox_rows(server, Message.REMIND)[0].status == "delivered")
    for channel in ("C_LEGAL", "C_COMMS"):
        (reminder,) = [m for m in fake_slack.messages(channel) if m["text"].startswith("Reminder:")]
        if channel == "C_LEGAL":
            assert reminder["thread_ts"] == refs["C_LEGAL"]  # in the card's thread
        else:
            assert "thread_ts" not in reminder  # the card is gone: in the channel itself
