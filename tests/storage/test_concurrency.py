"""Decisions racing each other: each thread runs its own ``Database.run``, released together by a barrier.

On PostgreSQL many threads really decide at once (the compare-and-set and the audit lock do the work);
SQLite serializes writers, so fewer threads suffice to show the same outcomes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from bot.audit import Kind, verify
from bot.errors import ConcurrentUpdate, Conflict
from bot.models import DecisionKind, Status, User
from storage.db import Database
from tests.workflow_support import AUTHOR, CLEAR, COMMS, LEGAL, Workflow, settings

EXTRA = 30  # extra members in legal and comms, so every thread can be a different approver


def thread_count(db: Database) -> int:
    return 24 if db.dialect == "postgresql" else 6


def storm(db: Database, count: int, work: Callable[[int, Any], Any]) -> list[Any]:
    """Run ``work(i, tx)`` in ``count`` threads at once; each result or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = db.run(lambda tx: work(index, tx))
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a deciding thread hung"
    return results


def legal(i: int) -> User:
    return User(f"slack:Ulegalx{i}")


def comms(i: int) -> User:
    return User(f"slack:Ucommsx{i}")


@pytest.fixture
def flow(database, default_scanner) -> Workflow:
    return Workflow.create(database, default_scanner.scan, settings(extra_legal=EXTRA, extra_comms=EXTRA))


def assert_trail_intact(flow: Workflow, expected_events: int) -> None:
    events = flow.events()
    result = verify(events)
    assert result.ok, result.problem
    assert [event.seq for event in events] == list(range(1, expected_events + 1))  # no gaps, no losers


def test_approvers_of_one_group_racing_for_the_final_approval(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.approve(COMMS[0], draft)
    count = thread_count(flow.db)
    results = storm(
        flow.db,
        count,
        lambda i, tx: flow.service.decide(tx, legal(i), draft.id, version=1, decision="approve"),
    )
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in winners)
    stored = flow.get(draft.id)
    assert stored.status is Status.APPROVED
    assert stored.final_approver == winners[0].final_approver
    assert stored.final_approver.startswith("slack:Ulegalx")
    assert [(d.group, d.actor) for d in stored.decisions] == [
        ("comms", COMMS[0].id),
        ("legal", stored.final_approver),
    ]
    finals = [e for e in flow.events_of(draft.id) if e.kind == Kind.DECIDED and e.data["final"]]
    assert len(finals) == 1 and finals[0].actor == stored.final_approver
    assert [row[1] for row in flow.outbox(draft.id)].count("author.notify") == 1
    assert_trail_intact(flow, 2 + 1 + 1)


def test_double_clicks_record_one_decision(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    count = thread_count(flow.db)
    results = storm(
        flow.db,
        count,
        lambda i, tx: flow.service.decide(tx, COMMS[0], draft.id, version=1, decision="approve"),
    )
    assert all(not isinstance(r, Exception) for r in results), results
    assert {r.status for r in results} == {Status.APPROVED}  # every click sees the one outcome
    stored = flow.get(draft.id)
    assert [d.actor for d in stored.decisions] == [LEGAL[0].id, COMMS[0].id]
    assert stored.final_approver == COMMS[0].id
    assert [row[1] for row in flow.outbox(draft.id)].count("author.notify") == 1
    assert_trail_intact(flow, 2 + 1 + 1)


def test_approve_and_reject_racing_yield_one_final_outcome(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.approve(COMMS[0], draft)
    count = thread_count(flow.db)

    def decide(i: int, tx: Any) -> Any:
        if i % 2:
            return flow.service.decide(tx, legal(i), draft.id, version=1, decision="reject", reason="other")
        return flow.service.decide(tx, legal(i), draft.id, version=1, decision="approve")

    results = storm(flow.db, count, decide)
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in winners)
    stored = flow.get(draft.id)
    legal_decisions = [d for d in stored.decisions if d.group == "legal"]
    assert len(legal_decisions) == 1
    expected = Status.APPROVED if legal_decisions[0].kind is DecisionKind.APPROVE else Status.REJECTED
    assert stored.status is expected
    assert stored.final_approver == legal_decisions[0].actor
    finals = [e for e in flow.events_of(draft.id) if e.kind == Kind.DECIDED and e.data["final"]]
    assert len(finals) == 1
    notices = [row[2]["event"] for row in flow.outbox(draft.id) if row[1] == "author.notify"]
    assert notices == [str(expected)]
    assert_trail_intact(flow, 2 + 1 + 1)


def test_legal_and_comms_approving_at_once_both_count(flow: Workflow) -> None:
    count = thread_count(flow.db)
    drafts = [flow.submit(CLEAR) for _ in range(count // 2)]

    def approve(i: int, tx: Any) -> Any:
        draft = drafts[i // 2]
        approver = legal(i) if i % 2 == 0 else comms(i)
        return flow.service.decide(tx, approver, draft.id, version=1, decision="approve")

    results = storm(flow.db, count, approve)
    assert all(not isinstance(r, Exception) for r in results), results
    for index, draft in enumerate(drafts):
        stored = flow.get(draft.id)
        assert stored.status is Status.APPROVED
        assert sorted(d.group for d in stored.decisions) == ["comms", "legal"]
        assert {d.actor for d in stored.decisions} == {legal(2 * index).id, comms(2 * index + 1).id}
        assert stored.final_approver in {d.actor for d in stored.decisions}
        finals = [e.data["final"] for e in flow.events_of(draft.id) if e.kind == Kind.DECIDED]
        assert sorted(finals) == [False, True]
    assert_trail_intact(flow, len(drafts) * (2 + 2))


def test_one_group_n_of_m_racing_counts_exactly_n(database, default_scanner) -> None:
    flow = Workflow.create(
        database,
        default_scanner.scan,
        settings({"approvals": '{"legal": 3}'}, extra_legal=EXTRA, extra_comms=EXTRA),
    )
    draft = flow.submit(CLEAR)
    flow.approve(COMMS[0], draft)
    count = thread_count(flow.db)
    results = storm(
        flow.db,
        count,
        lambda i, tx: flow.service.decide(tx, legal(i), draft.id, version=1, decision="approve"),
    )
    successes = [r for r in results if not isinstance(r, Exception)]
    assert len(successes) == 3, results
    assert all(isinstance(r, Conflict) for r in results if r not in successes)
    assert sorted(r.status for r in successes) == sorted([Status.PENDING, Status.PENDING, Status.APPROVED])
    stored = flow.get(draft.id)
    assert stored.status is Status.APPROVED
    assert len([d for d in stored.decisions if d.group == "legal"]) == 3
    assert_trail_intact(flow, 2 + 1 + 3)


def test_racing_edits_make_one_new_version(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    count = thread_count(flow.db)

    def decide(i: int, tx: Any) -> Any:
        if i % 2:  # comms approvers each edit the text their own way; legal approvers approve as is
            text = f"Thank you for sharing this with us, it means a lot to the team ({i})."
            return flow.service.decide(tx, comms(i), draft.id, version=1, decision="approve", text=text)
        return flow.service.decide(tx, legal(i), draft.id, version=1, decision="approve")

    results = storm(flow.db, count, decide)
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception)), results
    stored = flow.get(draft.id)
    assert [v.version for v in stored.versions] == [1, 2]
    assert stored.version == 2 and stored.status is Status.PENDING
    edits = [d for d in stored.decisions if d.version == 2]
    assert len(edits) == 1 and edits[0].group == "comms"
    assert stored.versions[1].created_by == edits[0].actor
    assert len([d for d in stored.decisions if d.version == 1]) <= 1  # at most one legal approval of v1
    legal_progress, comms_progress = flow.service.progress(stored)
    assert legal_progress.approved_by == () and comms_progress.done
    events = flow.events()
    assert verify(events).ok
    assert [e.kind for e in events].count(Kind.EDITED) == 1
    assert AUTHOR.id == events[0].actor


def test_a_decision_its_audit_event_and_messages_commit_together(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    events_before, messages_before = len(flow.events()), len(flow.outbox())

    def decide_then_fail(tx: Any) -> None:
        flow.service.decide(tx, LEGAL[0], draft.id, version=1, decision="approve")
        raise RuntimeError("the surface failed after deciding")

    with pytest.raises(RuntimeError):
        flow.db.run(decide_then_fail)
    assert flow.get(draft.id).decisions == []
    assert (len(flow.events()), len(flow.outbox())) == (events_before, messages_before)

    attempts = []

    def lose_the_first_race(tx: Any) -> Any:
        result = flow.service.decide(tx, LEGAL[0], draft.id, version=1, decision="approve")
        attempts.append(result.revision)
        if len(attempts) == 1:
            raise ConcurrentUpdate(draft.id)  # as a lost compare-and-set would: rolled back, retried
        return result

    assert flow.db.run(lose_the_first_race).revision == 2
    assert attempts == [2, 2]
    assert [d.actor for d in flow.get(draft.id).decisions] == [LEGAL[0].id]
    assert len(flow.events()) == events_before + 1
    assert len(flow.outbox()) == messages_before + 1
    assert_trail_intact(flow, events_before + 1)


def test_expiry_racing_the_final_approval_yields_one_outcome(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.approve(COMMS[0], draft)
    flow.clock.advance(hours=24)  # due for expiry, but approvers may still be clicking
    count = thread_count(flow.db)

    def act(i: int, tx: Any) -> Any:
        if i % 2:
            return flow.service.expire_due(tx)
        return flow.service.decide(tx, legal(i), draft.id, version=1, decision="approve")

    results = storm(flow.db, count, act)
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception)), results
    stored = flow.get(draft.id)
    finals = [
        e
        for e in flow.events_of(draft.id)
        if e.kind == Kind.EXPIRED or (e.kind == Kind.DECIDED and e.data["final"])
    ]
    assert len(finals) == 1
    assert stored.status is (Status.EXPIRED if finals[0].kind == Kind.EXPIRED else Status.APPROVED)
    expired_lists = [r for r in results if isinstance(r, list)]
    assert sum(len(ids) for ids in expired_lists) == (1 if stored.status is Status.EXPIRED else 0)
    assert len([d for d in stored.decisions if d.group == "legal"]) == (stored.status is Status.APPROVED)
    assert_trail_intact(flow, 2 + 1 + 1)
