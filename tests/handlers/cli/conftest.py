"""Fixtures for the CLI commands that use the database: a workflow scenario, running ``phigate``
in-process, and tampering with the append-only audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, select

from bot.approvals import ApprovalService, Submission
from bot.clock import ManualClock
from bot.config import Settings
from bot.identity import ConfiguredDirectory, sandbox_identity
from bot.models import User
from handlers.cli.main import main
from storage.db import Database
from storage.orm import DraftTextRow
from tests.conftest import canary_draft

SOCIAL = User("sandbox:social1")
LEGAL = User("sandbox:legal1")
COMMS = User("sandbox:comms1")

APPROVED_TEXT = "Thank you for the kind words about our nurses!"
EDITED_TEXT = "We are sorry about the wait. Please call our patient relations team."
REJECTED_TEXT = canary_draft("Thanks for reaching out, {canary}. Please call our patient relations team.")
# Pending (not blocked), so legal can edit the name away: no care context next to the name.
EDITED_AWAY_TEXT = canary_draft("We hear you, {canary}. Please send us a private message so we can help.")
BLOCKED_TEXT = canary_draft()
PENDING_TEXT = canary_draft("Our cafeteria is open until 8pm, {canary}!")


@dataclass
class Scenario:
    """Drafts made through the real workflow, one day apart, starting 60 days before now.

    ``approved``: day 0, approved by legal then comms. ``rejected``: day 1, rejected by legal.
    ``edited``: v1 on day 2; on day 3 legal approves with edits (v2), comms approves v2.
    ``blocked``: day 4, blocked by the scan. ``pending``: day 5, still waiting.
    """

    db: Database
    base: datetime
    ids: dict[str, str] = field(default_factory=dict)

    def day(self, number: int, minutes: int = 0) -> datetime:
        """The scenario's day ``number`` (9:00 UTC), plus ``minutes``."""
        return self.base + timedelta(days=number, minutes=minutes)


@pytest.fixture
def database_url(database: Database, monkeypatch: pytest.MonkeyPatch) -> str:
    """``PHIGATE_DATABASE_URL`` pointing at the test database (SQLite or PostgreSQL)."""
    url = database.url.render_as_string(hide_password=False)
    monkeypatch.setenv("PHIGATE_DATABASE_URL", url)
    monkeypatch.delenv("PHIGATE_CONFIG", raising=False)
    return url


@pytest.fixture
def phigate(database_url: str, capsys: pytest.CaptureFixture[str]):
    """Run ``phigate ARGS...`` in-process; returns (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture
def scenario(database: Database, default_scanner) -> Scenario:
    """The workflow scenario described on ``Scenario``, stored in the test database."""
    settings = Settings.load(env={})
    base = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=60)
    clock = ManualClock(base)
    service = ApprovalService(
        settings, default_scanner.scan, ConfiguredDirectory(sandbox_identity(settings.identity)), clock
    )
    db = database
    result = Scenario(db, base)

    def submit(text: str, network: str = "facebook", link: str = "") -> str:
        draft = db.run(lambda tx: service.submit(tx, SOCIAL, Submission(text, network, link)))
        return draft.id

    def decide(user: User, draft_id: str, version: int, decision: str, **extra: str) -> None:
        clock.advance(minutes=10)
        db.run(lambda tx: service.decide(tx, user, draft_id, version=version, decision=decision, **extra))

    ids = result.ids
    ids["approved"] = submit(APPROVED_TEXT, "facebook", "https://facebook.com/post/1")
    decide(LEGAL, ids["approved"], 1, "approve")
    decide(COMMS, ids["approved"], 1, "approve")

    clock.advance(days=1, minutes=-20)
    ids["rejected"] = submit(REJECTED_TEXT, "x")
    decide(LEGAL, ids["rejected"], 1, "reject", reason=settings.policy.rejection_reasons[0])

    clock.advance(days=1, minutes=-10)
    ids["edited"] = submit(EDITED_AWAY_TEXT, "instagram", "https://instagram.com/p/2")
    clock.advance(days=1, minutes=-10)
    decide(LEGAL, ids["edited"], 1, "approve", text=EDITED_TEXT)
    decide(COMMS, ids["edited"], 2, "approve")

    clock.advance(days=1, minutes=-10)
    ids["blocked"] = submit(BLOCKED_TEXT, "google-reviews")
    clock.advance(days=1)
    ids["pending"] = submit(PENDING_TEXT, "linkedin")
    return result


def stored_bodies(db: Database) -> set[tuple[str, int]]:
    """(draft id, version) of every stored draft body."""
    with db.transaction(write=False) as tx:
        rows = tx.session.execute(select(DraftTextRow.draft_id, DraftTextRow.version)).all()
        return {(draft_id, version) for draft_id, version in rows}


@contextmanager
def tampering(db: Database) -> Iterator[Connection]:
    """A transaction that bypasses the audit trail's append-only triggers (what an attacker with
    database access could do).
    """
    with db.engine.begin() as connection:
        if db.dialect == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
        else:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield connection
