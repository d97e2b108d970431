"""GET /api/drafts/{id}, GET /api/drafts (status filter, limit), GET /api/me."""

from __future__ import annotations

from tests.handlers.api.support import (
    CLEAR,
    CLEAR_2,
    REVIEW,
    approve_fully,
    assert_error,
    block,
    post_link,
    submit,
)


def test_get_one_draft(live_server) -> None:
    draft = submit(live_server, CLEAR, network="linkedin")
    for user in ("social1", "legal1", "comms1"):
        reply = live_server.request("GET", f"/api/drafts/{draft['id']}", user=user)
        assert reply.status == 200
        assert reply.data == draft
    assert_error(live_server.request("GET", "/api/drafts/D-23456789", user="legal1"), 404, "D-23456789")


def test_list_newest_first_and_filter_by_status(live_server) -> None:
    approved = submit(live_server, CLEAR_2)
    live_server.clock.advance(minutes=5)
    blocked = submit(live_server, block())
    live_server.clock.advance(minutes=5)
    pending = submit(live_server, REVIEW)
    live_server.clock.advance(minutes=5)
    waiting = submit(live_server, CLEAR)
    approve_fully(live_server, approved)

    def ids(query: str = "") -> list[str]:
        reply = live_server.request("GET", f"/api/drafts{query}", user="legal1")
        assert reply.status == 200
        return [d["id"] for d in reply.data["drafts"]]

    assert ids() == [waiting["id"], pending["id"], blocked["id"], approved["id"]]
    assert ids("?status=pending") == [waiting["id"], pending["id"]]
    assert ids("?status=blocked") == [blocked["id"]]
    assert ids("?status=approved") == [approved["id"]]
    assert ids("?status=posted") == []
    assert ids("?status=pending&limit=1") == [waiting["id"]]
    assert ids("?limit=0") == [waiting["id"]]  # clamped to at least one
    assert_error(live_server.request("GET", "/api/drafts?status=waiting", user="legal1"), 422, "pending")
    assert_error(live_server.request("GET", "/api/drafts?limit=ten", user="legal1"), 422, "limit")


def test_listed_drafts_have_the_same_shape_as_one_draft(live_server) -> None:
    draft = submit(live_server, REVIEW)
    [listed] = live_server.request("GET", "/api/drafts?status=pending", user="comms1").data["drafts"]
    assert listed == live_server.request("GET", f"/api/drafts/{draft['id']}", user="comms1").data


def test_drafts_answering_the_same_post_point_at_each_other(live_server) -> None:
    first = submit(live_server, CLEAR, in_reply_to=post_link(9))
    second = submit(live_server, CLEAR_2, in_reply_to=post_link(9))
    other = submit(live_server, CLEAR_2, in_reply_to=post_link(10))
    assert second["duplicates"] == [first["id"]]
    assert live_server.request("GET", f"/api/drafts/{first['id']}", user="legal1").data["duplicates"] == [
        second["id"]
    ]
    assert other["duplicates"] == []


def test_me_says_who_the_caller_is_and_what_they_may_do(live_server) -> None:
    social = live_server.request("GET", "/api/me", user="social1").data
    assert social == {
        "id": "sandbox:social1",
        "name": "Sam Rivera (social)",
        "groups": ["social"],
        "may_submit": True,
        "may_audit": False,
        "rejection_reasons": list(live_server.settings.policy.rejection_reasons),
    }
    legal = live_server.request("GET", "/api/me", user="sandbox:legal2").data
    assert legal["id"] == "sandbox:legal2" and legal["groups"] == ["legal"]
    assert legal["may_submit"] is False and legal["may_audit"] is True
    assert_error(live_server.request("GET", "/api/me"), 401, "no identity")
