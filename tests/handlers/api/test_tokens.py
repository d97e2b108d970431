"""``phigate token create|list|revoke`` against the server's database, then the token over HTTP."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import text

from handlers.cli.main import main
from tests.handlers.api.support import CLEAR, assert_error


@pytest.fixture
def cli(live_server, monkeypatch, capsys):
    """Run ``phigate`` in-process on the live server's database; returns (exit status, stdout)."""
    monkeypatch.setenv("PHIGATE_DATABASE_URL", live_server.db.url.render_as_string(hide_password=False))
    monkeypatch.delenv("PHIGATE_CONFIG", raising=False)

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        status = main(list(args))
        return status, capsys.readouterr().out

    return run


def _created(out: str) -> tuple[str, str]:
    match = re.search(r"token (T-[0-9a-f]+) for (\S+) \(keep it secret.*\):\n(phg_\S+)\n", out)
    assert match, out
    return match.group(1), match.group(3)


def test_create_use_list_and_revoke_a_token(live_server, cli) -> None:
    status, out = cli("token", "create", "--user", "sandbox:social1", "--label", "scheduling tool")
    assert status == 0
    token_id, secret = _created(out)
    assert "for sandbox:social1" in out

    submitted = live_server.request("POST", "/api/drafts", {"text": CLEAR, "network": "x"}, token=secret)
    assert submitted.status == 201
    assert submitted.data["author"] == {"id": "sandbox:social1", "name": "Sam Rivera (social)"}
    assert live_server.request("GET", "/api/me", token=secret).data["id"] == "sandbox:social1"

    status, listed = cli("token", "list")
    assert status == 0
    assert re.search(
        rf"^{token_id}  sandbox:social1  created \d{{4}}-\d\d-\d\d  active  scheduling tool$", listed, re.M
    )
    assert secret not in listed

    status, out = cli("token", "revoke", token_id)
    assert (status, out.strip()) == (0, f"token {token_id} revoked")
    assert_error(live_server.request("GET", "/api/me", token=secret), 401, "unknown or revoked")
    assert_error(live_server.request("POST", "/api/drafts", {"text": CLEAR}, token=secret), 401)
    status, listed = cli("token", "list")
    assert re.search(rf"^{token_id} .* revoked \d{{4}}-\d\d-\d\d ", listed, re.M)
    # Revoking twice, or an unknown id, says so and fails.
    assert cli("token", "revoke", token_id) == (1, f"no active token {token_id}\n")
    assert cli("token", "revoke", "T-00000000")[0] == 1


def test_a_token_for_a_plain_name_acts_as_api_user(live_server, cli) -> None:
    status, out = cli("token", "create", "--user", "reporting")
    assert status == 0 and "for api:reporting" in out
    _, secret = _created(out)
    me = live_server.request("GET", "/api/me", token=secret).data
    assert me["id"] == "api:reporting" and me["groups"] == [] and me["may_submit"] is False
    # In sandbox mode only the social team submits: identified, but not allowed.
    assert_error(live_server.request("POST", "/api/drafts", {"text": CLEAR}, token=secret), 403, "submit")
    assert live_server.request("GET", "/api/drafts", token=secret).status == 200


def test_a_malformed_user_is_refused(cli) -> None:
    status, out = cli("token", "create", "--user", "legal 1; drop table")
    assert status == 2 and "--user must be" in out
    assert cli("token", "list") == (0, "no tokens\n")


def test_the_secret_is_never_stored_in_clear(live_server, cli) -> None:
    secrets = [
        _created(cli("token", "create", "--user", f"sandbox:{who}")[1]) for who in ("legal1", "comms1")
    ]
    with live_server.db.engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(text("SELECT * FROM api_tokens"))]
    assert len(rows) == 2
    dumped = repr(rows)
    for token_id, secret in secrets:
        assert secret not in dumped and secret.removeprefix("phg_") not in dumped
        [row] = [row for row in rows if row["id"] == token_id]
        assert row["token_sha256"] == hashlib.sha256(secret.encode()).hexdigest()
