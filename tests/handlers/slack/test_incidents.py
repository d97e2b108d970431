"""Incidents in Slack: ``/phigate incident <link>``, the card in legal and comms, each step and permission."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from handlers.slack import ids
from tests.handlers.live_server import LiveServer
from tests.handlers.slack.conftest import SIGNING_SECRET, make_slack_settings
from tests.handlers.slack.fake_slack import FakeSlack
from tests.handlers.slack.flows import card_calls, latest_card, opened_views
from tests.handlers.slack.support import SlackClient, checkboxes, plain, select, state_value
from tests.handlers.steps import eventually

POST = "https://www.facebook.com/lakeside/posts/77?comment_id=5"
PRIVACY = "U3"  # Lee Okafor, legal and the privacy officer here


@pytest.fixture
def incident_server(fake_slack: FakeSlack, database) -> Iterator[tuple[LiveServer, SlackClient]]:  # type: ignore[no-untyped-def]
    settings = make_slack_settings(fake_slack, database)
    identity = settings.identity.model_copy(update={"privacy_officers": (f"slack:{PRIVACY}",)})
    server = LiveServer(settings.model_copy(update={"identity": identity}), database).start()
    try:
        yield server, SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
    finally:
        server.stop()


def card_text(fake: FakeSlack, channel: str) -> str:
    """The newest card in ``channel`` as JSON text ('' before any card was posted)."""
    return json.dumps(latest_card(fake, channel), ensure_ascii=False) if card_calls(fake, channel) else ""


def thread_replies(fake: FakeSlack) -> list[Any]:
    """Messages posted in a thread (the reminders)."""
    return [call for call in fake.calls_to("chat.postMessage") if call.params.get("thread_ts")]


def view_opened_after(fake: FakeSlack, before: int) -> dict[str, Any]:
    """The first view opened after ``before`` views: the app opens it after acknowledging the request."""
    return fake.wait_for("views.open", count=before + 1)[before].json_param("view")


def step_button(fake: FakeSlack, step: str) -> str:
    for block in latest_card(fake, "C_LEGAL"):
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == ids.INCIDENT_TICK and json.loads(accessory["value"])["s"] == step:
            return accessory["value"]
    raise AssertionError(f"no button for {step}")


def report(client: SlackClient, fake: FakeSlack, user: str = "U1") -> str:
    before = len(opened_views(fake))
    assert client.slash_command(f"incident {POST}", user=user).status == 200
    form = view_opened_after(fake, before)
    assert form["callback_id"] == ids.INCIDENT_REPORT_VIEW
    assert any(b.get("element", {}).get("initial_value") == POST for b in form["blocks"])
    categories = {
        "type": "multi_static_select",
        "selected_options": [{"value": "PATIENT_RELATIONSHIP"}, {"value": "DATE"}],
    }
    values = state_value(*ids.INCIDENT_LINK_INPUT, plain(POST)) | state_value(
        *ids.INCIDENT_CATEGORIES_INPUT, categories
    )
    reply = client.view_submission(ids.INCIDENT_REPORT_VIEW, values, user=user)
    assert reply.status == 200 and not reply.body.strip(), reply.body  # the form closes
    eventually(
        lambda: "PHI incident" in card_text(fake, "C_LEGAL") and "PHI incident" in card_text(fake, "C_COMMS")
    )
    return json.loads(step_button(fake, "post_removed"))["i"]


def click(client: SlackClient, action: str, value: str, user: str) -> Any:
    return client.block_action(action, value, user=user, channel="C_LEGAL")


def test_report_work_the_checklist_and_close_in_slack(incident_server, fake_slack: FakeSlack) -> None:
    server, client = incident_server
    incident_id = report(client, fake_slack)
    assert "60 days left" in card_text(fake_slack, "C_COMMS") and "PATIENT_RELATIONSHIP" in card_text(
        fake_slack, "C_LEGAL"
    )

    # A simple step is ticked at once, and both cards change in place.
    assert click(client, ids.INCIDENT_TICK, step_button(fake_slack, "post_removed"), "U4").status == 200
    eventually(lambda: "Post removed or hidden — Priya Natarajan" in card_text(fake_slack, "C_COMMS"))
    assert "Post removed or hidden — Priya Natarajan" in card_text(fake_slack, "C_LEGAL")

    # The screenshot step asks for a reference in a form; an empty one is refused under the input.
    before = len(opened_views(fake_slack))
    assert (
        click(client, ids.INCIDENT_TICK, step_button(fake_slack, "screenshot_preserved"), "U2").status == 200
    )
    form = view_opened_after(fake_slack, before)
    assert form["callback_id"] == ids.INCIDENT_STEP_VIEW
    refused = client.view_submission(
        ids.INCIDENT_STEP_VIEW, {}, private_metadata=form["private_metadata"], user="U2"
    )
    assert refused.data["response_action"] == "errors" and "reference" in json.dumps(refused.data["errors"])
    values = state_value(*ids.INCIDENT_NOTE_INPUT, plain("DMS-2026-0042"))
    assert (
        client.view_submission(
            ids.INCIDENT_STEP_VIEW, values, private_metadata=form["private_metadata"], user="U2"
        ).status
        == 200
    )
    eventually(lambda: "DMS-2026-0042" in card_text(fake_slack, "C_LEGAL"))

    click(client, ids.INCIDENT_TICK, step_button(fake_slack, "privacy_officer_notified"), "U2")
    eventually(lambda: "Privacy officer notified — Dana Whitfield" in card_text(fake_slack, "C_LEGAL"))
    click(client, ids.INCIDENT_TICK, step_button(fake_slack, "risk_assessment_started"), PRIVACY)
    eventually(lambda: "Breach risk assessment started — Lee Okafor" in card_text(fake_slack, "C_LEGAL"))
    before = len(opened_views(fake_slack))
    click(client, ids.INCIDENT_TICK, step_button(fake_slack, "patient_contacted"), PRIVACY)
    form = view_opened_after(fake_slack, before)
    values = state_value(*ids.INCIDENT_NOT_APPLICABLE_INPUT, checkboxes("yes")) | state_value(
        *ids.INCIDENT_NOTE_INPUT, plain("low risk; the family posted it themselves")
    )
    assert (
        client.view_submission(
            ids.INCIDENT_STEP_VIEW, values, private_metadata=form["private_metadata"], user=PRIVACY
        ).status
        == 200
    )
    eventually(lambda: "not applicable: low risk" in card_text(fake_slack, "C_LEGAL"))

    close_value = ids.dumps({"i": incident_id})
    before = len(opened_views(fake_slack))
    assert click(client, ids.INCIDENT_CLOSE, close_value, PRIVACY).status == 200
    form = view_opened_after(fake_slack, before)
    assert form["callback_id"] == ids.INCIDENT_CLOSE_VIEW
    values = state_value(*ids.INCIDENT_OUTCOME_INPUT, select("no_breach"))
    assert (
        client.view_submission(
            ids.INCIDENT_CLOSE_VIEW, values, private_metadata=form["private_metadata"], user=PRIVACY
        ).status
        == 200
    )
    eventually(
        lambda: (
            "Closed" in card_text(fake_slack, "C_COMMS")
            and ids.INCIDENT_CLOSE not in card_text(fake_slack, "C_COMMS")
        )
    )
    with server.db.transaction(write=False) as tx:
        incident = tx.incidents.get(incident_id)
    assert incident.status == "closed" and [r.actor for r in incident.steps.values()] == [
        "slack:U4",
        "slack:U2",
        "slack:U2",
        f"slack:{PRIVACY}",
        f"slack:{PRIVACY}",
    ]


def test_refused_clicks_are_explained_and_change_nothing(incident_server, fake_slack: FakeSlack) -> None:
    _, client = incident_server
    incident_id = report(client, fake_slack)
    before = len([c for c in fake_slack.calls if c.method == "chat.update"])
    click(
        client, ids.INCIDENT_TICK, step_button(fake_slack, "post_removed"), "U1"
    )  # the social team reports only
    click(client, ids.INCIDENT_TICK, step_button(fake_slack, "risk_assessment_started"), "U2")  # officer only
    click(client, ids.INCIDENT_CLOSE, ids.dumps({"i": incident_id}), "U2")
    click(client, ids.INCIDENT_TICK, '{"i": "I-NOTHERE", "s": "post_removed"}', "U2")
    answers = fake_slack.wait_for_response("action", count=4)
    said = json.dumps(answers)
    assert "only" in said and "privacy officer" in said and "no incident" in said
    assert all(answer["response_type"] == "ephemeral" for answer in answers)
    assert len([c for c in fake_slack.calls if c.method == "chat.update"]) == before


def test_a_bad_report_shows_the_problem_in_the_form(incident_server, fake_slack: FakeSlack) -> None:
    _, client = incident_server
    values = state_value(*ids.INCIDENT_LINK_INPUT, plain("see facebook")) | state_value(
        *ids.INCIDENT_CATEGORIES_INPUT,
        {"type": "multi_static_select", "selected_options": [{"value": "NAME"}]},
    )
    reply = client.view_submission(ids.INCIDENT_REPORT_VIEW, values, user="U1")
    assert reply.data["response_action"] == "errors"
    assert "https://" in reply.data["errors"][ids.INCIDENT_LINK_INPUT[0]]
    assert not [c for c in fake_slack.calls if c.method == "chat.postMessage"]


def test_the_daily_reminder_refreshes_the_clock_and_posts_in_the_thread(
    fake_slack: FakeSlack, database
) -> None:  # type: ignore[no-untyped-def]
    from bot.clock import ManualClock
    from handlers.worker import remind_incidents

    settings = make_slack_settings(fake_slack, database)
    identity = settings.identity.model_copy(update={"privacy_officers": (f"slack:{PRIVACY}",)})
    server = LiveServer(settings.model_copy(update={"identity": identity}), database, ManualClock()).start()
    try:
        client = SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
        incident_id = report(client, fake_slack)
        assert "60 days left" in card_text(fake_slack, "C_LEGAL")
        server.clock.advance(days=54, hours=1)
        assert server.call_soon(remind_incidents(server.ctx)) == [incident_id]
        assert server.call_soon(remind_incidents(server.ctx)) == []  # once a day, never doubled
        server.drain()
        eventually(lambda: "6 days left" in card_text(fake_slack, "C_COMMS"))
        replies = eventually(
            lambda: thread_replies(fake_slack) if len(thread_replies(fake_slack)) == 2 else []
        )
        assert sorted(c.params["channel"] for c in replies) == ["C_COMMS", "C_LEGAL"]
        assert all(
            ":rotating_light:" in c.params["text"] and "6 days left" in c.params["text"] for c in replies
        )
        assert "Post removed or hidden" in replies[0].params["text"]
    finally:
        server.stop()
