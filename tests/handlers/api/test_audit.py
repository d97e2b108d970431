"""GET /api/audit: the audit export over HTTP."""

from __future__ import annotations

import csv
import io
import json

from bot.audit import verify
from tests.conftest import CANARY, canary_draft


def _approved_draft(server) -> dict:
    draft = server.request(
        "POST", "/api/drafts", {"text": "Thanks for cheering on our nurses this week!"}, user="social1"
    ).data
    for approver in ("legal1", "comms1"):
        server.request(
            "POST",
            f"/api/drafts/{draft['id']}/decisions",
            {"decision": "approve", "version": 1},
            user=approver,
        )
    return draft


def test_jsonl_export_has_rows_and_a_summary_of_the_chain(live_server) -> None:
    draft = _approved_draft(live_server)
    blocked = live_server.request("POST", "/api/drafts", {"text": canary_draft()}, user="social1").data
    reply = live_server.request("GET", "/api/audit?format=jsonl", user="legal2")
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/x-ndjson")
    assert "attachment" in reply.headers["Content-Disposition"]
    body = reply.body.decode()
    assert CANARY not in body  # the API export never carries text
    *rows, summary = [json.loads(line) for line in body.splitlines()]
    assert {row["draft_id"] for row in rows} == {draft["id"], blocked["id"]}
    approved = next(row for row in rows if row["draft_id"] == draft["id"])
    assert approved["final_approver"]["id"] == "sandbox:comms1"
    assert [d["actor"] for d in approved["decisions"]] == ["sandbox:legal1", "sandbox:comms1"]
    with live_server.db.transaction(write=False) as tx:
        events = list(tx.audit.events())
    assert verify(events).ok
    assert summary["summary"]["events"] == len(events) and summary["summary"]["head"] == events[-1].hash
    assert events[-1].kind == "exported" and events[-1].actor == "sandbox:legal2"


def test_csv_export_and_date_window(live_server) -> None:
    draft = _approved_draft(live_server)
    reply = live_server.request("GET", "/api/audit?format=csv&since=2020-01-01", user="legal1")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(reply.body.decode())))
    assert [(row["draft_id"], row["final_status"]) for row in rows] == [(draft["id"], "approved")]
    created = draft["created_at"]
    empty = live_server.request("GET", f"/api/audit?format=jsonl&until={created}", user="legal1")
    assert [json.loads(line) for line in empty.body.decode().splitlines()][:-1] == []  # until is exclusive


def test_only_legal_and_auditors_may_export_and_bad_queries_are_422(live_server) -> None:
    assert live_server.request("GET", "/api/audit", user="comms1").status == 403
    assert live_server.request("GET", "/api/audit", user="social1").status == 403
    assert live_server.request("GET", "/api/audit").status == 401
    bad_date = live_server.request("GET", "/api/audit?since=yesterday", user="legal1")
    assert bad_date.status == 422 and "ISO 8601" in bad_date.data["error"]
    assert live_server.request("GET", "/api/audit?format=xml", user="legal1").status == 422
    backwards = live_server.request("GET", "/api/audit?since=2026-12-01&until=2026-11-01", user="legal1")
    assert backwards.status == 422
