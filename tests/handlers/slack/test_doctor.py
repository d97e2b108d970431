"""``phigate doctor`` against the fake Slack Web API: the token is checked with auth.test, no message sent."""

from __future__ import annotations

from pathlib import Path

from tests.handlers.doctor_support import line, migrated_sqlite
from tests.handlers.slack.fake_slack import FakeSlack


def slack_env(fake: FakeSlack, tmp_path: Path, token: str = "xoxb-doctor") -> dict[str, str]:
    return {
        "PHIGATE_DATABASE_URL": migrated_sqlite(tmp_path),
        "SLACK_BOT_TOKEN": token,
        "SLACK_SIGNING_SECRET": "doctor-secret",
        "SLACK_API_URL": fake.api_url,
        "PHIGATE_SLACK_LEGAL_CHANNEL": "C_LEGAL",
        "PHIGATE_SLACK_COMMS_CHANNEL": "C_COMMS",
    }


def test_a_valid_token_and_channels(fake_slack: FakeSlack, tmp_path: Path, doctor) -> None:
    code, out = doctor("--skip-scanner", **slack_env(fake_slack, tmp_path))
    assert code == 0, out
    assert line(out, "slack").startswith("OK    slack") and "bot token valid" in out
    assert "legal=C_LEGAL" in line(out, "slack channels")
    assert [call.method for call in fake_slack.calls] == ["auth.test"]  # nothing posted


def test_a_refused_token_says_how_to_fix_it(fake_slack: FakeSlack, tmp_path: Path, doctor) -> None:
    code, out = doctor("--skip-scanner", **slack_env(fake_slack, tmp_path, token="xoxp-not-a-bot-token"))
    assert code == 1
    found = line(out, "slack")
    assert found.startswith("FAIL") and "invalid_auth" in found and "reinstall the app" in found
    assert "xoxp-not-a-bot-token" not in out


def test_a_missing_review_channel(fake_slack: FakeSlack, tmp_path: Path, doctor) -> None:
    env = slack_env(fake_slack, tmp_path)
    del env["PHIGATE_SLACK_COMMS_CHANNEL"]
    code, out = doctor("--skip-scanner", **env)
    assert code == 1
    assert "no review channel for comms" in out and "set PHIGATE_SLACK_COMMS_CHANNEL" in out


def test_an_unreachable_slack_api(tmp_path: Path, doctor) -> None:
    with FakeSlack() as fake:
        env = slack_env(fake, tmp_path)
    code, out = doctor("--skip-scanner", **env)  # the fake has stopped: nothing listens there
    assert code == 1 and "unreachable" in line(out, "slack")
