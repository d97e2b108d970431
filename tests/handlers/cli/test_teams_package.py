"""``phigate teams package``: the upload zip with the app id (and domain) filled in; refusals exit 2."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from handlers.cli.main import main

APP_ID = "3F0E7C52-6A1D-4B9E-8C27-5D4A1E9B0F63"
TEAMS = Path(__file__).resolve().parents[3] / "manifest" / "teams"


@pytest.fixture(autouse=True)
def _no_ambient_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PHIGATE_CONFIG", "MicrosoftAppId", "MICROSOFTAPPID", "PHIGATE_TEAMS__APP_ID"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["teams", "package", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_package_fills_the_app_id_and_domain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out" / "phigate.zip"
    status, out, _ = run(
        capsys, "--app-id", APP_ID, "--domain", "https://phigate.example.org/api", "--output", str(output)
    )
    assert status == 0 and str(output) in out
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        text = archive.read("manifest.json").decode()
        for icon in ("color.png", "outline.png"):
            assert archive.read(icon) == (TEAMS / icon).read_bytes()
    assert "{{" not in text
    data = json.loads(text)
    app_id = APP_ID.lower()
    assert data["id"] == app_id and data["bots"][0]["botId"] == app_id
    assert data["composeExtensions"][0]["botId"] == app_id and data["webApplicationInfo"]["id"] == app_id
    assert data["validDomains"] == ["phigate.example.org"]
    assert data["developer"]["privacyUrl"] == "https://phigate.example.org/privacy"


def test_app_id_comes_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    output = tmp_path / "phigate.zip"
    status, _, _ = run(capsys, "--output", str(output))
    assert status == 0
    with zipfile.ZipFile(output) as archive:
        data = json.loads(archive.read("manifest.json"))
    assert data["id"] == APP_ID.lower()
    assert data["validDomains"] == []  # no --domain: no placeholder left behind
    assert "{{" not in json.dumps(data)


def test_app_id_from_a_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "phigate.toml"
    config.write_text(f'[teams]\napp_id = "{APP_ID}"\napp_password = "x"\napp_tenant_id = "t"\n')
    status, _, _ = run(capsys, "--config", str(config), "--output", str(tmp_path / "p.zip"))
    assert status == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no Microsoft App ID"),
        (("--app-id", "not-a-guid"), "must be a GUID"),
        (("--app-id", "{{MICROSOFT_APP_ID}}"), "must be a GUID"),
        (("--app-id", APP_ID, "--domain", "bad host!"), "--domain must be a host name"),
    ],
)
def test_refusals_exit_2(
    args: tuple[str, ...], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "phigate.zip"
    status, _, err = run(capsys, *args, "--output", str(output))
    assert status == 2 and message in err
    assert not output.exists()
