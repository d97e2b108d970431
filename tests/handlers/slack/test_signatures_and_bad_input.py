"""Requests Slack would never send: bad or old signatures, replays, malformed bodies, oversized ones.

Also drafts with unusual text (RTL marks, zero-width characters, emoji, 3,000 characters of findings)
whose blocks Slack must accept, and the PHI rule: no draft text in any log record, not even when Bolt
logs the body of a request whose signature failed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest

from bot.logsafety import PhiSafeFilter
from handlers.slack import ids
from tests.conftest import CANARY, canary_draft
from tests.handlers.live_server import LiveServer, Reply
from tests.handlers.slack.conftest import SIGNING_SECRET
from tests.handlers.slack.fake_slack import FakeSlack, message_problems, view_problems
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
from tests.handlers.slack.support import FORM, JSON, SlackClient, checkboxes, plain, sign, state_value

JUSTIFICATION = "The patient posted this publicly and asked us to reply by name; legal agreed by phone."


def body_of(client: SlackClient, send: Any) -> bytes:
    """The exact body ``send()`` would POST (nothing is sent)."""
    bodies: list[bytes] = []
    with mock.patch.object(client, "post", lambda body, *_, **__: bodies.append(body) or Reply(200, {}, b"")):
        send()
    (body,) = bodies
    return body.encode() if isinstance(body, str) else body


def card(server: LiveServer, client: SlackClient, fake: FakeSlack, text: str = CLEAR) -> tuple[str, str]:
    """Submit ``text`` and wait for its cards; returns the draft id and the legal card's Approve value."""
    submit_form(client, text)
    (found,) = drafts(server)
    eventually(lambda: len(card_refs(server, found.id)) == 2)
    return found.id, buttons(latest_card(fake, "C_LEGAL"))[ids.APPROVE]


# -- signatures ------------------------------------------------------------------------------------


def test_a_bad_signature_is_refused(slack_server) -> None:
    server, client = slack_server
    body = urlencode({"command": "/phigate", "text": "help", "user_id": "U1"})
    assert client.post(body, FORM, signature="v0=" + "0" * 64).status == 401
    other = SlackClient(server.url, "not-the-signing-secret")
    assert other.slash_command("help").status == 401


def test_a_request_older_than_five_minutes_is_refused(slack_server) -> None:
    _, client = slack_server
    body = urlencode({"command": "/phigate", "text": "help", "user_id": "U1"})
    old = int(time.time()) - 5 * 60 - 30
    assert client.post(body, FORM, timestamp=old).status == 401  # correctly signed, but stale
    assert client.post(body, FORM, timestamp=int(time.time()) - 60).status != 401


def test_missing_signature_headers_are_refused(slack_server) -> None:
    server, _ = slack_server
    body = urlencode({"command": "/phigate", "text": "help", "user_id": "U1"}).encode()
    stamp = str(int(time.time()))
    for headers in (
        {"Content-Type": FORM},
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": stamp},
        {"Content-Type": FORM, "X-Slack-Signature": sign(SIGNING_SECRET, stamp, body)},
    ):
        assert server.request("POST", "/slack/events", raw=body, headers=headers).status == 401


def test_a_replayed_approval_within_the_window_is_one_decision(slack_server, fake_slack) -> None:
    server, client = slack_server
    draft_id, approve = card(server, client, fake_slack)
    body = body_of(client, lambda: client.block_action(ids.APPROVE, approve, user="U2"))
    stamp = int(time.time())
    signature = sign(SIGNING_SECRET, stamp, body)
    for _ in range(3):  # captured once, replayed: a valid signature, a timestamp inside the window
        assert client.post(body, FORM, timestamp=stamp, signature=signature).status == 200
    fake_slack.wait_for("chat.update", count=2)
    assert len(draft(server, draft_id).decisions) == 1
    assert server.drain() == 0
    assert len(fake_slack.calls_to("chat.update")) == 2


# -- malformed requests ------------------------------------------------------------------------------


def signed_bytes(client: SlackClient, body: bytes, content_type: str) -> Reply:
    """POST bytes that are not text, correctly signed (``sign`` only signs text)."""
    stamp = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    return client.post(body, content_type, timestamp=stamp, signature="v0=" + digest.hexdigest())


def harmless(reply: Reply) -> bool:
    return reply.status == 200 or 400 <= reply.status < 500


def test_malformed_bodies_get_a_4xx_or_a_harmless_200_never_a_500(slack_server, fake_slack) -> None:
    server, client = slack_server
    payload = {"type": "block_actions", "user": {"id": "U2"}, "actions": [{"action_id": ids.APPROVE}]}
    started = time.monotonic()
    sent = {
        "form that is not a form": client.post("%%%&&&==;;\x00", FORM),
        "payload that is not JSON": client.post(urlencode({"payload": "{not json"}), FORM),
        "payload that is a JSON list": client.post(urlencode({"payload": "[1, 2]"}), FORM),
        "JSON that is not JSON": client.post('{"type": "event_callback", ', JSON),
        "event without an event": client.post(json.dumps({"type": "event_callback"}), JSON),
        "wrong content type": client.post(json.dumps(payload), "text/plain"),
        "not UTF-8": signed_bytes(client, b"payload=\xff\xfe\x80", FORM),
        "empty": client.post(b"", FORM),
        "actions not a list": client.interactive(
            {"type": "block_actions", "actions": 5, "user": {"id": "U2"}}
        ),
        "action without a value": client.interactive(
            {"type": "block_actions", "actions": [{"action_id": ids.APPROVE}], "user": {"id": "U2"}}
        ),
        "click without a user": client.interactive(
            {"type": "block_actions", "actions": [{"action_id": ids.APPROVE, "value": "{}"}]}
        ),
        "view not an object": client.interactive(
            {"type": "view_submission", "view": 5, "user": {"id": "U1"}}
        ),
        "submit without state": client.interactive(
            {"type": "view_submission", "view": {"callback_id": ids.SUBMIT_VIEW}, "user": {"id": "U1"}}
        ),
        "event not an object": client.post(json.dumps({"type": "event_callback", "event": "x"}), JSON),
        "command without a user": client.post(urlencode({"command": "/phigate", "text": "help"}), FORM),
        "an empty form": client.view_submission(ids.SUBMIT_VIEW, {}, user="U1"),
        "unknown action id": client.block_action("no_such_action", "x", user="U2"),
        "unknown view callback": client.view_submission("no_such_view", {}, user="U2"),
        "unknown command": client.slash_command("help", command="/not-phigate"),
    }
    assert {name: reply.status for name, reply in sent.items() if not harmless(reply)} == {}
    assert time.monotonic() - started < 2.5  # each answered at once, none after Bolt's 3 s ack wait
    assert server.request("GET", "/healthz").status == 200
    assert drafts(server) == []
    assert fake_slack.calls_to("chat.postMessage") == []


def test_an_oversized_body_is_refused_with_413(slack_server) -> None:
    server, client = slack_server
    limit = server.settings.server.max_body_bytes
    reply = client.post(urlencode({"payload": "x" * (limit + 1)}), FORM)
    assert reply.status == 413
    assert str(limit) in reply.data["detail"]


# -- unusual drafts, Block Kit limits -----------------------------------------------------------------------

FINDINGS = "John Miller, MRN 48213397, room 412, DOB 03/14/1961, call 617-555-0199 about his knee surgery. "
UNUSUAL = {
    "rtl": "Thank you \u200fشكرا جزيلا\u200f for the kind words \u202eabout our nurses\u202c!",
    "zero width": "We\u200b are\u200c so\u200d glad\u2060 you\ufeff enjoyed the new caf\u00e9\u0301.",
    "emoji": "Thank you 🙏🏽👩‍⚕️🏥 — our maternity team 👶🏻 loved reading this! 🇺🇸 ✨",
    "long with findings": (FINDINGS * 40)[:3000],
}


def approve_all(server: LiveServer, client: SlackClient, fake: FakeSlack, text: str) -> str:
    """Submit ``text`` and see it through to approved (overriding the scan if it blocks)."""
    reply = submit_form(client, text)
    assert reply.status == 200 and not view_problems(reply.data["view"])
    (found,) = drafts(server)
    if found.status == "blocked":
        metadata = ids.card_value(found.id, found.version)
        justified = state_value(*ids.JUSTIFICATION_INPUT, plain(JUSTIFICATION))
        assert client.view_submission(ids.OVERRIDE_VIEW, justified, metadata, user="U1").status == 200
    eventually(lambda: len(card_refs(server, found.id)) == 2)
    client.block_action(ids.APPROVE, buttons(latest_card(fake, "C_LEGAL"))[ids.APPROVE], user="U2")
    if found.status == "blocked":  # legal first accepts the author's justification
        view = fake.wait_for("views.open")[-1].json_param("view")
        ticked = state_value(*ids.ACKNOWLEDGE_INPUT, checkboxes("yes"))
        client.view_submission(ids.ACKNOWLEDGE_VIEW, ticked, view["private_metadata"], user="U2")
    eventually(lambda: len(draft(server, found.id).decisions) == 1)
    client.block_action(
        ids.APPROVE, buttons(latest_card(fake, "C_COMMS"))[ids.APPROVE], user="U4", channel="C_COMMS"
    )
    eventually(lambda: draft(server, found.id).status == "approved")
    eventually(lambda: any(c.params["channel"] == "U1" for c in fake.calls_to("chat.postMessage")))
    return found.id


def block_kit_problems(fake: FakeSlack) -> list[tuple[str, list[str]]]:
    """Every posted, updated, responded or opened message or view that Slack would refuse."""
    found = []
    for call in fake.calls:
        blocks = call.params["body"].get("blocks") if call.method == "respond" else call.json_param("blocks")
        if blocks is not None and (problems := message_problems(blocks)):
            found.append((call.method, problems))
        if (view := call.json_param("view")) is not None and (problems := view_problems(view)):
            found.append((call.method, problems))
    return found


@pytest.mark.parametrize("kind", UNUSUAL)
def test_unusual_drafts_go_through_with_blocks_slack_accepts(slack_server, fake_slack, kind) -> None:
    server, client = slack_server
    text = UNUSUAL[kind]
    assert len(text) <= 3000
    draft_id = approve_all(server, client, fake_slack, text)
    assert fake_slack.validate_blocks
    assert block_kit_problems(fake_slack) == []
    final = latest_card(fake_slack, "C_LEGAL")
    assert buttons(final) == {} and "Priya Natarajan" in text_of(final)
    stored = draft(server, draft_id).current
    assert stored.text == text  # exactly as written
    if kind == "long with findings":
        assert len(text) == 3000 and stored.verdict == "block" and len(stored.scan["findings"]) >= 40


# -- the PHI rule ------------------------------------------------------------------------------------


class _Lines(logging.Handler):
    """Formats records like phigate's production handler (``bot.logsafety.install``)."""

    def __init__(self, *, safe: bool) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        if safe:
            self.addFilter(PhiSafeFilter())
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) if self.filters else record.getMessage())


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> Iterator[tuple[_Lines, _Lines]]:
    """(what Bolt hands to logging, what phigate's handlers write), at DEBUG for the Slack loggers."""
    for name in ("slack_bolt", "slack_sdk", "handlers", "bot", "storage", "aiohttp"):
        caplog.set_level(logging.DEBUG, logger=name)
    raw, written = _Lines(safe=False), _Lines(safe=True)
    logging.getLogger("slack_bolt").addHandler(raw)  # runs before any root handler filters a record
    logging.getLogger().addHandler(written)
    try:
        yield raw, written
    finally:
        logging.getLogger("slack_bolt").removeHandler(raw)
        logging.getLogger().removeHandler(written)


def test_no_draft_text_reaches_a_log_record(slack_server, fake_slack, log_lines, caplog) -> None:
    server, client = slack_server
    raw, written = log_lines
    text = canary_draft("Thank you {canary} for the kind words about our maternity nurses!")

    # Bolt logs the whole body of a request whose signature fails.
    forged = urlencode({"command": "/phigate", "text": f"scan {text}", "user_id": "U1"})
    assert client.post(forged, FORM, signature="v0=" + "0" * 64).status == 401
    assert any(CANARY in line for line in raw.lines)

    client.slash_command(f"scan {text}", user="U1")
    client.post(urlencode({"payload": "{" + text}), FORM)  # a malformed payload carrying the text
    approve_all(server, client, fake_slack, text)
    client.block_action(ids.APPROVE, json.dumps({"d": text, "v": 1}), user="U2")  # a forged value
    fake_slack.wait_for_response("action")

    assert written.lines and caplog.records
    assert [line for line in written.lines if CANARY.lower() in line.lower()] == []
    assert CANARY.lower() not in caplog.text.lower()
    for record in caplog.records:
        assert CANARY.lower() not in record.getMessage().lower()
