"""A scan that takes longer than Slack's 3 seconds: acknowledged first, answered when it is done."""

from __future__ import annotations

import time

import pytest

from tests.handlers.slack.flows import CLEAR, drafts, submit_form, text_of

SLOW_SECONDS = 2.6  # past the 2 s inline budget, inside a generous test timeout


@pytest.fixture
def slow_scanner(slack_server):
    server, _ = slack_server
    service = server.ctx.service
    real = service._scan

    def slow(text):
        time.sleep(SLOW_SECONDS)
        return real(text)

    service._scan = slow
    yield
    service._scan = real


def test_slash_scan_acks_at_once_and_answers_through_the_response_url(
    slack_server, fake_slack, slow_scanner
) -> None:
    _, client = slack_server
    started = time.monotonic()
    reply = client.slash_command(f"scan {CLEAR}", user="U1")
    assert time.monotonic() - started < 2.9
    assert reply.status == 200 and "Scanning" in reply.data["text"]
    (answer,) = fake_slack.wait_for_response("command", timeout=10)
    assert answer["text"] == "PHI scan: clear" and answer["response_type"] == "ephemeral"


def test_the_submit_form_says_scanning_then_shows_the_result(slack_server, fake_slack, slow_scanner) -> None:
    server, client = slack_server
    started = time.monotonic()
    reply = submit_form(client, CLEAR, view_id="V-SLOW")
    assert time.monotonic() - started < 2.9
    assert reply.data["response_action"] == "update" and "Scanning" in text_of(reply.data["view"])
    (update,) = fake_slack.wait_for("views.update", timeout=10)
    (draft,) = drafts(server)
    assert update.params["view_id"] == "V-SLOW" and draft.id in text_of(update.json_param("view"))
