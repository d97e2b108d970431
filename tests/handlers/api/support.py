"""Shared pieces of the JSON API scenario tests: realistic replies, a submit helper, error checks."""

from __future__ import annotations

from typing import Any

from bot.clock import ManualClock
from bot.config import Settings
from storage.db import Database
from tests.conftest import canary_draft
from tests.handlers.live_server import LiveServer, Reply

# Replies a hospital's social team really writes. CLEAR gets a clear verdict, REVIEW one kind of care
# disclosure (review), and block() confirms a patient's care by name (the canary stands for the name).
CLEAR = (
    "Thank you for the kind words about our maternity team! We'll share your note with the nurses "
    "on the unit."
)
CLEAR_2 = "Flu shots are available at all of our walk-in clinics this weekend, no appointment needed."
CLEAR_EDITED = (
    "Thank you so much for the kind words about our maternity team! We will pass your note on to the nurses."
)
REVIEW = "Sorry your stay on 4 West was so long."


def block(template: str = "Glad your knee surgery went well, {canary}! Rest up and keep icing it.") -> str:
    """A reply the scan blocks: it confirms a named person's surgery (the name is the PHI canary)."""
    return canary_draft(template)


def post_link(n: int = 1) -> str:
    """A link to the comment answered."""
    return f"https://www.facebook.com/stmaryshospital/posts/10158{n:05d}"


def submit(server: LiveServer, text: str = CLEAR, *, user: str = "social1", **fields: Any) -> dict[str, Any]:
    """Submit a draft as ``user`` and return its JSON (asserting 201)."""
    reply = server.request("POST", "/api/drafts", {"text": text, **fields}, user=user)
    assert reply.status == 201, reply.body
    return reply.data


def decide(
    server: LiveServer, draft: dict[str, Any], user: str, decision: str = "approve", **fields: Any
) -> Reply:
    """POST a decision on the version in ``draft`` (override with ``version=``)."""
    body = {"decision": decision, "version": draft["version"], **fields}
    return server.request("POST", f"/api/drafts/{draft['id']}/decisions", body, user=user)


def approve_fully(server: LiveServer, draft: dict[str, Any]) -> dict[str, Any]:
    """Legal, then comms approve the current version; returns the approved draft."""
    assert decide(server, draft, "legal1").status == 200
    reply = decide(server, draft, "comms1")
    assert reply.status == 200, reply.body
    assert reply.data["status"] == "approved"
    return reply.data


def assert_error(reply: Reply, status: int, *words: str) -> dict[str, str]:
    """``reply`` is the API's JSON error with ``status``; its message or detail mentions ``words``."""
    assert reply.status == status, (reply.status, reply.body[:300])
    assert reply.headers.get("Content-Type", "").startswith("application/json"), reply.headers
    assert isinstance(reply.data, dict) and set(reply.data) == {"error", "detail"}, reply.data
    assert isinstance(reply.data["error"], str) and reply.data["error"]
    assert isinstance(reply.data["detail"], str)
    said = (reply.data["error"] + " " + reply.data["detail"]).lower()
    for word in words:
        assert word.lower() in said, (word, reply.data)
    return reply.data


def started_server(database: Database, env: dict[str, str]) -> LiveServer:
    """Another live server on ``database`` with extra settings (stop it when done)."""
    settings = Settings.load(env={"PHIGATE_SERVER__OUTBOX_POLL_SECONDS": "0.2", **env})
    return LiveServer(settings, database, ManualClock()).start()
