"""``/api/incidents`` over HTTP: report, read, tick each step, close; permissions and bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.db import Database
from tests.handlers.api.support import CLEAR, approve_fully, assert_error, started_server, submit
from tests.handlers.live_server import LiveServer

POST = "https://www.instagram.com/p/Cx1Lakeside/"
PRIVACY = "legal2"  # the privacy officer in these tests


@pytest.fixture
def server(database: Database) -> Iterator[LiveServer]:
    live = started_server(database, {"PHIGATE_IDENTITY__PRIVACY_OFFICERS": f"sandbox:{PRIVACY}"})
    yield live
    live.stop()


def report(server: LiveServer, user: str = "social1", **fields) -> dict:
    reply = server.request(
        "POST", "/api/incidents", {"link": POST, "categories": ["NAME", "DATE"], **fields}, user=user
    )
    assert reply.status == 201, reply.body
    return reply.data


def tick(server: LiveServer, incident: dict, step: str, user: str, **fields):
    return server.request("POST", f"/api/incidents/{incident['id']}/steps/{step}", fields, user=user)


def test_report_tick_every_step_and_close(server: LiveServer) -> None:
    draft = submit(server, CLEAR)
    approve_fully(server, draft)
    assert (
        server.request("POST", f"/api/drafts/{draft['id']}/posted", {"link": POST}, user="social1").status
        == 200
    )
    incident = report(server, noticed_by="a community manager")
    assert incident["network"] == "instagram" and incident["draft_id"] == draft["id"]
    assert incident["approvers"] == ["sandbox:legal1", "sandbox:comms1"]
    assert incident["days_left"] == 60 and [c["done"] for c in incident["checklist"]] == [False] * 5
    assert tick(server, incident, "post_removed", "comms1").status == 200
    assert tick(server, incident, "screenshot_preserved", "legal1", note="DMS-2026-0042").status == 200
    assert tick(server, incident, "privacy_officer_notified", "legal1").status == 200
    assert tick(server, incident, "risk_assessment_started", PRIVACY).status == 200
    done = tick(
        server, incident, "patient_contacted", PRIVACY, note="not needed: low risk", not_applicable=True
    )
    assert done.status == 200 and all(step["done"] for step in done.data["checklist"])
    screenshot = done.data["checklist"][1]
    assert (screenshot["by"], screenshot["note"]) == ("sandbox:legal1", "DMS-2026-0042")
    closed = server.request(
        "POST", f"/api/incidents/{incident['id']}/close", {"outcome": "no_breach"}, user=PRIVACY
    )
    assert (
        closed.status == 200
        and closed.data["status"] == "closed"
        and closed.data["closed_by"] == f"sandbox:{PRIVACY}"
    )
    listed = server.request("GET", "/api/incidents?status=closed", user="comms1").data["incidents"]
    assert [i["id"] for i in listed] == [incident["id"]]
    assert server.request("GET", "/api/incidents?status=open", user="comms1").data["incidents"] == []


def test_refusals_are_clear_and_change_nothing(server: LiveServer) -> None:
    incident = report(server)
    assert_error(tick(server, incident, "risk_assessment_started", "legal1"), 403, "privacy officer")
    assert_error(tick(server, incident, "post_removed", "social1"), 403, "only")
    assert_error(tick(server, incident, "screenshot_preserved", "legal1"), 422, "reference")
    assert_error(tick(server, incident, "tweet_deleted", "legal1"), 422, "unknown step")
    early = server.request(
        "POST", f"/api/incidents/{incident['id']}/close", {"outcome": "no_breach"}, user=PRIVACY
    )
    assert_error(early, 409, "open steps")
    wrong = server.request(
        "POST", f"/api/incidents/{incident['id']}/close", {"outcome": "fine"}, user=PRIVACY
    )
    assert_error(wrong, 422, "unknown outcome")
    assert_error(server.request("GET", "/api/incidents/I-MISSING1", user="legal1"), 404, "no incident")
    again = server.request("GET", f"/api/incidents/{incident['id']}", user="legal1").data
    assert [c["done"] for c in again["checklist"]] == [False] * 5 and again["status"] == "open"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"categories": ["NAME"]}, 422, ("link",)),
        ({"link": "ftp://x.com/1", "categories": ["NAME"]}, 422, ("https",)),
        ({"link": POST, "categories": "NAME"}, 422, ("list",)),
        ({"link": POST, "categories": []}, 422, ("disclosed",)),
        ({"link": POST, "categories": ["NAME"], "draft_id": "D-NOPE0000"}, 404, ("no draft",)),
        ({"link": POST, "categories": ["NAME"], "discovered_at": "last week"}, 422, ("ISO 8601",)),
    ],
)
def test_bad_reports(server: LiveServer, body: dict, status: int, words: tuple[str, ...]) -> None:
    assert_error(server.request("POST", "/api/incidents", body, user="social1"), status, *words)


def test_an_unidentified_caller_is_refused(server: LiveServer) -> None:
    assert_error(server.request("GET", "/api/incidents"), 401, "identity")
