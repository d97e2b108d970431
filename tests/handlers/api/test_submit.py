"""POST /api/drafts: the scan result, the approval progress, blocked drafts, idempotency keys."""

from __future__ import annotations

from tests.conftest import CANARY
from tests.handlers.api.support import CLEAR, CLEAR_2, REVIEW, block, post_link, submit


def test_clear_draft_is_pending_with_progress_per_group(live_server) -> None:
    reply = live_server.request(
        "POST",
        "/api/drafts",
        {"text": CLEAR, "network": "facebook", "in_reply_to": post_link(), "context": "praise for L&D"},
        user="social1",
    )
    assert reply.status == 201
    draft = reply.data
    assert draft["id"].startswith("D-") and len(draft["id"]) == 10
    assert draft["status"] == "pending"
    assert draft["version"] == 1
    assert draft["verdict"] == "clear" and draft["score"] == 0
    assert draft["findings"] == []
    assert draft["text"] == CLEAR
    assert draft["network"] == "facebook"
    assert draft["in_reply_to"] == post_link()
    assert draft["context"] == "praise for L&D"
    assert draft["author"] == {"id": "sandbox:social1", "name": "Sam Rivera (social)"}
    assert draft["final_approver"] is None and draft["rejected_by"] is None
    assert [(g["group"], g["required"], g["approved_by"], g["done"]) for g in draft["approvals"]] == [
        ("legal", 1, [], False),
        ("comms", 1, [], False),
    ]
    assert draft["decisions"] == []
    assert [v["version"] for v in draft["versions"]] == [1]
    assert draft["created_at"].endswith("Z") and draft["expires_at"] > draft["created_at"]


def test_review_verdict_explains_its_finding(live_server) -> None:
    draft = submit(live_server, REVIEW, network="google-reviews")
    assert draft["status"] == "pending"
    assert draft["verdict"] == "review"
    assert 0.3 <= draft["score"] < 0.7
    [finding] = draft["findings"]
    assert finding["category"] == "PATIENT_RELATIONSHIP"
    assert finding["explanation"]
    assert 0 <= finding["start"] < finding["end"] <= len(REVIEW)
    assert draft["suggestion"]


def test_block_verdict_still_answers_201_with_status_blocked(live_server) -> None:
    text = block()
    reply = live_server.request("POST", "/api/drafts", {"text": text, "network": "instagram"}, user="social1")
    assert reply.status == 201
    draft = reply.data
    assert draft["status"] == "blocked"
    assert draft["verdict"] == "block" and draft["score"] >= 0.7
    categories = {f["category"] for f in draft["findings"]}
    assert {"PATIENT_RELATIONSHIP", "NAME"} <= categories
    assert CANARY not in draft["redacted"]
    assert draft["suggestion"] and CANARY not in draft["suggestion"]
    # Blocked drafts wait for the author (edit or override): nobody is asked to approve yet.
    assert live_server.request("GET", "/api/drafts?status=pending", user="legal1").data["drafts"] == []


def test_network_defaults_to_other_and_fields_are_trimmed(live_server) -> None:
    draft = submit(live_server, CLEAR_2, in_reply_to=f"  {post_link(2)}  ", context="  ")
    assert draft["network"] == "other"
    assert draft["in_reply_to"] == post_link(2)
    assert draft["context"] == ""


def test_idempotency_key_returns_the_same_draft_for_a_repeat(live_server) -> None:
    key = {"Idempotency-Key": "compose-7f3a9c"}
    first = live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="social1", headers=key)
    again = live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="social1", headers=key)
    assert first.status == again.status == 201
    assert again.data["id"] == first.data["id"]
    assert again.headers.get("Idempotent-Replay") == "true"
    assert "Idempotent-Replay" not in first.headers
    listed = live_server.request("GET", "/api/drafts", user="social1").data["drafts"]
    assert [d["id"] for d in listed] == [first.data["id"]]
    # Another key, or no key, is a new draft.
    other = live_server.request(
        "POST", "/api/drafts", {"text": CLEAR}, user="social1", headers={"Idempotency-Key": "compose-2"}
    )
    plain = live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="social1")
    assert len({first.data["id"], other.data["id"], plain.data["id"]}) == 3


def test_a_failed_submission_does_not_use_up_its_idempotency_key(live_server) -> None:
    key = {"Idempotency-Key": "retry-after-fix"}
    bad = live_server.request(
        "POST", "/api/drafts", {"text": CLEAR, "network": "myspace"}, user="social1", headers=key
    )
    assert bad.status == 422
    good = live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="social1", headers=key)
    assert good.status == 201 and "Idempotent-Replay" not in good.headers


def test_only_submitter_groups_may_submit(live_server) -> None:
    reply = live_server.request("POST", "/api/drafts", {"text": CLEAR}, user="legal1")
    assert reply.status == 403
    assert "submit" in reply.data["error"]


def test_the_draft_limit_is_inclusive(live_server) -> None:
    limit = live_server.settings.policy.max_chars
    sentence = "Our walk-in clinics are open every day from 8 a.m. to 8 p.m. for minor injuries. "
    text = (sentence * (limit // len(sentence) + 1))[:limit]
    draft = submit(live_server, text)
    assert len(draft["text"]) == limit
    assert draft["status"] == "pending"
