"""The deployment files in deploy/ are what the docs say and what systemd and phigate accept."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.secrets import SECRET_SETTINGS
from tests.scale.replicas import ROOT

UNIT = ROOT / "deploy/systemd/phigate@.service"
ENV_EXAMPLE = ROOT / "deploy/systemd/phigate.env.example"


def unit() -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_the_unit_runs_one_replica_per_port_with_secrets_as_credentials() -> None:
    service = unit()["Service"]
    assert service["ExecStart"].endswith("/bin/phigate serve --host 127.0.0.1 --port %i")
    assert service["EnvironmentFile"] == "/etc/phigate/phigate.env"
    assert service["Restart"] == "on-failure" and service["NoNewPrivileges"] == "yes"
    credentials = [
        line.split("=", 1)[1].split(":")[0]
        for line in UNIT.read_text().splitlines()
        if line.startswith("LoadCredential=")
    ]
    assert credentials, "secrets reach the service as credentials"
    known = {secret.credential for secret in SECRET_SETTINGS}
    assert set(credentials) <= known, f"phigate does not read {set(credentials) - known}"


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:  # not every CI image has systemd: the parse checks above still ran
        return
    phigate = Path(sys.executable).with_name("phigate")
    local = UNIT.read_text().replace("/opt/phigate/.venv/bin/phigate", str(phigate))
    (tmp_path / "phigate@.service").write_text(local)
    result = subprocess.run(
        [analyze, "verify", str(tmp_path / "phigate@8081.service")],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [line for line in result.stderr.splitlines() if "phigate@" in line]
    assert result.returncode == 0 and not problems, result.stderr


def test_the_environment_example_is_valid_and_holds_no_secret() -> None:
    env = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert env.pop("PHIGATE_CONFIG") == "/etc/phigate/phigate.toml"  # the TOML file is the operator's
    settings = Settings.load(env=env)
    assert settings.database_url.startswith("postgresql://")
    assert settings.slack.channels == {"legal": "C0LEGAL000", "comms": "C0COMMS000"}
    secret_names = {name for secret in SECRET_SETTINGS for name in secret.variables} - {
        "PHIGATE_DATABASE_URL"
    }
    assert not secret_names & set(env)
    assert ":" not in settings.database_url.split("//")[1].split("@")[0], "no password in the example URL"
