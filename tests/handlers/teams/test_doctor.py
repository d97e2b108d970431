"""``phigate doctor`` for Teams: a token from the (local) login endpoint, channels the bot was added to."""

from __future__ import annotations

from pathlib import Path

from storage.db import Database
from tests.handlers.doctor_support import line, migrated_sqlite
from tests.handlers.teams.conftest import APP_ID, APP_PASSWORD, COMMS_CHANNEL, LEGAL_CHANNEL, auth_overrides
from tests.handlers.teams.fake_connector import FakeConnector
from tests.handlers.teams.openid import LocalOpenId
from tests.handlers.teams.support import TENANT_ID


def teams_env(
    fake: FakeConnector, openid: LocalOpenId, tmp_path: Path, password: str = APP_PASSWORD
) -> dict[str, str]:
    fake.client_secrets[APP_ID] = APP_PASSWORD
    overrides = {
        f"PHIGATE_TEAMS__{key.upper()}": value for key, value in auth_overrides(fake, openid).items()
    }
    return {
        **overrides,
        "PHIGATE_DATABASE_URL": migrated_sqlite(tmp_path),
        "MicrosoftAppId": APP_ID,
        "MicrosoftAppPassword": password,
        "MicrosoftAppType": "SingleTenant",
        "MicrosoftAppTenantId": TENANT_ID,
        "PHIGATE_TEAMS_LEGAL_CHANNEL": LEGAL_CHANNEL,
        "PHIGATE_TEAMS_COMMS_CHANNEL": COMMS_CHANNEL,
        "REQUESTS_CA_BUNDLE": fake.ca_file,
    }


def know(url: str, *channels: str) -> None:
    db = Database(url)
    for channel in channels:
        db.run(
            lambda tx, c=channel: tx.conversations.put(
                "teams", c, kind="channel", reference={"conversation": {"id": c}}
            )
        )
    db.dispose()


def test_a_token_is_obtained_and_known_channels_pass(
    fake_connector, local_openid, tmp_path: Path, doctor
) -> None:
    env = teams_env(fake_connector, local_openid, tmp_path)
    know(env["PHIGATE_DATABASE_URL"], LEGAL_CHANNEL, COMMS_CHANNEL)
    code, out = doctor("--skip-scanner", **env)
    assert code == 0, out
    assert line(out, "teams").startswith("OK") and "got a Bot Framework token" in out
    assert "legal: 19:legal@thread.tacv2 known" in out
    assert fake_connector.calls_to("token") and not fake_connector.calls_to("send")  # no message sent


def test_a_wrong_password_and_a_channel_the_bot_never_joined(
    fake_connector, local_openid, tmp_path: Path, doctor
) -> None:
    env = teams_env(fake_connector, local_openid, tmp_path, password="expired-secret")
    know(env["PHIGATE_DATABASE_URL"], LEGAL_CHANNEL)
    code, out = doctor("--skip-scanner", **env)
    assert code == 1
    found = line(out, "teams")
    assert found.startswith("FAIL") and "MicrosoftAppPassword" in found and "expired-secret" not in out
    assert "comms: the bot was never added to 19:comms@thread.tacv2" in out
