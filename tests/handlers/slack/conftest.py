"""Slack scenario fixtures: a fake Slack Web API, settings pointing at it, a running phigate server.

People (Slack user -> phigate identity): U1 Sam Rivera (social team, submits), U2 Dana Whitfield and
U3 Lee Okafor (legal), U4 Priya Natarajan (comms). Channels: C_LEGAL, C_COMMS, drafts in C_DRAFTS.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from handlers.slack import surface as slack_surface
from storage.db import Database
from tests.handlers.live_server import LiveServer
from tests.handlers.slack.fake_slack import FakeSlack
from tests.handlers.slack.support import SlackClient

BOT_TOKEN = "xoxb-test"
SIGNING_SECRET = "test-signing-secret"
LEGAL_CHANNEL = "C_LEGAL"
COMMS_CHANNEL = "C_COMMS"
DRAFTS_CHANNEL = "C_DRAFTS"
SOCIAL_USER, LEGAL_USER, LEGAL_USER_2, COMMS_USER = "U1", "U2", "U3", "U4"
NAMES = {
    SOCIAL_USER: "Sam Rivera",
    LEGAL_USER: "Dana Whitfield",
    LEGAL_USER_2: "Lee Okafor",
    COMMS_USER: "Priya Natarajan",
}
GROUPS = {
    "legal": [f"slack:{LEGAL_USER}", f"slack:{LEGAL_USER_2}"],
    "comms": [f"slack:{COMMS_USER}"],
    "social": [f"slack:{SOCIAL_USER}"],
}


# Work that overruns Slack's inline budget (2 s) is acknowledged first and answered later. On a slow or
# loaded CI machine a scan plus its transaction can overrun it, and a test that reads the form's inline
# answer would then fail by chance. The flows are tested with a budget no machine overruns; the budget
# itself, and the deferred answers, are tested in test_slow_scan.py (marker: product_budget).
SCENARIO_BUDGET_SECONDS = 30.0


@pytest.fixture(autouse=True)
def _scenario_budget(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("product_budget") is None:
        monkeypatch.setattr(slack_surface, "INLINE_BUDGET_SECONDS", SCENARIO_BUDGET_SECONDS)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A running fake Slack Web API that knows the names of U1..U4."""
    with FakeSlack() as fake:
        fake.users.update(NAMES)
        yield fake


def make_slack_settings(fake: FakeSlack, database: Database, **slack: object) -> Settings:
    """Settings for a Slack workspace served by ``fake`` on ``database`` (``slack`` overrides fields)."""
    base = Settings.load(env={"PHIGATE_SERVER__OUTBOX_POLL_SECONDS": "0.2"})
    data = base.model_dump()
    data["database_url"] = database.url.render_as_string(hide_password=False)
    data["slack"] = {
        **data["slack"],
        "bot_token": BOT_TOKEN,
        "signing_secret": SIGNING_SECRET,
        "api_url": fake.api_url,
        "channels": {"legal": LEGAL_CHANNEL, "comms": COMMS_CHANNEL},
        "drafts_channel": DRAFTS_CHANNEL,
        **slack,
    }
    data["identity"] = {
        **data["identity"],
        "groups": GROUPS,
        "submitters": ("social",),
        "names": {f"slack:{user}": name for user, name in NAMES.items()},
    }
    return Settings.model_validate(data)


@pytest.fixture
def slack_settings(fake_slack: FakeSlack, database: Database) -> Settings:
    """Settings whose Slack section points at ``fake_slack`` (SQLite and PostgreSQL, via ``database``)."""
    return make_slack_settings(fake_slack, database)


@pytest.fixture
def slack_server(
    slack_settings: Settings, database: Database, fake_slack: FakeSlack
) -> Iterator[tuple[LiveServer, SlackClient]]:
    """A running phigate server with the Slack app, and a client sending it signed Slack requests."""
    server = LiveServer(slack_settings, database, ManualClock()).start()
    try:
        yield server, SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
    finally:
        server.stop()
