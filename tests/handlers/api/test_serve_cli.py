"""``phigate serve`` as a real process, and the ``db`` and ``config check`` commands it relies on."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from handlers.cli.main import main
from tests.databases import ENGINES, database_url, postgres_schema_url, require_postgres

ROOT = Path(__file__).resolve().parents[3]
PHIGATE = ROOT / ".venv" / "bin" / "phigate"


def _env(**settings: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PHIGATE_")}
    return {**env, **settings}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _phigate(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PHIGATE), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


@contextmanager
def serving(port: int, env: dict[str, str], cwd: Path) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """``phigate serve --port PORT`` with its stderr lines collected as they come; terminated at the end."""
    process = subprocess.Popen(
        [str(PHIGATE), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")), daemon=True)
    reader.start()
    try:
        yield process, lines
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_serve_prints_the_sandbox_banner_answers_healthz_and_stops_on_sigterm(tmp_path) -> None:
    port = _free_port()
    database = tmp_path / "phigate.db"
    env = _env(PHIGATE_DATABASE_URL=f"sqlite:///{database}")
    with serving(port, env, tmp_path) as (process, lines):
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert health == (200, {"status": "ok", "mode": "sandbox", "outbox_pending": 0}), "".join(lines)
        banner = "".join(lines)
        assert "phigate: sandbox mode (no Slack or Teams credentials configured)" in banner
        assert f"http://127.0.0.1:{port}/" in banner
        assert "social1" in banner and "legal1" in banner and "comms1" in banner
        assert "schema upgraded" in banner  # the embedded SQLite database migrates itself
        process.terminate()
        assert process.wait(timeout=15) == 0
    assert database.exists()


def test_serve_refuses_a_public_host_in_sandbox_mode(tmp_path) -> None:
    database = tmp_path / "never-created.db"
    done = _phigate(
        "serve", "--host", "0.0.0.0", env=_env(PHIGATE_DATABASE_URL=f"sqlite:///{database}"), cwd=tmp_path
    )
    assert done.returncode == 2
    assert "sandbox mode" in done.stderr and "only listens on loopback, not 0.0.0.0" in done.stderr
    assert "--host 127.0.0.1" in done.stderr
    assert not database.exists()  # refused before the database was touched


def test_serve_refuses_an_out_of_date_postgresql_schema(tmp_path) -> None:
    require_postgres()
    with postgres_schema_url() as url:
        done = _phigate(
            "serve", "--port", str(_free_port()), env=_env(PHIGATE_DATABASE_URL=url), cwd=tmp_path
        )
    assert done.returncode == 3
    assert "phigate: database error:" in done.stderr
    assert "schema empty" in done.stderr and "run `phigate db upgrade`" in done.stderr


@pytest.fixture
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("PHIGATE_", "SLACK_")):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.mark.parametrize("engine", ENGINES)
def test_db_upgrade_then_current(engine, tmp_path, clean_env, capsys) -> None:
    with database_url(engine, tmp_path) as url:
        clean_env.setenv("PHIGATE_DATABASE_URL", url)
        assert main(["db", "current"]) == 1
        assert "schema empty" in capsys.readouterr().out
        assert main(["db", "upgrade"]) == 0
        upgraded = capsys.readouterr().out
        assert "schema empty ->" in upgraded
        assert main(["db", "current"]) == 0
        assert "(up to date)" in capsys.readouterr().out
        assert main(["db", "upgrade"]) == 0  # a second upgrade changes nothing
        assert main(["db", "current"]) == 0


def test_db_commands_say_when_the_database_cannot_be_reached(clean_env, capsys) -> None:
    clean_env.setenv("PHIGATE_DATABASE_URL", "postgresql://phigate:hunter2@127.0.0.1:1/phigate")
    assert main(["db", "current"]) == 3
    err = capsys.readouterr().err
    assert "phigate: database error: cannot reach the database at postgresql" in err
    assert "hunter2" not in err


def test_config_check_masks_secrets(clean_env, capsys) -> None:
    clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-secret")  # Slack's standard name
    clean_env.setenv("PHIGATE_SLACK__SIGNING_SECRET", "8f14e45fceea167a5a36dedd4bea2543")
    clean_env.setenv("PHIGATE_DATABASE_URL", "postgresql://phigate:hunter2@db.stmarys.internal/phigate")
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "xoxb-secret" not in out and "8f14e45fceea" not in out and "hunter2" not in out
    effective = json.loads(out[: out.rindex("}") + 1])
    assert effective["slack"]["bot_token"] == "****"
    assert effective["slack"]["signing_secret"] == "****"
    assert effective["slack"]["app_token"] == ""
    assert effective["database_url"] == "postgresql://phigate:****@db.stmarys.internal/phigate"
    assert effective["mode"] == "workspace"
    assert out.rstrip().endswith("configuration OK")


def test_config_check_in_sandbox_mode(clean_env, capsys) -> None:
    assert main(["config", "check"]) == 0
    assert json.loads(capsys.readouterr().out.rsplit("}", 1)[0] + "}")["mode"] == "sandbox"


def test_config_check_explains_an_invalid_value(clean_env, capsys) -> None:
    clean_env.setenv("PHIGATE_POLICY__ORDER", "sideways")
    assert main(["config", "check"]) == 2
    captured = capsys.readouterr()
    assert "configuration OK" not in captured.out
    assert "phigate: configuration error: invalid configuration" in captured.err
    assert "policy.order (or PHIGATE_POLICY__ORDER)" in captured.err
    assert "'parallel' or 'sequential'" in captured.err
