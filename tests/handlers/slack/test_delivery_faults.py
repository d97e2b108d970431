"""Delivery faults: rate limits, server errors and refusals from the Web API, gone cards, a slow API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.config import Settings
from handlers.slack import ids
from handlers.worker import drain_once
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
from tests.handlers.slack.outbox_steps import Row, failed_attempt, make_due, metric, outbox_rows
from tests.handlers.slack.support import SlackClient

MAX_ATTEMPTS = 3


def top_level(fake: FakeSlack, channel: str) -> list[dict]:
    """The channel's messages that are not thread replies."""
    return [m for m in fake.messages(channel) if m.get("thread_ts") in (None, m["ts"])]


def delivered(server: LiveServer, kind: str) -> list[Row]:
    """The ``kind`` messages once all are delivered (cards are stored just before that is settled)."""
    rows = outbox_rows(server, kind)
    return rows if all(row.status == "delivered" for row in rows) else []


@pytest.fixture
def few_attempts_server(fake_slack: FakeSlack, database) -> Iterator[tuple[LiveServer, SlackClient]]:  # type: ignore[no-untyped-def]
    """A Slack server whose outbox gives up after ``MAX_ATTEMPTS`` deliveries."""
    settings: Settings = make_slack_settings(fake_slack, database)
    server_settings = settings.server.model_copy(update={"outbox_max_attempts": MAX_ATTEMPTS})
    server = LiveServer(settings.model_copy(update={"server": server_settings}), database).start()
    try:
        yield server, SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
    finally:
        server.stop()


def submitted(server: LiveServer, client: SlackClient) -> tuple[str, dict[str, str]]:
    """Submit CLEAR and wait until both cards are posted; returns the draft id and the card refs."""
    submit_form(client, CLEAR)
    (found,) = drafts(server)
    refs = eventually(lambda: len(card_refs(server, found.id)) == 2 and card_refs(server, found.id))
    return found.id, refs


def test_a_rate_limited_post_is_retried_by_the_sdk_and_posted_once(slack_server, fake_slack) -> None:
    server, client = slack_server
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=0)
    _, refs = submitted(server, client)
    assert len(fake_slack.calls_to("chat.postMessage")) == 3  # the 429, its retry, the other channel
    for channel in ("C_LEGAL", "C_COMMS"):
        assert [m["ts"] for m in top_level(fake_slack, channel)] == [refs[channel]]
    (row,) = eventually(lambda: delivered(server, "cards.post"))
    assert row.attempts == 1  # the outbox never saw the 429
    assert metric(server, "phigate_outbox_failures_total", surface="slack", kind="cards.post") == 0


def test_a_rate_limited_update_is_retried_and_updates_the_card_in_place(slack_server, fake_slack) -> None:
    server, client = slack_server
    draft_id, refs = submitted(server, client)
    fake_slack.fail_next("chat.update", status=429, retry_after=0)
    client.block_action(ids.APPROVE, buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE], user="U2")
    eventually(lambda: len(fake_slack.calls_to("chat.update")) == 3)
    for channel in ("C_LEGAL", "C_COMMS"):
        (card,) = top_level(fake_slack, channel)
        assert card["ts"] == refs[channel] and "Dana Whitfield" in text_of(card["blocks"])
    assert card_refs(server, draft_id) == refs
    assert len(draft(server, draft_id).decisions) == 1


def test_server_errors_are_retried_by_the_outbox_with_backoff_until_delivered(
    slack_server, fake_slack
) -> None:
    server, client = slack_server
    # Two outbox attempts, each a call and the SDK's one quick retry, all answered 500.
    fake_slack.fail_next("chat.postMessage", status=500, times=4)
    submit_form(client, CLEAR)
    (found,) = drafts(server)

    first = failed_attempt(server, "cards.post", attempts=1)
    assert first.status == "pending" and "status 500" in (first.last_error or "")
    assert timedelta(seconds=1) < first.retry_in() <= timedelta(seconds=2)
    make_due(server)
    second = failed_attempt(server, "cards.post", attempts=2)
    assert second.status == "pending"
    assert timedelta(seconds=3) < second.retry_in() <= timedelta(seconds=4)  # the backoff doubled
    assert card_refs(server, found.id) == {}
    make_due(server)

    refs = eventually(lambda: len(card_refs(server, found.id)) == 2 and card_refs(server, found.id))
    for channel in ("C_LEGAL", "C_COMMS"):
        assert [m["ts"] for m in top_level(fake_slack, channel)] == [refs[channel]]
    (row,) = eventually(lambda: delivered(server, "cards.post"))
    assert row.attempts == 3
    assert metric(server, "phigate_outbox_failures_total", surface="slack", kind="cards.post") == 2


def test_a_channel_slack_refuses_fails_after_the_last_attempt_and_the_server_stays_healthy(
    few_attempts_server, fake_slack
) -> None:
    server, client = few_attempts_server
    fake_slack.fail_next("chat.postMessage", error="channel_not_found", times=MAX_ATTEMPTS + 5)
    submit_form(client, CLEAR)
    (found,) = drafts(server)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        row = failed_attempt(server, "cards.post", attempts=attempt)
        make_due(server)
    assert row.status == "failed" and "SlackApiError" in (row.last_error or "")
    assert len(fake_slack.calls_to("chat.postMessage")) == MAX_ATTEMPTS  # an error answer is not retried
    assert metric(server, "phigate_outbox_failures_total", surface="slack", kind="cards.post") == MAX_ATTEMPTS
    assert server.call_soon(drain_once(server.ctx)) == 0  # a failed message is never claimed again
    assert card_refs(server, found.id) == {}

    health = server.request("GET", "/healthz")
    assert health.status == 200 and health.data["status"] == "ok"
    help_reply = client.slash_command("help", user="U1")
    assert help_reply.status == 200 and "/phigate scan" in text_of(help_reply.data)


def test_an_update_of_a_deleted_card_posts_a_fresh_card_and_stores_its_ts(slack_server, fake_slack) -> None:
    server, client = slack_server
    draft_id, before = submitted(server, client)
    fake_slack.fail_next("chat.update", error="message_not_found")  # the legal card is updated first
    client.block_action(ids.APPROVE, buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE], user="U2")

    after = eventually(lambda: card_refs(server, draft_id) != before and card_refs(server, draft_id))
    assert after["C_COMMS"] == before["C_COMMS"]
    fresh = fake_slack.message("C_LEGAL", after["C_LEGAL"])
    assert fresh is not None and "Dana Whitfield" in text_of(fresh["blocks"])
    assert ids.APPROVE in buttons(fresh["blocks"])  # comms still has to decide

    # The decision's thread reply goes under the fresh card; nothing is posted twice.
    def thread_replies() -> list[Call]:
        return [c for c in fake_slack.calls_to("chat.postMessage") if c.params.get("thread_ts")]

    replies = eventually(lambda: len(thread_replies()) == 2 and thread_replies())
    legal_replies = [c for c in replies if c.params["channel"] == "C_LEGAL"]
    assert [c.params["thread_ts"] for c in legal_replies] == [after["C_LEGAL"]]
    assert len(top_level(fake_slack, "C_COMMS")) == 1
    assert len(draft(server, draft_id).decisions) == 1


def test_a_slow_web_api_does_not_delay_the_ack_of_a_click(slack_server, fake_slack) -> None:
    server, client = slack_server
    draft_id, refs = submitted(server, client)
    fake_slack.delay_next("chat.update", 1.5)  # the legal card's update answers late
    started = time.monotonic()
    reply = client.block_action(
        ids.APPROVE, buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE], user="U3"
    )
    assert reply.status == 200 and time.monotonic() - started < 1.0
    assert "Lee Okafor" not in text_of(fake_slack.message("C_LEGAL", refs["C_LEGAL"]) or {})

    def updated() -> bool:
        card = fake_slack.message("C_LEGAL", refs["C_LEGAL"]) or {}
        return "Lee Okafor" in text_of(card.get("blocks") or [])

    eventually(updated, timeout=10)
    assert time.monotonic() - started >= 1.5  # the card changed only once the slow answer came
    assert [d.actor for d in draft(server, draft_id).decisions] == ["slack:U3"]


def test_a_web_api_call_that_times_out_is_retried_by_the_outbox(fake_slack, database) -> None:
    settings = make_slack_settings(fake_slack, database, api_timeout_seconds=1)
    server = LiveServer(settings, database).start()
    try:
        client = SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
        draft_id, refs = submitted(server, client)
        fake_slack.delay_next("chat.update", 2.5, times=2)  # the first attempt hangs
        started = time.monotonic()
        reply = client.block_action(
            ids.APPROVE, buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE], user="U2"
        )
        assert reply.status == 200 and time.monotonic() - started < 1.0  # the ack does not wait

        def timed_out() -> list[Row]:
            rows = outbox_rows(server, "cards.update")
            return [row for row in rows if row.attempts >= 1 and "Timeout" in (row.last_error or "")]

        eventually(timed_out, timeout=15)
        make_due(server)
        eventually(lambda: delivered(server, "cards.update"), timeout=15)
        for channel in ("C_LEGAL", "C_COMMS"):
            (card,) = top_level(fake_slack, channel)  # updated in place, never posted again
            assert card["ts"] == refs[channel] and "Dana Whitfield" in text_of(card["blocks"])
        assert len(draft(server, draft_id).decisions) == 1
        assert metric(server, "phigate_outbox_failures_total", surface="slack", kind="cards.update") >= 1
    finally:
        server.stop()
