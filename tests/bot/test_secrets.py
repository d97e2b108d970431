"""Secrets from ``<VARIABLE>_FILE`` and systemd's credentials directory; never from the config file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.config import ConfigError, Settings
from bot.secrets import SECRET_SETTINGS, secrets_in_config_file

SECRET_VALUE = "s3cr3t-do-not-print-7f2a"


def write(path: Path, content: str) -> Path:
    path.write_text(content)
    return path


@pytest.mark.parametrize("secret", SECRET_SETTINGS, ids=lambda s: s.dotted)
@pytest.mark.parametrize("which", [0, -1], ids=["standard name", "phigate name"])
def test_every_secret_can_come_from_a_file(secret, which: int, tmp_path: Path) -> None:
    variable = secret.variables[which]
    values = {
        "database_url": f"sqlite:///{tmp_path / 'x.db'}",
        "encryption_key": Fernet.generate_key().decode(),
    }
    value = values.get(secret.dotted, SECRET_VALUE)
    path = write(tmp_path / "secret", f"{value}\n")  # the trailing newline editors add is dropped
    settings = Settings.load(env={f"{variable}_FILE": str(path)})
    node = settings.model_dump()
    for key in secret.path:
        node = node[key]
    assert node == value


def test_systemd_credentials_directory_is_read_when_nothing_else_is_set(tmp_path: Path) -> None:
    write(tmp_path / "slack_signing_secret", SECRET_VALUE)
    write(tmp_path / "teams_app_password", "teams-" + SECRET_VALUE)
    settings = Settings.load(env={"CREDENTIALS_DIRECTORY": str(tmp_path)})
    assert settings.slack.signing_secret == SECRET_VALUE
    assert settings.teams.app_password == "teams-" + SECRET_VALUE
    assert settings.slack.bot_token == ""  # no file, nothing invented


def test_a_variable_set_directly_wins_over_the_credentials_directory(tmp_path: Path) -> None:
    write(tmp_path / "slack_signing_secret", "from-credentials")
    env = {"CREDENTIALS_DIRECTORY": str(tmp_path), "SLACK_SIGNING_SECRET": "from-env"}
    assert Settings.load(env=env).slack.signing_secret == "from-env"


def test_both_the_variable_and_its_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "secret", SECRET_VALUE)
    with pytest.raises(ConfigError) as caught:
        Settings.load(env={"SLACK_SIGNING_SECRET": "other-value", "SLACK_SIGNING_SECRET_FILE": str(path)})
    assert "SLACK_SIGNING_SECRET and SLACK_SIGNING_SECRET_FILE are both set" in str(caught.value)
    assert SECRET_VALUE not in str(caught.value) and "other-value" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "does not exist"), ("", "is empty"), (b"\xff\xfe\x00", "cannot be read")],
)
def test_unusable_secret_files_name_the_variable_and_path(content, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "secret"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        Settings.load(env={"MicrosoftAppPassword_FILE": str(path)})
    message = str(caught.value)
    assert "MicrosoftAppPassword_FILE" in message and str(path) in message and expected in message


def test_secrets_written_in_the_config_file_are_found_by_name_only(tmp_path: Path) -> None:
    config = write(
        tmp_path / "phigate.toml",
        f'[slack]\nsigning_secret = "{SECRET_VALUE}"\nchannels = {{ legal = "C1" }}\n'
        f'[teams]\napp_password = "{SECRET_VALUE}"\napp_id = "abc"\n',
    )
    assert secrets_in_config_file(config) == ["slack.signing_secret", "teams.app_password"]
    assert (
        secrets_in_config_file(write(tmp_path / "clean.toml", '[slack]\nchannels = { legal = "C1" }\n')) == []
    )


def test_config_check_warns_about_a_secret_in_the_config_file_without_printing_it(tmp_path: Path) -> None:
    config = write(
        tmp_path / "phigate.toml",
        f'[slack]\nbot_token = "xoxb-{SECRET_VALUE}"\nsigning_secret = "{SECRET_VALUE}"\n',
    )
    env = {"PATH": "/usr/bin:/bin", "PHIGATE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = subprocess.run(
        [sys.executable, "-m", "handlers.cli.main", "config", "check", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    output = result.stdout + result.stderr
    assert "warning: slack.bot_token is written in" in output
    assert SECRET_VALUE not in output
