from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.audit import AuditEvent, verify
from bot.clock import ManualClock
from storage import migrate


def test_upgrade_reaches_head(database) -> None:
    assert migrate.current(database) == migrate.head()
    assert migrate.is_current(database)


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"])
def test_audit_table_refuses_update_and_delete(database, statement: str) -> None:
    clock = ManualClock()
    with database.transaction() as tx:
        tx.audit.append(
            AuditEvent(at=clock.now(), actor="sandbox:legal1", kind="exported", subject_type="audit")
        )
    with pytest.raises(DBAPIError, match="append-only"), database.transaction() as tx:
        tx.session.execute(text(statement))
    with database.transaction(write=False) as tx:
        result = verify(tx.audit.events())
    assert result.ok and result.count == 1
