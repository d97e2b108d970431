"""The author's actions: new versions, override of a blocked draft, withdraw, mark posted."""

from __future__ import annotations

from tests.conftest import CANARY
from tests.handlers.api.support import (
    CLEAR,
    CLEAR_2,
    CLEAR_EDITED,
    REVIEW,
    approve_fully,
    assert_error,
    block,
    decide,
    post_link,
    submit,
)

JUSTIFICATION = "The patient posted this publicly and asked us to reply; legal cleared it by phone."


def act(server, draft, action: str, body=None, user: str = "social1"):
    return server.request("POST", f"/api/drafts/{draft['id']}/{action}", body or {}, user=user)


def test_a_new_version_restarts_the_review(live_server) -> None:
    draft = submit(live_server, REVIEW)
    decide(live_server, draft, "legal1")
    reply = act(live_server, draft, "versions", {"text": CLEAR_EDITED})
    assert reply.status == 200
    edited = reply.data
    assert edited["status"] == "pending" and edited["version"] == 2
    assert edited["verdict"] == "clear" and edited["findings"] == []
    assert edited["text"] == CLEAR_EDITED
    assert [(v["version"], v["verdict"], v["reason"]) for v in edited["versions"]] == [
        (1, "review", "submitted"),
        (2, "clear", "resubmitted"),
    ]
    # Legal's approval was for version 1: nobody has approved version 2 yet.
    assert all(not g["done"] and g["approved_by"] == [] for g in edited["approvals"])
    assert_error(decide(live_server, draft, "comms1"), 409, "version 1")
    assert approve_fully(live_server, edited)["version"] == 2


def test_a_rejected_draft_can_be_edited_and_sent_again(live_server) -> None:
    draft = submit(live_server, REVIEW)
    decide(live_server, draft, "legal1", "reject", reason="confirms_patient")
    again = act(live_server, draft, "versions", {"text": CLEAR}).data
    assert again["status"] == "pending" and again["version"] == 2 and again["rejected_by"] is None


def test_an_edit_that_is_still_blocked_stays_blocked(live_server) -> None:
    draft = submit(live_server, block())
    still = act(
        live_server, draft, "versions", {"text": block("So glad your hip replacement went well, {canary}!")}
    )
    assert still.status == 200 and still.data["status"] == "blocked" and still.data["version"] == 2
    fixed = act(live_server, draft, "versions", {"text": CLEAR}).data
    assert fixed["status"] == "pending" and fixed["verdict"] == "clear"


def test_only_the_author_may_edit_withdraw_override_or_post(live_server) -> None:
    draft = submit(live_server, block())
    for action, body in (
        ("versions", {"text": CLEAR}),
        ("override", {"justification": JUSTIFICATION}),
        ("withdraw", {}),
        ("posted", {"link": post_link()}),
    ):
        assert_error(act(live_server, draft, action, body, user="legal1"), 403, "only the author")


def test_override_sends_a_blocked_draft_to_legal_who_must_acknowledge_it(live_server) -> None:
    draft = submit(live_server, block())
    assert_error(act(live_server, draft, "override", {}), 422, "justification")
    assert_error(act(live_server, draft, "override", {"justification": "patient is ok"}), 422, "at least 20")
    reply = act(live_server, draft, "override", {"justification": JUSTIFICATION})
    assert reply.status == 200
    overridden = reply.data
    assert overridden["status"] == "pending" and overridden["verdict"] == "block"
    assert overridden["override"] == {"justification": JUSTIFICATION}
    pending = live_server.request("GET", "/api/drafts?status=pending", user="legal1").data["drafts"]
    assert [d["id"] for d in pending] == [draft["id"]]

    assert_error(decide(live_server, draft, "legal1"), 422, "acknowledge_override")
    legal = decide(live_server, draft, "legal1", acknowledge_override=True).data
    assert legal["decisions"][0]["acknowledges_override"] is True
    final = decide(live_server, draft, "comms1").data
    assert final["status"] == "approved" and final["final_approver"]["id"] == "sandbox:comms1"
    assert_error(act(live_server, draft, "override", {"justification": JUSTIFICATION}), 409, "approved")


def test_override_is_only_for_blocked_drafts(live_server) -> None:
    draft = submit(live_server, CLEAR)
    assert_error(act(live_server, draft, "override", {"justification": JUSTIFICATION}), 409, "only blocked")


def test_withdraw_a_pending_or_blocked_draft(live_server) -> None:
    pending = submit(live_server, CLEAR)
    blocked = submit(live_server, block())
    for draft in (pending, blocked):
        reply = act(live_server, draft, "withdraw")
        assert reply.status == 200 and reply.data["status"] == "withdrawn"
        assert_error(act(live_server, draft, "withdraw"), 409, "withdrawn")
    assert_error(decide(live_server, pending, "legal1"), 409, "withdrawn")
    assert_error(act(live_server, pending, "versions", {"text": CLEAR_2}), 409, "can no longer be edited")


def test_withdraw_takes_an_empty_body(live_server) -> None:
    draft = submit(live_server, CLEAR)
    reply = live_server.request("POST", f"/api/drafts/{draft['id']}/withdraw", user="social1")
    assert reply.status == 200 and reply.data["status"] == "withdrawn"


def test_posted_records_the_live_link_of_an_approved_reply(live_server) -> None:
    draft = submit(live_server, CLEAR, network="facebook", in_reply_to=post_link(3))
    assert_error(act(live_server, draft, "posted", {"link": post_link(4)}), 409, "only approved")
    approve_fully(live_server, draft)
    assert_error(act(live_server, draft, "posted", {}), 422, "link")
    assert_error(act(live_server, draft, "posted", {"link": "facebook.com/x"}), 422, "http")
    live = "https://www.facebook.com/stmaryshospital/posts/1015800003?comment_id=88"
    posted = act(live_server, draft, "posted", {"link": live})
    assert posted.status == 200
    assert posted.data["status"] == "posted" and posted.data["posted_link"] == live
    assert posted.data["final_approver"]["id"] == "sandbox:comms1"
    # Recording the same link again is harmless; the approved text can no longer change.
    assert act(live_server, draft, "posted", {"link": live}).data == posted.data
    assert_error(act(live_server, draft, "posted", {"link": live + "&x=1"}), 409, "posted")
    assert_error(act(live_server, draft, "versions", {"text": CLEAR_2}), 409, "posted")


def test_unknown_draft_is_404_for_every_action(live_server) -> None:
    ghost = {"id": "D-ZZZZZZZZ"}
    for action, body in (
        ("versions", {"text": CLEAR}),
        ("override", {"justification": JUSTIFICATION}),
        ("withdraw", {}),
        ("posted", {"link": post_link()}),
    ):
        assert_error(act(live_server, ghost, action, body), 404, "D-ZZZZZZZZ")


def test_author_actions_never_echo_the_text_in_errors(live_server) -> None:
    draft = submit(live_server, CLEAR)
    too_long = block("Get well soon {canary}! " * 200)
    reply = act(live_server, draft, "versions", {"text": too_long})
    assert_error(reply, 422, "limit is 3000")
    assert CANARY not in reply.body.decode()
