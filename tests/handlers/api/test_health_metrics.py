"""/healthz and /metrics: health with the database's state, request counts by route pattern only."""

from __future__ import annotations

import re

from storage.db import Database
from tests.conftest import CANARY
from tests.handlers.api.support import CLEAR, assert_error, block, decide, submit

UNREACHABLE = "postgresql://phigate@127.0.0.1:1/phigate"


def test_healthz_is_ok_in_sandbox_mode(live_server) -> None:
    reply = live_server.request("GET", "/healthz")
    assert reply.status == 200
    assert reply.data["status"] == "ok" and reply.data["mode"] == "sandbox"
    assert isinstance(reply.data["outbox_pending"], int)


def test_metrics_count_requests_by_route_pattern_never_by_id_or_text(live_server) -> None:
    draft = submit(live_server, block())
    clear = submit(live_server, CLEAR)
    decide(live_server, clear, "legal1")
    live_server.request("GET", f"/api/drafts/{draft['id']}", user="comms1")
    live_server.request("GET", "/api/drafts/D-NOTFOUND", user="comms1")
    live_server.request("GET", f"/api/drafts?status=pending&q={CANARY}", user="comms1")
    live_server.request("GET", f"/nowhere/{CANARY}")

    reply = live_server.request("GET", "/metrics")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/plain")
    body = reply.body.decode()
    assert re.search(
        r'phigate_http_requests_total\{method="POST",route="/api/drafts",status="201"\} 2\.0', body
    )
    assert 'route="/api/drafts/{draft_id}",status="200"' in body
    assert 'route="/api/drafts/{draft_id}",status="404"' in body
    assert 'route="/api/drafts/{draft_id}/decisions",status="200"' in body
    assert 'route="unmatched"' in body
    assert re.search(r'phigate_drafts_submitted_total\{verdict="block"\} 1\.0', body)
    assert re.search(r'phigate_decisions_total\{decision="approve"\} 1\.0', body)
    assert "phigate_outbox_pending" in body and "phigate_http_request_seconds_bucket" in body
    for secret in (draft["id"], clear["id"], "D-NOTFOUND", CANARY, "knee", "status=pending"):
        assert secret not in body


def test_an_unreachable_database_makes_healthz_503_with_the_reason(live_server) -> None:
    reachable = live_server.ctx.db
    broken = Database(UNREACHABLE)
    live_server.ctx.db = broken
    try:
        health = live_server.request("GET", "/healthz")
        assert health.status == 503
        assert health.data["status"] == "unavailable"
        assert health.data["detail"].startswith("cannot reach the database at postgresql")
        assert "127.0.0.1:1" in health.data["detail"]
        # The API says so too, and promises nothing was changed.
        reply = live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="social1")
        assert_error(
            reply, 503, "database is unavailable", "nothing was changed", "cannot reach the database"
        )
        # /metrics still answers (without the outbox gauge's fresh value).
        assert live_server.request("GET", "/metrics").status == 200
    finally:
        live_server.ctx.db = reachable
        broken.dispose()
    assert live_server.request("GET", "/healthz").status == 200
