"""Every error status of the API, always as ``{"error": ..., "detail": ...}`` and never quoting the draft."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CANARY
from tests.handlers.api.support import CLEAR, assert_error, block, decide, started_server, submit


def test_400_for_a_body_that_is_not_json(live_server) -> None:
    reply = live_server.request(
        "POST", "/api/drafts", raw=b'{"text": "Glad your surgery went', user="social1"
    )
    assert_error(reply, 400, "not valid JSON")
    latin1 = live_server.request(
        "POST", "/api/drafts", raw='{"text": "café"}'.encode("latin-1"), user="social1"
    )
    assert_error(latin1, 400, "not valid JSON")


def test_400_for_json_that_is_not_an_object(live_server) -> None:
    for body in (b"[]", b'["Thanks for reaching out!"]', b'"Thanks!"', b"42", b"null"):
        assert_error(live_server.request("POST", "/api/drafts", raw=body, user="social1"), 400, "JSON object")


def test_400_never_quotes_the_body(live_server) -> None:
    raw = json.dumps({"text": block()}).encode()[:-3]
    reply = live_server.request("POST", "/api/drafts", raw=raw, user="social1")
    assert_error(reply, 400)
    assert CANARY not in reply.body.decode()


def test_401_without_an_identity(live_server) -> None:
    assert_error(live_server.request("POST", "/api/drafts", {"text": CLEAR}), 401, "Bearer")
    assert_error(live_server.request("GET", "/api/drafts"), 401)


def test_401_for_a_bad_bearer_token(live_server) -> None:
    assert_error(
        live_server.request("GET", "/api/drafts", token="phg_not-a-real-token"), 401, "unknown or revoked"
    )
    for header in ("Basic c29jaWFsMTpodW50ZXIy", "Bearer", "Bearer    ", "phg_abc"):
        reply = live_server.request("GET", "/api/drafts", headers={"Authorization": header})
        assert_error(reply, 401, "Bearer <token>")


def test_401_for_a_revoked_token(live_server) -> None:
    token_id, secret = live_server.db.run(lambda tx: tx.tokens.create("sandbox:social1", "scheduler"))
    assert live_server.request("GET", "/api/me", token=secret).status == 200
    live_server.db.run(lambda tx: tx.tokens.revoke(token_id))
    assert_error(live_server.request("GET", "/api/me", token=secret), 401, "revoked")


def test_a_bad_token_is_not_rescued_by_a_sandbox_header(live_server) -> None:
    reply = live_server.request("GET", "/api/me", token="phg_forged", user="legal1")
    assert_error(reply, 401, "unknown or revoked")


def test_401_for_an_unknown_sandbox_user(live_server) -> None:
    reply = live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="admin")
    assert_error(reply, 401, "unknown sandbox user", "social1, legal1, legal2, comms1 or privacy1")


@pytest.fixture
def workspace_server(database):
    """A server with Slack credentials configured: not in sandbox mode."""
    server = started_server(
        database,
        {
            "PHIGATE_SLACK__BOT_TOKEN": "xoxb-test-not-real",
            "PHIGATE_SLACK__SIGNING_SECRET": "not-real",
            "PHIGATE_SERVER__HOST": "127.0.0.1",
        },
    )
    assert not server.ctx.sandbox
    yield server
    server.stop()


def test_401_for_the_sandbox_header_outside_sandbox_mode(workspace_server) -> None:
    for user in ("social1", "sandbox:legal1"):
        reply = workspace_server.request("POST", "/api/drafts", {"text": CLEAR}, user=user)
        assert_error(reply, 401, "only accepted in sandbox mode")
    # A token still works there (anyone identified may submit when no submitter groups are set).
    _, secret = workspace_server.db.run(lambda tx: tx.tokens.create("api:publisher"))
    reply = workspace_server.request("POST", "/api/drafts", {"text": CLEAR}, token=secret)
    assert reply.status == 201 and reply.data["author"]["id"] == "api:publisher"
    assert workspace_server.request("GET", "/healthz").data["mode"] == "workspace"


def test_403_for_a_group_that_may_not_do_it(live_server) -> None:
    assert_error(live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="comms1"), 403, "submit")
    draft = submit(live_server)
    assert_error(decide(live_server, draft, "social1"), 403, "own draft")


def test_404_for_an_unknown_draft_or_route(live_server) -> None:
    assert_error(live_server.request("GET", "/api/drafts/D-AAAAAAAA", user="legal1"), 404, "D-AAAAAAAA")
    assert_error(live_server.request("GET", "/api/nothing-here", user="legal1"), 404)
    assert_error(live_server.request("DELETE", "/api/drafts", user="legal1"), 405)


def test_409_for_a_stale_version_or_a_final_draft(live_server) -> None:
    draft = submit(live_server)
    assert_error(decide(live_server, draft, "legal1", version=2), 409, "version")
    decide(live_server, draft, "legal1", "reject", reason="contains_phi")
    assert_error(decide(live_server, draft, "comms1"), 409, "already rejected")


def test_413_for_a_body_over_the_limit(live_server) -> None:
    limit = live_server.settings.server.max_body_bytes
    padding = "We are so sorry for the wait in our emergency department. " * (limit // 50)
    big = json.dumps({"text": CLEAR, "context": padding}).encode()
    assert len(big) > limit
    reply = live_server.request("POST", "/api/drafts", raw=big, user="social1")
    assert_error(reply, 413, "too large", f"{limit} bytes")
    draft = submit(live_server)
    decision = json.dumps({"decision": "approve", "version": 1, "comment": padding}).encode()
    reply = live_server.request("POST", f"/api/drafts/{draft['id']}/decisions", raw=decision, user="legal1")
    assert_error(reply, 413, f"{limit} bytes")
    for action in ("versions", "override", "withdraw", "posted"):
        reply = live_server.request(
            "POST", f"/api/drafts/{draft['id']}/{action}", raw=decision, user="social1"
        )
        assert_error(reply, 413, f"{limit} bytes")
    # Just under the limit is read (and then judged on its fields).
    fits = json.dumps({"text": CLEAR, "context": "x" * (limit - 200)}).encode()
    assert len(fits) <= limit
    assert_error(live_server.request("POST", "/api/drafts", raw=fits, user="social1"), 422, "context")


NEW_DRAFT_CASES = [
    ({}, ["'text' is required"]),
    ({"text": 42}, ["'text' must be a string"]),
    ({"text": ["Thanks!"]}, ["'text' must be a string"]),
    ({"text": "   "}, ["empty"]),
    ({"text": CLEAR, "network": "myspace"}, ["unknown network", "facebook", "google-reviews"]),
    ({"text": CLEAR, "network": 3}, ["'network' must be a string"]),
    ({"text": CLEAR, "in_reply_to": {"url": "https://x.com/1"}}, ["'in_reply_to' must be a string"]),
    ({"text": CLEAR, "context": False}, ["'context' must be a string"]),
    ({"text": CLEAR, "in_reply_to": "https://" + "a" * 2100}, ["in_reply_to", "2000"]),
]


def test_422_for_invalid_fields_of_a_new_draft(live_server) -> None:
    for body, words in NEW_DRAFT_CASES:
        assert_error(live_server.request("POST", "/api/drafts", body, user="social1"), 422, *words)
    assert live_server.request("GET", "/api/drafts", user="social1").data["drafts"] == []


def test_422_for_a_draft_over_3000_characters_says_the_limit(live_server) -> None:
    text = block("Get well soon, {canary}! We are thinking of you. ") * 70
    assert len(text) > 3000
    reply = live_server.request("POST", "/api/drafts", {"text": text}, user="social1")
    assert_error(reply, 422, f"the draft is {len(text)} characters", "the limit is 3000")
    assert CANARY not in reply.body.decode()


DECISION_CASES = [
    ({"version": 1}, ["'decision' is required"]),
    ({"decision": "approve"}, ["'version' is required", "integer"]),
    ({"decision": "approve", "version": "1"}, ["'version'", "integer"]),
    ({"decision": "approve", "version": True}, ["'version'", "integer"]),
    ({"decision": "approve", "version": 1.0}, ["'version'", "integer"]),
    ({"decision": "approved", "version": 1}, ["'approve' or 'reject'"]),
    ({"decision": "approve", "version": 1, "text": 7}, ["'text' must be a string"]),
    ({"decision": "approve", "version": 1, "comment": ["ok"]}, ["'comment' must be a string"]),
    ({"decision": "approve", "version": 1, "acknowledge_override": "yes"}, ["true or false"]),
    ({"decision": "reject", "version": 1, "reason": "meh"}, ["reason code", "contains_phi"]),
]


def test_422_for_invalid_decision_fields(live_server) -> None:
    draft = submit(live_server)
    for body, words in DECISION_CASES:
        reply = live_server.request("POST", f"/api/drafts/{draft['id']}/decisions", body, user="legal1")
        assert_error(reply, 422, *words)
    unchanged = live_server.request("GET", f"/api/drafts/{draft['id']}", user="legal1").data
    assert unchanged["decisions"] == [] and unchanged["status"] == "pending"


def test_errors_are_json_for_every_route_under_api(live_server) -> None:
    for method, path in (
        ("GET", "/api/drafts"),
        ("GET", "/api/drafts/D-23456789"),
        ("GET", "/api/me"),
        ("POST", "/api/drafts/D-23456789/decisions"),
        ("POST", "/api/drafts/D-23456789/versions"),
        ("POST", "/api/drafts/D-23456789/override"),
        ("POST", "/api/drafts/D-23456789/withdraw"),
        ("POST", "/api/drafts/D-23456789/posted"),
    ):
        assert_error(live_server.request(method, path, {} if method == "POST" else None), 401)
