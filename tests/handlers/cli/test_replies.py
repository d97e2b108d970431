"""``phigate replies``: canned replies managed under review; each is scanned clean before it is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.phi.replies import read_managed
from bot.phi.scanner import get_scanner
from tests.conftest import canary_draft


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Path:
    path = tmp_path / "phigate.toml"
    path.write_text('[organization]\nname = "Lakeside Hospital"\npatient_relations_phone = "555-0100"\n')
    monkeypatch.setenv("PHIGATE_CONFIG", str(path))
    return path


SAFE = "Thank you for reaching out! {organization} takes every concern seriously; please call {patient_relations}."


def test_a_clean_reply_is_accepted_audited_and_used_by_the_scanner(
    config: Path, database_url: str, phigate, scenario
) -> None:
    code, out, _ = phigate("replies", "add", "complaint", SAFE)
    assert code == 0, out
    assert "accepted" in out
    assert read_managed(config.with_name("phigate-replies.toml")) == {"complaint": SAFE}
    with scenario.db.transaction(write=False) as tx:
        last = list(tx.audit.events())[-1]
    assert (
        last.kind == "replies_changed" and last.subject_id == "complaint" and last.data == {"change": "set"}
    )
    suggestion = get_scanner(Settings.load()).scan("We're sorry your stay on 4 West was so long.").suggestion
    assert suggestion == (
        "Thank you for reaching out! Lakeside Hospital takes every concern seriously; please call "
        "our Patient Relations team at 555-0100."
    )
    code, out, _ = phigate("replies", "list")
    assert "[complaint] (managed; scans clear)" in out and "[praise] (default; scans clear)" in out


def test_a_reply_with_phi_is_refused_with_the_findings(config: Path, database_url: str, phigate) -> None:
    code, out, _ = phigate(
        "replies", "add", "praise", canary_draft("Glad your knee surgery went well, {canary}!")
    )
    assert code == 1
    assert "refused: the scanner rates this reply block" in out and "PATIENT_RELATIONSHIP" in out
    assert not config.with_name("phigate-replies.toml").exists()


@pytest.mark.parametrize(
    ("kind", "text", "said"),
    [
        ("birthday", SAFE, "unknown kind"),
        ("praise", "Thanks, {name}!", "unknown placeholder"),
        ("praise", " ", "empty"),
    ],
)
def test_bad_input_is_a_usage_error(
    config: Path, database_url: str, phigate, kind: str, text: str, said: str
) -> None:
    code, _, err = phigate("replies", "add", kind, text)
    assert code == 2 and said in err


def test_remove_falls_back_and_is_audited(config: Path, database_url: str, phigate, scenario) -> None:
    assert phigate("replies", "add", "praise", "Thank you so much, we will share this with the team!")[0] == 0
    code, out, _ = phigate("replies", "remove", "praise")
    assert code == 0 and "the praise reply is the default one again" in out
    assert read_managed(config.with_name("phigate-replies.toml")) == {}
    with scenario.db.transaction(write=False) as tx:
        kinds = [(e.kind, e.data.get("change")) for e in tx.audit.events()][-2:]
    assert kinds == [("replies_changed", "set"), ("replies_changed", "removed")]
    assert phigate("replies", "remove", "praise")[0] == 1  # nothing managed any more


def test_a_broken_managed_file_is_a_configuration_error(config: Path, database_url: str, phigate) -> None:
    config.with_name("phigate-replies.toml").write_text("[replies\n")
    code, _, err = phigate("replies", "list")
    assert code == 2 and "phigate-replies.toml is not valid TOML" in err
