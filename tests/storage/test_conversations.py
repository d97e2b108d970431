"""Conversation references: stored, refreshed, found by user; the 0001 -> head upgrade keeps data."""

from __future__ import annotations

import pytest

from bot.audit import AuditEvent, verify
from bot.clock import ManualClock
from storage import migrate
from storage.db import Database
from tests.databases import ENGINES, database_url

REFERENCE = {"conversation": {"id": "19:legal@thread.tacv2"}, "serviceUrl": "https://smba.example/"}


def test_put_get_and_refresh_keep_known_names(database) -> None:
    with database.transaction() as tx:
        tx.conversations.put(
            "teams",
            "19:legal@thread.tacv2",
            kind="channel",
            reference=REFERENCE,
            team_id="T1",
            name="Legal review",
        )
    with database.transaction() as tx:  # a later @mention carries no channel name
        tx.conversations.put(
            "teams", "19:legal@thread.tacv2", kind="channel", reference={**REFERENCE, "x": 1}
        )
    with database.transaction(write=False) as tx:
        found = tx.conversations.get("teams", "19:legal@thread.tacv2")
        assert found is not None
        assert (found.name, found.team_id, found.reference["x"]) == ("Legal review", "T1", 1)
        assert tx.conversations.get("slack", "19:legal@thread.tacv2") is None


def test_personal_conversation_is_found_by_user_newest_first(database) -> None:
    with database.transaction() as tx:
        tx.conversations.put("teams", "a:1", kind="personal", reference=REFERENCE, user_id="teams:aad-1")
        tx.conversations.put("teams", "19:c@thread", kind="channel", reference=REFERENCE, team_id="T1")
    with database.transaction() as tx:
        tx.conversations.put("teams", "a:2", kind="personal", reference=REFERENCE, user_id="teams:aad-1")
    with database.transaction(write=False) as tx:
        personal = tx.conversations.personal("teams", "teams:aad-1")
        assert personal is not None and personal.conversation_id in {"a:1", "a:2"}
        assert tx.conversations.personal("teams", "teams:nobody") is None
        listed = tx.conversations.list("teams")
        assert [c.kind for c in listed] == ["channel", "personal", "personal"]


@pytest.mark.parametrize("engine", ENGINES)
def test_upgrading_from_0001_keeps_the_audit_chain(engine, tmp_path) -> None:
    with database_url(engine, tmp_path) as url:
        db = Database(url)
        try:
            migrate.upgrade(db, "0001")
            assert migrate.current(db) == "0001" and not migrate.is_current(db)
            with db.transaction() as tx:
                tx.audit.append(
                    AuditEvent(
                        at=ManualClock().now(), actor="system:t", kind="exported", subject_type="audit"
                    )
                )
            migrate.upgrade(db)
            assert migrate.current(db) == migrate.head()  # 0002 and every later migration
            with db.transaction(write=False) as tx:
                assert verify(tx.audit.events()).count == 1
                assert tx.conversations.list("teams") == []
                assert tx.incidents.list() == []  # 0003
        finally:
            db.dispose()
