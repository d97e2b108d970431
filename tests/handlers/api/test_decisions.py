"""POST /api/drafts/{id}/decisions: approve, approve with edits, reject, stale versions, repeats."""

from __future__ import annotations

import pytest

from tests.handlers.api.support import (
    CLEAR,
    CLEAR_EDITED,
    approve_fully,
    assert_error,
    block,
    decide,
    started_server,
    submit,
)


def test_legal_and_comms_approve_and_the_last_one_is_the_final_approver(live_server) -> None:
    draft = submit(live_server)
    after_legal = decide(live_server, draft, "legal1", comment="Fine from legal.")
    assert after_legal.status == 200
    legal = after_legal.data
    assert legal["status"] == "pending" and legal["final_approver"] is None
    progress = {g["group"]: g for g in legal["approvals"]}
    assert progress["legal"]["done"] is True
    assert progress["legal"]["approved_by"] == [{"id": "sandbox:legal1", "name": "Lee Chen (legal)"}]
    assert progress["comms"]["done"] is False and progress["comms"]["approved_by"] == []

    final = decide(live_server, draft, "comms1").data
    assert final["status"] == "approved"
    assert final["version"] == 1
    assert final["final_approver"]["id"] == "sandbox:comms1"
    assert final["final_approver"]["name"] == "Cam Duarte (comms)"
    assert all(g["done"] for g in final["approvals"])
    assert [(d["actor"]["id"], d["group"], d["decision"], d["version"]) for d in final["decisions"]] == [
        ("sandbox:legal1", "legal", "approve", 1),
        ("sandbox:comms1", "comms", "approve", 1),
    ]
    assert final["decisions"][0]["comment"] == "Fine from legal."
    assert live_server.request("GET", f"/api/drafts/{draft['id']}", user="social1").data == final


def test_reject_needs_a_reason_code_and_ends_the_review(live_server) -> None:
    draft = submit(live_server)
    assert_error(decide(live_server, draft, "comms1", "reject"), 422, "reason")
    assert_error(decide(live_server, draft, "comms1", "reject", reason="too long"), 422, "off_brand")
    rejected = decide(live_server, draft, "comms1", "reject", reason="off_brand", comment="Tone.").data
    assert rejected["status"] == "rejected"
    assert rejected["rejected_by"] == {
        "id": "sandbox:comms1",
        "name": "Cam Duarte (comms)",
        "reason": "off_brand",
    }
    assert rejected["final_approver"] is None
    # Already final: legal can no longer approve.
    assert_error(decide(live_server, draft, "legal1"), 409, "rejected")


def test_approve_with_edits_makes_a_new_version_the_others_must_approve(live_server) -> None:
    draft = submit(live_server)
    edited = decide(live_server, draft, "legal1", text=CLEAR_EDITED, comment="Softer wording.").data
    assert edited["status"] == "pending"
    assert edited["version"] == 2 and edited["text"] == CLEAR_EDITED
    assert [(v["version"], v["reason"], v["created_by"]) for v in edited["versions"]] == [
        (1, "submitted", "sandbox:social1"),
        (2, "edited_by_approver", "sandbox:legal1"),
    ]
    progress = {g["group"]: g for g in edited["approvals"]}
    assert progress["legal"]["done"] and not progress["comms"]["done"]

    # comms saw version 1: the text changed since, so the decision is refused.
    stale = decide(live_server, draft, "comms1")
    assert_error(stale, 409, "version 1", "version 2")
    final = decide(live_server, edited, "comms1").data
    assert final["status"] == "approved" and final["version"] == 2
    assert final["final_approver"]["id"] == "sandbox:comms1"


def test_an_edit_that_the_scan_blocks_sends_the_draft_back_blocked(live_server) -> None:
    draft = submit(live_server)
    edited = decide(live_server, draft, "legal1", text=block()).data
    assert edited["status"] == "blocked" and edited["verdict"] == "block" and edited["version"] == 2
    assert_error(decide(live_server, edited, "comms1"), 409, "blocked")


def test_repeating_the_same_decision_is_idempotent(live_server) -> None:
    draft = submit(live_server)
    first = decide(live_server, draft, "legal1")
    again = decide(live_server, draft, "legal1")
    assert first.status == again.status == 200
    assert again.data == first.data
    assert len(again.data["decisions"]) == 1
    # Also once final, a double click on the last approval changes nothing.
    final = decide(live_server, draft, "comms1")
    repeat = decide(live_server, draft, "comms1")
    assert repeat.status == 200 and repeat.data == final.data
    # A rejection repeated after the draft was approved is not a repeat: the review is over.
    assert_error(decide(live_server, draft, "legal2", "reject", reason="other"), 409, "approved")


def test_a_second_member_of_a_done_group_is_not_needed(live_server) -> None:
    draft = submit(live_server)
    decide(live_server, draft, "legal1")
    assert_error(decide(live_server, draft, "legal2"), 409, "legal already has the approvals")


def test_wrong_group_and_wrong_decision(live_server) -> None:
    draft = submit(live_server)
    # The author is refused as such; an identified user outside legal and comms for their group.
    assert_error(decide(live_server, draft, "social1"), 403, "your own draft")
    _, secret = live_server.db.run(lambda tx: tx.tokens.create("api:analytics", "dashboards"))
    outsider = live_server.request(
        "POST",
        f"/api/drafts/{draft['id']}/decisions",
        {"decision": "approve", "version": 1},
        token=secret,
    )
    assert_error(outsider, 403, "only members of legal, comms")
    assert_error(decide(live_server, draft, "legal1", "maybe"), 422, "approve", "reject")
    assert_error(decide(live_server, draft, "legal1", version=7), 409, "version 7")
    missing = live_server.request(
        "POST", "/api/drafts/D-NOSUCH00/decisions", {"decision": "approve", "version": 1}, user="legal1"
    )
    assert_error(missing, 404, "D-NOSUCH00")


def test_blocked_draft_cannot_be_approved_until_overridden(live_server) -> None:
    draft = submit(live_server, block())
    assert draft["status"] == "blocked"
    assert_error(decide(live_server, draft, "legal1"), 409, "blocked")


@pytest.fixture
def linked_accounts(database):
    """A server where the social team's Pat also holds the legal2 account (one person, two accounts)."""
    server = started_server(
        database,
        {"PHIGATE_IDENTITY__PEOPLE": '{"pat.okafor@stmarys.org": ["sandbox:social1", "sandbox:legal2"]}'},
    )
    yield server
    server.stop()


def test_nobody_approves_their_own_draft_even_from_another_account(linked_accounts) -> None:
    draft = submit(linked_accounts, user="social1")
    assert_error(decide(linked_accounts, draft, "legal2"), 403, "your own draft")
    assert_error(decide(linked_accounts, draft, "legal2", "reject", reason="other"), 403, "your own draft")
    assert decide(linked_accounts, draft, "legal1").status == 200


@pytest.fixture
def sequential(database):
    """A server whose policy asks legal first, then comms."""
    server = started_server(database, {"PHIGATE_POLICY__ORDER": "sequential"})
    yield server
    server.stop()


def test_sequential_policy_makes_comms_wait_for_legal(sequential) -> None:
    draft = submit(sequential, CLEAR)
    waiting = {g["group"]: g for g in draft["approvals"]}
    assert waiting["comms"]["waiting_for_earlier_group"] is True
    assert_error(decide(sequential, draft, "comms1"), 409, "waiting for legal")
    # A rejection is never out of turn.
    approve_fully(sequential, submit(sequential, CLEAR))
    rejected = decide(sequential, draft, "comms1", "reject", reason="factually_wrong")
    assert rejected.status == 200 and rejected.data["status"] == "rejected"
