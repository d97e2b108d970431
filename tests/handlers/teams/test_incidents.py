"""Incidents in Teams: ``incident <link>`` -> the report form -> the incident card in legal and comms ->
each step as an Action.Execute, refusals with a notice, the privacy officer closes, a daily reminder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from handlers.teams import ids
from handlers.worker import remind_incidents
from storage.db import Database
from tests.handlers.live_server import LiveServer
from tests.handlers.teams.conftest import (
    COMMS_CHANNEL,
    COMMS_USER,
    LEGAL_CHANNEL,
    LEGAL_USER,
    LEGAL_USER_2,
    SOCIAL_USER,
    TEAM_ID,
)
from tests.handlers.teams.fake_connector import FakeConnector
from tests.handlers.teams.flows import eventually, install, text_of, verbs, walk
from tests.handlers.teams.support import TeamsClient, personal_conversation

POST = "https://www.instagram.com/p/LakesideNICU/"
PRIVACY = LEGAL_USER_2  # Lee Okafor: legal, and the privacy officer here


@pytest.fixture
def server(
    teams_settings: Settings, database: Database, fake_connector: FakeConnector
) -> Iterator[tuple[LiveServer, TeamsClient]]:
    identity = teams_settings.identity.model_copy(update={"privacy_officers": (PRIVACY.phigate_id,)})
    live = LiveServer(
        teams_settings.model_copy(update={"identity": identity}), database, ManualClock()
    ).start()
    try:
        client = TeamsClient(
            live.url, service_url=fake_connector.service_url, team_id=TEAM_ID, default_user=SOCIAL_USER
        )
        install(client)
        yield live, client
    finally:
        live.stop()


def incident_cards(
    server: LiveServer, fake: FakeConnector, incident_id: str
) -> dict[str, tuple[str, dict[str, Any]]]:
    """channel -> (activity id, current card) of the incident's cards, once both are posted."""
    refs = eventually(
        lambda: (
            (found := server.db.run(lambda tx: tx.cards.get(incident_id, ids.SURFACE), write=False))
            and len(found) == 2
            and found
        )
    )
    cards = {}
    for channel in (LEGAL_CHANNEL, COMMS_CHANNEL):
        activity = eventually(lambda channel=channel: fake.activity(channel, refs[channel]))
        cards[channel] = (refs[channel], activity["attachments"][0]["content"])
    return cards


def report(client: TeamsClient, fake: FakeConnector) -> dict[str, Any]:
    assert client.message(f"incident {POST}", user=SOCIAL_USER).status in (200, 201)
    form = eventually(lambda: fake.last_card(personal_conversation(SOCIAL_USER)))
    assert ids.INCIDENT_REPORT in verbs(form) and POST in str(form)
    inputs = {ids.INCIDENT_LINK: POST, ids.INCIDENT_CATEGORIES: "PATIENT_RELATIONSHIP,CLINICAL_DETAIL"}
    invoke = client.execute(
        ids.INCIDENT_REPORT,
        {},
        inputs=inputs,
        user=SOCIAL_USER,
        conversation=personal_conversation(SOCIAL_USER),
    )
    assert invoke.status == 200
    return invoke.data["value"]


def tick(
    client: TeamsClient,
    card: dict[str, Any],
    step: str,
    user: Any,
    channel: str,
    activity_id: str,
    **inputs: str,
):
    data = next(d for verb, d in _all_verbs(card) if verb == ids.INCIDENT_TICK and d[ids.STEP] == step)
    return client.execute(
        ids.INCIDENT_TICK,
        data,
        inputs=inputs or None,
        user=user,
        conversation=channel,
        reply_to_id=activity_id,
    )


def _all_verbs(card: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(n["verb"], n.get("data", {})) for n in walk(card) if n.get("type") == "Action.Execute"]


def test_report_tick_every_step_and_close_in_teams(server, fake_connector: FakeConnector) -> None:
    live, client = server
    answer = report(client, fake_connector)
    assert "PHI incident I-" in text_of(answer) and "60 days left" in text_of(answer)
    incident_id = verbs(answer)[ids.INCIDENT_REFRESH][ids.INCIDENT]
    cards = incident_cards(live, fake_connector, incident_id)
    legal_id, legal_card = cards[LEGAL_CHANNEL]

    done = tick(client, legal_card, "post_removed", COMMS_USER, LEGAL_CHANNEL, legal_id)
    assert "Post removed or hidden — Priya Natarajan" in text_of(done.data["value"])
    comms_id, _ = cards[COMMS_CHANNEL]
    eventually(
        lambda: (
            "Post removed or hidden — Priya Natarajan"
            in text_of(fake_connector.activity(COMMS_CHANNEL, comms_id))
        )
    )

    refused = tick(client, legal_card, "screenshot_preserved", LEGAL_USER, LEGAL_CHANNEL, legal_id)
    assert "reference" in text_of(refused.data["value"]) and "Nothing was changed" in text_of(
        refused.data["value"]
    )
    tick(
        client,
        legal_card,
        "screenshot_preserved",
        LEGAL_USER,
        LEGAL_CHANNEL,
        legal_id,
        **{ids.INCIDENT_NOTE: "DMS-2026-0042"},
    )
    tick(client, legal_card, "privacy_officer_notified", LEGAL_USER, LEGAL_CHANNEL, legal_id)
    officer_only = tick(client, legal_card, "risk_assessment_started", LEGAL_USER, LEGAL_CHANNEL, legal_id)
    assert "privacy officer" in text_of(officer_only.data["value"])
    tick(client, legal_card, "risk_assessment_started", PRIVACY, LEGAL_CHANNEL, legal_id)
    last = tick(
        client,
        legal_card,
        "patient_contacted",
        PRIVACY,
        LEGAL_CHANNEL,
        legal_id,
        **{ids.INCIDENT_NA: ids.TOGGLE_ON, ids.INCIDENT_NOTE: "low risk; family informed"},
    )
    assert "not applicable: low risk" in text_of(last.data["value"])

    close = verbs(last.data["value"])[ids.INCIDENT_CLOSE]
    not_officer = client.execute(
        ids.INCIDENT_CLOSE,
        close,
        inputs={ids.INCIDENT_OUTCOME: "no_breach"},
        user=COMMS_USER,
        conversation=LEGAL_CHANNEL,
        reply_to_id=legal_id,
    )
    assert "privacy officer" in text_of(not_officer.data["value"])
    closed = client.execute(
        ids.INCIDENT_CLOSE,
        close,
        inputs={ids.INCIDENT_OUTCOME: "no_breach"},
        user=PRIVACY,
        conversation=LEGAL_CHANNEL,
        reply_to_id=legal_id,
    )
    assert "Closed" in text_of(closed.data["value"]) and ids.INCIDENT_TICK not in verbs(closed.data["value"])
    eventually(lambda: "Closed" in text_of(fake_connector.activity(COMMS_CHANNEL, comms_id)))
    assert fake_connector.updated(COMMS_CHANNEL, comms_id)  # updated in place
    with live.db.transaction(write=False) as tx:
        stored = tx.incidents.get(incident_id)
    assert stored.status == "closed" and [r.actor for r in stored.steps.values()] == [
        COMMS_USER.phigate_id,
        LEGAL_USER.phigate_id,
        LEGAL_USER.phigate_id,
        PRIVACY.phigate_id,
        PRIVACY.phigate_id,
    ]


def test_a_bad_report_and_the_daily_reminder(server, fake_connector: FakeConnector) -> None:
    live, client = server
    bad = client.execute(
        ids.INCIDENT_REPORT,
        {},
        inputs={ids.INCIDENT_LINK: "see instagram", ids.INCIDENT_CATEGORIES: "NAME"},
        user=SOCIAL_USER,
        conversation=personal_conversation(SOCIAL_USER),
    )
    assert "https://" in text_of(bad.data["value"]) and "Nothing was reported" in text_of(bad.data["value"])
    answer = report(client, fake_connector)
    incident_id = verbs(answer)[ids.INCIDENT_REFRESH][ids.INCIDENT]
    cards = incident_cards(live, fake_connector, incident_id)
    live.clock.advance(days=1, minutes=5)
    assert live.call_soon(remind_incidents(live.ctx)) == [incident_id]
    live.drain()
    for channel, (activity_id, _) in cards.items():
        replies = eventually(
            lambda channel=channel: [a for a in fake_connector.sent(channel) if "still open" in text_of(a)]
        )
        assert "59 days left" in text_of(replies[-1]) and f"messageid={activity_id}" in str(
            replies[-1].get("conversation")
        )
