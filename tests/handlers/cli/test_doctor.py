"""``phigate doctor``: each check says OK, WARN or FAIL with a fix; exit 1 only on a failure."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.handlers.cli.conftest import Scenario, tampering
from tests.handlers.doctor_support import line, migrated_sqlite


def test_a_healthy_sandbox_install_passes_every_check(tmp_path: Path, doctor) -> None:
    code, out = doctor(PHIGATE_DATABASE_URL=migrated_sqlite(tmp_path))
    assert code == 0, out
    assert line(out, "configuration").startswith("OK    configuration  valid; sandbox mode")
    assert line(out, "schema").startswith("OK") and "newest" in line(out, "schema")
    assert line(out, "audit chain").startswith("OK") and line(out, "outbox").startswith("OK")
    assert line(out, "slack").startswith("SKIP") and line(out, "teams").startswith("SKIP")
    assert line(out, "scanner").startswith("OK") and "loaded and scanned" in line(out, "scanner")
    assert "0 failed" in out


def test_an_invalid_setting_fails_before_anything_else(doctor) -> None:
    code, out = doctor("--skip-scanner", PHIGATE_POLICY__EXPIRY_HOURS="-1")
    assert code == 1
    assert line(out, "configuration").startswith("FAIL") and "expiry_hours" in out
    assert "database" not in out


def test_an_unreachable_database_and_a_schema_behind(tmp_path: Path, doctor) -> None:
    code, out = doctor("--skip-scanner", PHIGATE_DATABASE_URL="postgresql://postgres@127.0.0.1:1/nothing")
    assert code == 1
    assert line(out, "database").startswith("FAIL") and "fix: check PHIGATE_DATABASE_URL" in line(
        out, "database"
    )
    code, out = doctor("--skip-scanner", PHIGATE_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1
    assert "at empty, this phigate needs" in line(out, "schema") and "phigate db upgrade" in line(
        out, "schema"
    )


def test_a_broken_chain_and_failed_deliveries(scenario: Scenario, database_url: str, doctor) -> None:
    with tampering(scenario.db) as connection:
        connection.execute(text("UPDATE audit_events SET actor = 'sandbox:mallory' WHERE seq = 3"))
    scenario.db.run(
        lambda tx: tx.session.execute(
            text("UPDATE outbox SET status = 'failed' WHERE id = (SELECT min(id) FROM outbox)")
        )
    )
    code, out = doctor("--skip-scanner", PHIGATE_DATABASE_URL=database_url)
    assert code == 1
    assert line(out, "audit chain").startswith("FAIL") and "broken at event 3" in out
    assert line(out, "outbox").startswith("WARN") and "1 message(s) failed" in out


def test_a_secret_in_the_config_file_is_a_warning(tmp_path: Path, doctor) -> None:
    config = tmp_path / "phigate.toml"
    config.write_text('[slack]\nsigning_secret = "shh-not-here"\nbot_token = "xoxb-1"\n')
    code, out = doctor(
        "--skip-scanner", "--config", str(config), PHIGATE_DATABASE_URL="postgresql://postgres@127.0.0.1:1/x"
    )
    assert code == 1  # the database is unreachable; the warning comes first anyway
    assert "WARN  secrets" in out and "slack.signing_secret" in out and "shh-not-here" not in out
