"""Teams scenario fixtures: a fake Bot Connector, settings for it, a running phigate server, a client.

People (Teams user -> phigate identity ``teams:<aad object id>``): SOCIAL_USER Sam Rivera (social
team, submits), LEGAL_USER Dana Whitfield and LEGAL_USER_2 Lee Okafor (legal), COMMS_USER Priya
Natarajan (comms), OUTSIDER Alex Moreau (in no group). Channels of team TEAM_ID: LEGAL_CHANNEL,
COMMS_CHANNEL, DRAFTS_CHANNEL.

``teams_server`` runs without an app id (sandbox/Emulator mode: unauthenticated activities on
loopback); ``teams_auth_server`` with an app id, validating tokens against ``local_openid`` and
getting its outbound token from ``fake_connector``'s token endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from storage.db import Database
from tests.handlers.live_server import LiveServer
from tests.handlers.teams.fake_connector import FakeConnector
from tests.handlers.teams.openid import LocalOpenId
from tests.handlers.teams.support import TENANT_ID, TeamsClient, TeamsUser

TEAM_ID = "19:hospital-general@thread.tacv2"
TEAM_NAME = "Test Hospital"
LEGAL_CHANNEL = "19:legal@thread.tacv2"
COMMS_CHANNEL = "19:comms@thread.tacv2"
DRAFTS_CHANNEL = "19:drafts@thread.tacv2"
CHANNEL_NAMES = {
    LEGAL_CHANNEL: "Legal review",
    COMMS_CHANNEL: "Comms review",
    DRAFTS_CHANNEL: "Social drafts",
}

SOCIAL_USER = TeamsUser("5c1b7a3e-0d2f-4e8a-9b61-0000000000a1", "Sam Rivera")
LEGAL_USER = TeamsUser("5c1b7a3e-0d2f-4e8a-9b61-0000000000b1", "Dana Whitfield")
LEGAL_USER_2 = TeamsUser("5c1b7a3e-0d2f-4e8a-9b61-0000000000b2", "Lee Okafor")
COMMS_USER = TeamsUser("5c1b7a3e-0d2f-4e8a-9b61-0000000000c1", "Priya Natarajan")
OUTSIDER = TeamsUser("5c1b7a3e-0d2f-4e8a-9b61-0000000000d1", "Alex Moreau")
PEOPLE = (SOCIAL_USER, LEGAL_USER, LEGAL_USER_2, COMMS_USER, OUTSIDER)
GROUPS = {
    "legal": [LEGAL_USER.phigate_id, LEGAL_USER_2.phigate_id],
    "comms": [COMMS_USER.phigate_id],
    "social": [SOCIAL_USER.phigate_id],
}

# An authenticated bot (``teams_auth_*``): SingleTenant, as new Azure bots are.
APP_ID = "3f0e7c52-6a1d-4b9e-8c27-5d4a1e9b0f63"
APP_PASSWORD = "test-client-secret"


@pytest.fixture
def fake_connector() -> Iterator[FakeConnector]:
    """A running fake Bot Connector that knows the people, the team and its channels."""
    with FakeConnector() as fake:
        for person in PEOPLE:
            fake.add_member(person.id, person.name, person.aad_object_id, tenant_id=TENANT_ID)
        fake.add_team(TEAM_ID, TEAM_NAME, CHANNEL_NAMES)
        yield fake


@pytest.fixture
def local_openid() -> Iterator[LocalOpenId]:
    """A local OpenID metadata document and signing key, standing in for login.botframework.com."""
    with LocalOpenId() as openid:
        yield openid


def make_teams_settings(database: Database, **teams: object) -> Settings:
    """Settings with the Teams review channels on ``database`` (``teams`` overrides [teams] fields)."""
    base = Settings.load(env={"PHIGATE_SERVER__OUTBOX_POLL_SECONDS": "0.2"})
    data = base.model_dump()
    data["database_url"] = database.url.render_as_string(hide_password=False)
    data["teams"] = {
        **data["teams"],
        "channels": {"legal": LEGAL_CHANNEL, "comms": COMMS_CHANNEL},
        "drafts_channel": DRAFTS_CHANNEL,
        **teams,
    }
    data["identity"] = {
        **data["identity"],
        "groups": GROUPS,
        "submitters": ("social",),
        "names": {person.phigate_id: person.name for person in PEOPLE},
    }
    return Settings.model_validate(data)


def auth_overrides(fake: FakeConnector, openid: LocalOpenId) -> dict[str, str]:
    """The [teams] endpoint overrides that keep inbound validation and outbound tokens on this machine.

    MSAL must also trust the fake's self-signed certificate: set ``REQUESTS_CA_BUNDLE`` to
    ``fake.ca_file`` (the ``teams_auth_*`` fixtures do).
    """
    return {
        "openid_metadata_url": openid.metadata_url,
        "token_issuer": openid.issuer,
        "login_url": fake.login_url,
        "oauth_scope": "https://api.botframework.com",
    }


@pytest.fixture
def teams_settings(fake_connector: FakeConnector, database: Database) -> Settings:
    """Settings without an app id (sandbox/Emulator mode), SQLite and PostgreSQL via ``database``."""
    return make_teams_settings(database)


@pytest.fixture
def teams_auth_settings(
    fake_connector: FakeConnector,
    local_openid: LocalOpenId,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> Settings:
    """Settings of an authenticated SingleTenant bot whose auth endpoints are the local servers."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake_connector.ca_file)
    fake_connector.client_secrets[APP_ID] = APP_PASSWORD
    fake_connector.require_token = fake_connector.access_token
    return make_teams_settings(
        database,
        app_id=APP_ID,
        app_password=APP_PASSWORD,
        app_type="SingleTenant",
        app_tenant_id=TENANT_ID,
        **auth_overrides(fake_connector, local_openid),
    )


def _client(
    server: LiveServer, fake: FakeConnector, app_id: str = "", token_factory: Callable[[], str] | None = None
) -> TeamsClient:
    return TeamsClient(
        server.url,
        service_url=fake.service_url,
        token_factory=token_factory,
        app_id=app_id,
        team_id=TEAM_ID,
        default_user=SOCIAL_USER,
    )


@pytest.fixture
def teams_server(
    teams_settings: Settings, database: Database, fake_connector: FakeConnector
) -> Iterator[tuple[LiveServer, TeamsClient]]:
    """A running phigate server with the Teams bot (no app id), and a client posting Teams activities."""
    server = LiveServer(teams_settings, database, ManualClock()).start()
    try:
        yield server, _client(server, fake_connector)
    finally:
        server.stop()


@pytest.fixture
def teams_auth_server(
    teams_auth_settings: Settings,
    database: Database,
    fake_connector: FakeConnector,
    local_openid: LocalOpenId,
) -> Iterator[tuple[LiveServer, TeamsClient]]:
    """A running phigate server with an authenticated Teams bot; the client signs every activity."""
    server = LiveServer(teams_auth_settings, database, ManualClock()).start()
    try:
        yield (
            server,
            _client(
                server,
                fake_connector,
                app_id=APP_ID,
                token_factory=lambda: local_openid.token(APP_ID, fake_connector.service_url),
            ),
        )
    finally:
        server.stop()
