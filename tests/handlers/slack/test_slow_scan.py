"""A scan that takes longer than Slack's 3 seconds: acknowledged first, answered when it is done."""

from __future__ import annotations

import time

import pytest

from bot.errors import InvalidInput
from handlers.slack import ids
from handlers.slack.surface import INLINE_BUDGET_SECONDS
from tests.handlers.slack.flows import CLEAR, draft, drafts, eventually, submit_form, text_of
from tests.handlers.slack.support import plain, state_value

pytestmark = pytest.mark.product_budget  # the budget Slack's 3 seconds impose, not the scenario one
SLOW_SECONDS = INLINE_BUDGET_SECONDS + 0.6  # past the inline budget, inside a generous test timeout


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


def test_a_slow_submission_that_fails_shows_the_problem_in_the_form(slack_server, fake_slack) -> None:
    server, client = slack_server
    service = server.ctx.service

    def slow_refusal(text):
        time.sleep(SLOW_SECONDS)
        raise InvalidInput("the scanner could not read this draft", "Paste it again as plain text.")

    service._scan = slow_refusal
    reply = submit_form(client, CLEAR, view_id="V-SLOW")
    assert "Scanning" in text_of(reply.data["view"])
    (update,) = fake_slack.wait_for("views.update", timeout=10)
    shown = text_of(update.json_param("view"))
    assert update.params["view_id"] == "V-SLOW" and "could not read this draft" in shown
    assert "Paste it again" in shown and CLEAR not in shown
    assert drafts(server) == []


def test_a_slow_form_that_fails_closes_and_tells_the_author_by_direct_message(
    slack_server, fake_slack
) -> None:
    server, client = slack_server
    submit_form(client, CLEAR)
    (found,) = eventually(lambda: drafts(server))
    service = server.ctx.service
    real = service.mark_posted

    def slow_mark_posted(*args):
        time.sleep(SLOW_SECONDS)
        return real(*args)

    service.mark_posted = slow_mark_posted
    link = state_value(*ids.POSTED_LINK_INPUT, plain("https://facebook.com/stmarys/posts/1?comment=9"))
    started = time.monotonic()
    reply = client.view_submission(ids.POSTED_VIEW, link, ids.card_value(found.id, 1), user="U1")
    assert time.monotonic() - started < 2.9
    assert reply.status == 200 and not reply.body  # closed at once: the answer comes later

    def direct_messages() -> list[str]:
        return [
            c.params["text"] for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] == "U1"
        ]

    (told,) = eventually(direct_messages, timeout=10)
    assert "only approved replies can be posted" in told
    assert draft(server, found.id).posted_link is None
