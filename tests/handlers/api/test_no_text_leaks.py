"""The whole API flow leaves no draft text in logs, the outbox, the audit trail or the metrics."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.conftest import CANARY, canary_draft
from tests.handlers.api.support import CLEAR, assert_error, block, decide, post_link, submit


def _rows(live_server, table: str) -> list[dict]:
    with live_server.db.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text(f"SELECT * FROM {table}"))]


def test_the_whole_flow_keeps_draft_text_out_of_logs_outbox_and_audit(live_server, captured_logs) -> None:
    logged_before = len(captured_logs)
    context = canary_draft("Mother of {canary} commented under the NICU fundraiser post")

    # A blocked draft, edited, overridden, approved with comments, posted.
    draft = submit(live_server, block(), network="facebook", in_reply_to=post_link(1), context=context)
    path = f"/api/drafts/{draft['id']}"
    edited = live_server.request(
        "POST",
        f"{path}/versions",
        {"text": block("Glad your appendectomy went well, {canary}! Keep the incision dry.")},
        user="social1",
    ).data
    assert edited["status"] == "blocked"
    justification = canary_draft("{canary}'s family asked us publicly to thank the surgical team.")
    assert (
        live_server.request(
            "POST", f"{path}/override", {"justification": justification}, user="social1"
        ).status
        == 200
    )
    comment = canary_draft("OK for {canary}, the family posted it first.")
    assert decide(live_server, edited, "legal1", acknowledge_override=True, comment=comment).status == 200
    approved = decide(live_server, edited, "comms1", comment=comment).data
    assert approved["status"] == "approved"
    link = f"{post_link(1)}?comment_id=42&reply_to={CANARY}"
    assert live_server.request("POST", f"{path}/posted", {"link": link}, user="social1").status == 200

    # An approver's edit, a rejection, a withdrawal.
    second = submit(live_server, CLEAR, context=context)
    edit = canary_draft("Thank you, {canary}, for the kind words about our maternity team!")
    after_edit = decide(live_server, second, "legal1", text=edit, comment=comment).data
    assert (
        decide(live_server, after_edit, "comms1", "reject", reason="confirms_patient", comment=comment).status
        == 200
    )
    third = submit(live_server, block("{canary}, we hope your chemo is going well."))
    assert live_server.request("POST", f"/api/drafts/{third['id']}/withdraw", user="social1").status == 200

    # Refused requests carrying the text.
    too_long = live_server.request("POST", "/api/drafts", {"text": block() * 60}, user="social1")
    assert_error(too_long, 422, "limit is 3000")
    broken = live_server.request(
        "POST", "/api/drafts", raw=json.dumps({"text": block()}).encode()[:-2], user="social1"
    )
    assert_error(broken, 400)
    for reply in (too_long, broken):
        assert CANARY not in reply.body.decode()

    assert live_server.drain() >= 0
    live_server.request("GET", "/metrics")

    # The text is stored where it belongs (so the checks below are meaningful)...
    assert CANARY in repr(_rows(live_server, "draft_texts"))
    # ...and nowhere else.
    outbox = _rows(live_server, "outbox")
    audit = _rows(live_server, "audit_events")
    assert outbox and audit
    for table, rows in (("outbox", outbox), ("audit_events", audit)):
        dumped = json.dumps(rows, default=str).lower()
        assert CANARY.lower() not in dumped, table
        assert "appendectomy" not in dumped and "surgical team" not in dumped, table
    kinds = {row["kind"] for row in audit}
    assert {"submitted", "scanned", "resubmitted", "decided", "edited", "posted", "withdrawn"} <= kinds
    leaks = [line for line in captured_logs[logged_before:] if CANARY.lower() in line.lower()]
    assert leaks == []
    assert CANARY not in live_server.request("GET", "/metrics").body.decode()
