"""The approval workflow on a real database (SQLite and PostgreSQL), the real scanner and a manual clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.approvals import MIN_JUSTIFICATION, ApprovalService
from bot.audit import Kind, verify
from bot.errors import Conflict, Forbidden, InvalidInput, NotFound
from bot.identity import ConfiguredDirectory
from bot.models import DecisionKind, Network, Status, text_hash
from tests.conftest import CANARY, canary_draft
from tests.workflow_support import (
    AUTHOR,
    AUTHOR_TEAMS,
    BLOCK,
    CLEAR,
    CLEAR_2,
    COMMS,
    LEGAL,
    LEGAL_TEAMS,
    OTHER_AUTHOR,
    OUTSIDER,
    POST,
    REVIEW,
    Workflow,
    serialized_audit,
    settings,
)

JUSTIFICATION = "The patient posted this publicly and asked us to reply; legal reviewed the wording."


@pytest.fixture
def flow(database, default_scanner) -> Workflow:
    return Workflow.create(database, default_scanner.scan)


def make_flow(database, default_scanner, policy=None, **options) -> Workflow:
    return Workflow.create(database, default_scanner.scan, settings(policy), **options)


def kinds(events) -> list[str]:
    return [event.kind for event in events]


def decided(events) -> list[dict]:
    return [event.data for event in events if event.kind == Kind.DECIDED]


# -- submitting ----------------------------------------------------------------------------------
def test_submit_stores_every_draft_and_sends_only_unblocked_ones(flow: Workflow) -> None:
    draft = flow.submit(CLEAR, network="instagram", context="reply to a praise comment")
    stored = flow.get(draft.id)
    assert draft.id.startswith("D-") and len(draft.id) == 10
    assert stored.status is Status.PENDING
    assert stored.verdict == "clear"
    assert (stored.version, stored.revision) == (1, 1)
    assert stored.author == AUTHOR.id and stored.author_name == "Sam Rivera"
    assert stored.network is Network.INSTAGRAM
    assert stored.in_reply_to == POST
    assert stored.context == "reply to a praise comment"
    assert stored.expires_at == flow.clock.now() + timedelta(hours=24)
    assert [v.text for v in stored.versions] == [CLEAR]
    assert stored.current.text_sha256 == text_hash(CLEAR)
    assert stored.current.reason == "submitted"

    events = flow.events_of(draft.id)
    assert kinds(events) == [Kind.SUBMITTED, Kind.SCANNED]
    assert all(e.actor == AUTHOR.id and e.version == 1 for e in events)
    assert all(e.text_sha256 == text_hash(CLEAR) for e in events)
    assert events[0].data == {"status": "pending", "network": "instagram", "has_link": True}
    assert events[1].data["verdict"] == "clear" and events[1].data["categories"] == []
    assert flow.outbox(draft.id) == [("sandbox", "cards.post", {"draft_id": draft.id, "revision": 1})]

    draft = flow.submit(REVIEW)  # review also goes to the approvers, with its findings
    assert draft.status is Status.PENDING
    assert draft.verdict == "review"
    assert draft.current.categories == ["PATIENT_RELATIONSHIP"]
    stored_scan = flow.get(draft.id).current.scan  # the scan result is kept with its version
    assert [f["category"] for f in stored_scan["findings"]] == ["PATIENT_RELATIONSHIP"]
    assert stored_scan["suggestion"]
    assert 0.3 <= draft.current.score < 0.7
    scanned = [e for e in flow.events_of(draft.id) if e.kind == Kind.SCANNED]
    assert scanned[0].data["verdict"] == "review"
    assert scanned[0].data["categories"] == ["PATIENT_RELATIONSHIP"]
    assert [kind for _, kind, _ in flow.outbox(draft.id)] == ["cards.post"]

    # A blocked draft is stored, but not sent to the approvers.
    text = canary_draft()
    draft = flow.submit(text)
    assert draft.status is Status.BLOCKED
    assert flow.get(draft.id).verdict == "block"
    assert flow.outbox(draft.id) == []
    with pytest.raises(Conflict):
        flow.approve(LEGAL[0], draft)
    events = flow.events_of(draft.id)
    assert kinds(events) == [Kind.SUBMITTED, Kind.SCANNED]
    assert events[0].data["status"] == "blocked"
    assert events[1].data["verdict"] == "block"
    assert {"PATIENT_RELATIONSHIP", "NAME"} <= set(events[1].data["categories"])
    assert CANARY not in serialized_audit(flow.events())


def test_text_is_validated_and_over_3000_characters_is_refused_clearly(flow: Workflow) -> None:
    body = CANARY + " thanks for the kind words about our nurses. "
    too_long = (body * 80)[:3001]
    with pytest.raises(InvalidInput) as raised:
        flow.submit(too_long)
    assert raised.value.message == "the draft is 3001 characters; the limit is 3000"
    assert CANARY not in raised.value.message + raised.value.detail
    assert flow.events() == []  # nothing stored
    with pytest.raises(InvalidInput, match="empty"):
        flow.submit("   \n")
    with pytest.raises(Forbidden):
        flow.submit(CLEAR, author=COMMS[0])
    with pytest.raises(Forbidden):
        flow.submit(CLEAR, author=OUTSIDER)
    assert flow.events() == []
    assert flow.submit(too_long[:3000]).status is Status.PENDING

    # Every network is accepted, an unknown one is refused.
    for network in Network:
        assert flow.submit(CLEAR, network=network.value, in_reply_to="").network is network
    assert flow.submit(CLEAR, network="", in_reply_to="").network is Network.OTHER
    with pytest.raises(InvalidInput) as raised:
        flow.submit(CLEAR, network="myspace")
    assert "google-reviews" in raised.value.detail


# -- the default policy: legal and comms, in parallel ----------------------------------------------
def test_default_policy_needs_legal_and_comms_in_any_order(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    after_comms = flow.approve(COMMS[0], draft)
    assert after_comms.status is Status.PENDING
    assert after_comms.final_approver is None
    assert flow.service.progress(after_comms)[1].approved_by == ((COMMS[0].id, "Cam Duarte"),)

    final = flow.approve(LEGAL[1], draft)
    assert final.status is Status.APPROVED
    assert final.final_approver == LEGAL[1].id
    assert final.final_at == flow.clock.now()
    assert (final.version, final.revision) == (1, 3)  # decisions move the row revision, not the text version
    stored = flow.get(draft.id)
    assert [(d.actor, d.group, d.kind) for d in stored.decisions] == [
        (COMMS[0].id, "comms", DecisionKind.APPROVE),
        (LEGAL[1].id, "legal", DecisionKind.APPROVE),
    ]
    assert stored.final_approver == LEGAL[1].id
    assert [(d["group"], d["final"]) for d in decided(flow.events_of(draft.id))] == [
        ("comms", False),
        ("legal", True),
    ]
    assert [kind for _, kind, _ in flow.outbox(draft.id)] == [
        "cards.post",
        "cards.update",
        "cards.update",
        "author.notify",
    ]
    assert flow.outbox(draft.id)[-1][2] == {"draft_id": draft.id, "revision": 3, "event": "approved"}


def test_n_of_m_approvals_per_group(database, default_scanner) -> None:
    flow = make_flow(database, default_scanner, {"approvals": '{"legal": 2}'})
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    after_comms = flow.approve(COMMS[0], draft)
    assert after_comms.status is Status.PENDING
    assert flow.service.progress(after_comms)[0].required == 2
    final = flow.approve(LEGAL[2], draft)
    assert final.status is Status.APPROVED
    assert final.final_approver == LEGAL[2].id
    with pytest.raises(Conflict):
        flow.approve(LEGAL[1], draft)

    flow = make_flow(database, default_scanner, {"approvals": '{"comms": 2}'})
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    with pytest.raises(Conflict, match="legal already has the approvals"):
        flow.approve(LEGAL[1], draft)
    flow.approve(COMMS[0], draft)
    assert flow.approve(COMMS[1], draft).status is Status.APPROVED


def test_n_of_m_one_person_counts_once_across_linked_accounts(database, default_scanner) -> None:
    flow = make_flow(database, default_scanner, {"approvals": '{"legal": 2}'})
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    flow.approve(COMMS[0], draft)
    # Lee's Teams account is the same person as LEGAL[0]: it must not be the second legal approval.
    try:
        after = flow.approve(LEGAL_TEAMS, draft)
    except Conflict:
        after = flow.get(draft.id)
    assert after.status is Status.PENDING
    assert len(flow.service.progress(after)[0].approved_by) == 1
    assert flow.approve(LEGAL[1], draft).status is Status.APPROVED


def test_sequential_policy_legal_first_but_anyone_may_reject(database, default_scanner) -> None:
    flow = make_flow(database, default_scanner, {"order": "sequential"})
    draft = flow.submit(CLEAR)
    entries = flow.service.progress(draft)
    assert [(e.group, e.waiting_for_earlier_group) for e in entries] == [("legal", False), ("comms", True)]
    with pytest.raises(Conflict, match="waiting for legal"):
        flow.approve(COMMS[0], draft)
    assert flow.get(draft.id).decisions == []
    after_legal = flow.approve(LEGAL[0], draft)
    assert not flow.service.progress(after_legal)[1].waiting_for_earlier_group
    assert flow.approve(COMMS[0], draft).status is Status.APPROVED

    # A later group may still reject while it waits: the first rejection ends the review.
    draft = flow.submit(CLEAR)
    rejected = flow.decide(COMMS[0], draft, "reject", reason="off_brand")
    assert rejected.status is Status.REJECTED
    assert rejected.final_approver == COMMS[0].id


def test_clear_draft_may_skip_a_configured_group(database, default_scanner) -> None:
    flow = make_flow(database, default_scanner, {"clear_may_skip": "comms"})
    clear = flow.submit(CLEAR)
    assert [(e.group, e.skipped) for e in flow.service.progress(clear)] == [
        ("legal", False),
        ("comms", True),
    ]
    with pytest.raises(Conflict, match="not needed"):
        flow.approve(COMMS[0], clear)
    approved = flow.approve(LEGAL[0], clear)
    assert approved.status is Status.APPROVED and approved.final_approver == LEGAL[0].id

    review = flow.submit(REVIEW)  # not clear: comms is needed after all
    assert flow.approve(LEGAL[0], review).status is Status.PENDING
    assert flow.approve(COMMS[0], review).status is Status.APPROVED


# -- rejection ---------------------------------------------------------------------------------------
def test_rejection_needs_a_reason_code_and_ends_the_review(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    with pytest.raises(InvalidInput) as missing:
        flow.decide(LEGAL[0], draft, "reject")
    assert "contains_phi" in missing.value.detail
    with pytest.raises(InvalidInput):
        flow.decide(LEGAL[0], draft, "reject", reason="i_dont_like_it")
    assert flow.get(draft.id).status is Status.PENDING
    assert flow.get(draft.id).decisions == []

    custom = Workflow.create(flow.db, flow.service._scan, settings({"rejection_reasons": "tone,legal_risk"}))
    draft = custom.submit(CLEAR)
    with pytest.raises(InvalidInput):
        custom.decide(LEGAL[0], draft, "reject", reason="contains_phi")
    assert custom.decide(LEGAL[0], draft, "reject", reason="tone").rejection_reason == "tone"

    # The first rejection ends the review and is recorded.
    draft = flow.submit(CLEAR)
    flow.approve(COMMS[0], draft)
    comment = f"Do not name {CANARY} in public"
    rejected = flow.decide(LEGAL[0], draft, "reject", reason="confirms_patient", comment=comment)
    assert rejected.status is Status.REJECTED
    assert rejected.rejection_reason == "confirms_patient"
    assert (rejected.final_approver, rejected.final_approver_name) == (LEGAL[0].id, "Lee Chen")
    stored = flow.get(draft.id)
    last = stored.decisions[-1]
    assert (last.kind, last.reason, last.comment) == (DecisionKind.REJECT, "confirms_patient", comment)
    for approver in (LEGAL[1], COMMS[1]):
        with pytest.raises(Conflict, match="already rejected"):
            flow.approve(approver, draft)
    event = decided(flow.events_of(draft.id))[-1]
    assert event == {
        "status": "rejected",
        "decision": "reject",
        "group": "legal",
        "reason": "confirms_patient",
        "final": True,
        "has_comment": True,
    }
    assert CANARY not in serialized_audit(flow.events())
    assert flow.outbox(draft.id)[-1][1:] == (
        "author.notify",
        {"draft_id": draft.id, "revision": 3, "event": "rejected"},
    )


# -- expiry and reminders ---------------------------------------------------------------------------
def test_pending_draft_expires_after_24_hours_and_may_be_resubmitted(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    blocked = flow.submit(BLOCK)
    flow.clock.advance(hours=23, minutes=59)
    assert flow.run(flow.service.expire_due) == []
    flow.clock.advance(minutes=1)
    assert flow.run(flow.service.expire_due) == [draft.id]  # blocked drafts do not expire
    assert flow.get(draft.id).status is Status.EXPIRED
    assert flow.get(blocked.id).status is Status.BLOCKED
    assert flow.run(flow.service.expire_due) == []
    event = flow.events_of(draft.id)[-1]
    assert (event.kind, event.actor, event.data["status"]) == (Kind.EXPIRED, "system:phigate", "expired")
    assert [kind for _, kind, payload in flow.outbox(draft.id)][-2:] == ["cards.update", "author.notify"]
    assert flow.outbox(draft.id)[-1][2]["event"] == "expired"
    with pytest.raises(Conflict):
        flow.approve(LEGAL[0], draft, version=1)
    # The author may send an expired draft again, with a new deadline.
    again = flow.run(lambda tx: flow.service.resubmit(tx, AUTHOR, draft.id, CLEAR_2))
    assert again.status is Status.PENDING and again.version == 2
    assert again.expires_at == flow.clock.now() + timedelta(hours=24)


def test_expiry_is_configurable(database, default_scanner) -> None:
    flow = make_flow(database, default_scanner, {"expiry_hours": "48"})
    draft = flow.submit(CLEAR)
    assert draft.expires_at == flow.clock.now() + timedelta(hours=48)
    flow.clock.advance(hours=47)
    assert flow.run(flow.service.expire_due) == []
    flow.clock.advance(hours=1)
    assert flow.run(flow.service.expire_due) == [draft.id]


def test_reviewers_are_reminded_once_before_expiry(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    flow.clock.advance(hours=21, minutes=59)
    assert flow.run(flow.service.remind_due) == []
    flow.clock.advance(minutes=1)  # 2 hours before expiry
    assert flow.run(flow.service.remind_due) == [draft.id]
    assert flow.get(draft.id).reminded_at == flow.clock.now()
    flow.clock.advance(minutes=30)
    assert flow.run(flow.service.remind_due) == []  # once only
    reminders = [e for e in flow.events_of(draft.id) if e.kind == Kind.REMINDED]
    assert len(reminders) == 1
    assert reminders[0].actor == "system:phigate"
    assert reminders[0].data["groups"] == ["comms"]
    remind_messages = [row for row in flow.outbox(draft.id) if row[1] == "reviewers.remind"]
    assert [payload["groups"] for _, _, payload in remind_messages] == [["comms"]]
    assert flow.get(draft.id).status is Status.PENDING  # a reminder does not decide anything

    # Resubmitting resets the reminder; reminders can be turned off.
    draft = flow.submit(CLEAR)
    flow.clock.advance(hours=22)
    assert flow.run(flow.service.remind_due) == [draft.id]
    flow.run(lambda tx: flow.service.resubmit(tx, AUTHOR, draft.id, CLEAR_2))
    assert flow.get(draft.id).reminded_at is None
    assert flow.run(flow.service.remind_due) == []
    flow.clock.advance(hours=22)
    assert flow.run(flow.service.remind_due) == [draft.id]

    flow = Workflow.create(flow.db, flow.service._scan, settings({"remind_before_hours": "0"}))
    draft = flow.submit(CLEAR)
    flow.clock.advance(hours=23, minutes=59)
    assert flow.run(flow.service.remind_due) == []
    assert Kind.REMINDED not in kinds(flow.events_of(draft.id))


# -- blocked drafts: resubmit, override ---------------------------------------------------------
def test_blocked_draft_resubmitted_clean_goes_to_approvers(flow: Workflow) -> None:
    blocked_text = canary_draft()
    draft = flow.submit(blocked_text)
    resubmitted = flow.run(lambda tx: flow.service.resubmit(tx, AUTHOR, draft.id, CLEAR))
    assert resubmitted.status is Status.PENDING
    assert resubmitted.version == 2 and resubmitted.verdict == "clear"
    stored = flow.get(draft.id)
    assert [(v.version, v.text, v.verdict, v.reason) for v in stored.versions] == [
        (1, blocked_text, "block", "submitted"),
        (2, CLEAR, "clear", "resubmitted"),
    ]
    assert kinds(flow.events_of(draft.id))[-2:] == [Kind.RESUBMITTED, Kind.SCANNED]
    assert flow.events_of(draft.id)[-1].text_sha256 == text_hash(CLEAR)
    assert [kind for _, kind, _ in flow.outbox(draft.id)] == ["cards.post"]
    flow.approve(LEGAL[0], draft)
    assert flow.approve(COMMS[0], draft).status is Status.APPROVED

    draft = flow.submit(BLOCK)  # resubmitted still blocked: stays blocked
    again = flow.run(lambda tx: flow.service.resubmit(tx, AUTHOR, draft.id, canary_draft()))
    assert again.status is Status.BLOCKED and again.version == 2
    assert flow.outbox(draft.id) == []
    with pytest.raises(Forbidden):
        flow.run(lambda tx: flow.service.resubmit(tx, OTHER_AUTHOR, draft.id, CLEAR))
    # The author's linked account is the author.
    assert flow.run(lambda tx: flow.service.resubmit(tx, AUTHOR_TEAMS, draft.id, CLEAR)).version == 3


def test_override_needs_a_justification_and_legal_acknowledgement(flow: Workflow) -> None:
    draft = flow.submit(BLOCK)
    for weak in ("", "   ", "x" * (MIN_JUSTIFICATION - 1)):
        with pytest.raises(InvalidInput, match="justification"):
            flow.run(lambda tx, weak=weak: flow.service.request_override(tx, AUTHOR, draft.id, weak))
    with pytest.raises(Forbidden):
        flow.run(lambda tx: flow.service.request_override(tx, OTHER_AUTHOR, draft.id, JUSTIFICATION))
    assert flow.get(draft.id).status is Status.BLOCKED
    pending = flow.submit(CLEAR)
    with pytest.raises(Conflict, match="only blocked"):
        flow.run(lambda tx: flow.service.request_override(tx, AUTHOR, pending.id, JUSTIFICATION))

    # With a justification, the draft goes to the approvers; legal must acknowledge the override.
    draft = flow.submit(canary_draft())
    overridden = flow.run(lambda tx: flow.service.request_override(tx, AUTHOR, draft.id, JUSTIFICATION))
    assert overridden.status is Status.PENDING
    assert overridden.override_justification == JUSTIFICATION
    assert overridden.version == 1  # same text, now under review
    request = flow.events_of(draft.id)[-1]
    assert request.kind == Kind.OVERRIDE_REQUESTED
    assert request.data["justification_sha256"] == text_hash(JUSTIFICATION)
    assert "legal reviewed" not in serialized_audit(flow.events())
    assert [kind for _, kind, _ in flow.outbox(draft.id)] == ["cards.post"]

    # comms needs no acknowledgement; legal does, and without one nothing is recorded.
    flow.approve(COMMS[0], draft)
    with pytest.raises(InvalidInput, match="override"):
        flow.approve(LEGAL[0], draft)
    assert len(flow.get(draft.id).decisions) == 1
    approved = flow.approve(LEGAL[0], draft, acknowledge_override=True)
    assert approved.status is Status.APPROVED
    legal_decision = flow.get(draft.id).decisions[-1]
    assert legal_decision.group == "legal" and legal_decision.acknowledges_override
    assert not flow.get(draft.id).decisions[0].acknowledges_override
    events = flow.events_of(draft.id)
    assert kinds(events)[-2:] == [Kind.DECIDED, Kind.OVERRIDDEN]
    assert events[-1].actor == LEGAL[0].id
    assert CANARY not in serialized_audit(flow.events())


def test_legal_editing_override_drafts_into_blocked_text_must_acknowledge(flow: Workflow) -> None:
    draft = flow.submit(BLOCK)
    flow.run(lambda tx: flow.service.request_override(tx, AUTHOR, draft.id, JUSTIFICATION))
    edited_block = canary_draft()
    with pytest.raises(InvalidInput, match="override"):
        flow.approve(LEGAL[0], draft, text=edited_block)
    after = flow.approve(LEGAL[0], draft, text=edited_block, acknowledge_override=True)
    assert after.version == 2 and after.verdict == "block"
    legal_decision = flow.get(draft.id).decisions[-1]
    assert (legal_decision.version, legal_decision.acknowledges_override) == (2, True)
    assert Kind.OVERRIDDEN in kinds(flow.events_of(draft.id))

    # Override pending; comms edits it into clean text, then legal edits it back into blocked text.
    # Override pending; comms edits it into clean text, then legal edits it back into blocked text.
    draft = flow.submit(BLOCK)
    flow.run(lambda tx: flow.service.request_override(tx, AUTHOR, draft.id, JUSTIFICATION))
    flow.approve(COMMS[0], draft, text=CLEAR)
    with pytest.raises(InvalidInput, match="override"):
        flow.approve(LEGAL[0], draft, text=canary_draft())
    stored = flow.get(draft.id)
    assert (stored.version, stored.status) == (2, Status.PENDING)
    # comms' approval of the clean text counts; legal's plain approval of it needs no acknowledgement.
    assert flow.approve(LEGAL[0], draft).status is Status.APPROVED


def test_author_may_withdraw_a_pending_draft(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    with pytest.raises(Forbidden):
        flow.run(lambda tx: flow.service.withdraw(tx, OTHER_AUTHOR, draft.id))
    with pytest.raises(Forbidden):
        flow.run(lambda tx: flow.service.withdraw(tx, LEGAL[0], draft.id))
    withdrawn = flow.run(lambda tx: flow.service.withdraw(tx, AUTHOR, draft.id))
    assert withdrawn.status is Status.WITHDRAWN
    assert flow.events_of(draft.id)[-1].kind == Kind.WITHDRAWN
    assert flow.events_of(draft.id)[-1].actor == AUTHOR.id
    assert flow.outbox(draft.id)[-1][1] == "cards.update"
    with pytest.raises(Conflict):
        flow.approve(LEGAL[0], draft)
    with pytest.raises(Conflict):
        flow.run(lambda tx: flow.service.withdraw(tx, AUTHOR, draft.id))

    draft = flow.submit(CLEAR)  # an approved draft cannot be withdrawn
    flow.approve(LEGAL[0], draft)
    flow.approve(COMMS[0], draft)
    with pytest.raises(Conflict):
        flow.run(lambda tx: flow.service.withdraw(tx, AUTHOR, draft.id))
    assert flow.get(draft.id).status is Status.APPROVED


# -- posted --------------------------------------------------------------------------------------------
def test_author_marks_an_approved_reply_posted_with_its_link(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    link = "https://facebook.com/lakeside/posts/1?comment=99"
    with pytest.raises(Conflict, match="only approved"):
        flow.run(lambda tx: flow.service.mark_posted(tx, AUTHOR, draft.id, link))
    flow.approve(LEGAL[0], draft)
    flow.approve(COMMS[0], draft)
    with pytest.raises(Forbidden):
        flow.run(lambda tx: flow.service.mark_posted(tx, LEGAL[0], draft.id, link))
    with pytest.raises(InvalidInput):
        flow.run(lambda tx: flow.service.mark_posted(tx, AUTHOR, draft.id, "posted it!"))
    posted = flow.run(lambda tx: flow.service.mark_posted(tx, AUTHOR, draft.id, link))
    assert posted.status is Status.POSTED and posted.posted_link == link
    assert flow.get(draft.id).final_approver == COMMS[0].id  # posting keeps the final approver
    events_before = len(flow.events())
    again = flow.run(lambda tx: flow.service.mark_posted(tx, AUTHOR, draft.id, link))
    assert again.status is Status.POSTED and len(flow.events()) == events_before
    with pytest.raises(Conflict):
        flow.run(lambda tx: flow.service.mark_posted(tx, AUTHOR, draft.id, "https://x.com/other"))
    assert [e.kind for e in flow.events_of(draft.id)].count(Kind.POSTED) == 1


# -- approve with edits ---------------------------------------------------------------------------
def test_approve_with_edits_restarts_the_review_and_keeps_every_version(flow: Workflow) -> None:
    original = canary_draft("Thanks {canary}, we appreciate the kind words about our nurses!")
    draft = flow.submit(original)
    assert draft.verdict == "clear"
    flow.approve(LEGAL[0], draft)
    edited = flow.approve(COMMS[0], draft, text=CLEAR)
    assert edited.status is Status.PENDING
    assert edited.version == 2 and edited.verdict == "clear"
    stored = flow.get(draft.id)
    assert [(v.version, v.text, v.created_by, v.reason) for v in stored.versions] == [
        (1, original, AUTHOR.id, "submitted"),
        (2, CLEAR, COMMS[0].id, "edited_by_approver"),
    ]
    # Legal's approval of version 1 no longer counts; the editor's approval of version 2 does.
    legal, comms = flow.service.progress(stored)
    assert legal.approved_by == () and not legal.done
    assert [actor for actor, _ in comms.approved_by] == [COMMS[0].id]
    with pytest.raises(Conflict) as stale:
        flow.approve(LEGAL[1], draft, version=1)
    assert stale.value.http_status == 409
    final = flow.approve(LEGAL[1], draft, version=2)
    assert final.status is Status.APPROVED and final.final_approver == LEGAL[1].id

    events = flow.events_of(draft.id)
    edit_at = kinds(events).index(Kind.EDITED)
    assert kinds(events)[edit_at : edit_at + 3] == [Kind.EDITED, Kind.SCANNED, Kind.DECIDED]
    assert events[edit_at].actor == COMMS[0].id and events[edit_at].data["group"] == "comms"
    assert {e.text_sha256 for e in events[edit_at:]} == {text_hash(CLEAR)}
    assert {e.text_sha256 for e in events[:edit_at]} == {text_hash(original)}
    assert CANARY not in serialized_audit(flow.events())


def test_approve_with_the_same_text_is_plain_and_edits_are_validated(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    after = flow.approve(LEGAL[0], draft, text=CLEAR)
    assert after.version == 1 and len(flow.get(draft.id).versions) == 1
    with pytest.raises(InvalidInput, match="limit is 3000"):
        flow.approve(COMMS[0], draft, text="a" * 3001)  # edited text is checked like submitted text
    stored = flow.get(draft.id)
    assert stored.version == 1 and [d.actor for d in stored.decisions] == [LEGAL[0].id]
    assert Kind.EDITED not in kinds(flow.events_of(draft.id))


def test_an_edit_the_scan_blocks_stops_the_review(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    blocked = flow.approve(COMMS[0], draft, text=canary_draft())
    assert blocked.status is Status.BLOCKED and blocked.version == 2
    stored = flow.get(draft.id)
    assert [d.actor for d in stored.decisions] == [LEGAL[0].id]  # the blocked edit is not approved
    assert flow.outbox(draft.id)[-1][2]["event"] == "edit_blocked"
    assert CANARY not in serialized_audit(flow.events())
    # The author can now fix it or request an override, as for any blocked draft.
    again = flow.run(lambda tx: flow.service.resubmit(tx, AUTHOR, draft.id, CLEAR_2))
    assert again.status is Status.PENDING and again.version == 3


# -- separation of duties -----------------------------------------------------------------------
def test_author_cannot_decide_on_own_draft_even_from_a_linked_account(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    for account in (AUTHOR, AUTHOR_TEAMS):  # both are in legal (through the linked account)
        with pytest.raises(Forbidden, match="own draft"):
            flow.approve(account, draft)
        with pytest.raises(Forbidden, match="own draft"):
            flow.decide(account, draft, "reject", reason="other")
        with pytest.raises(Forbidden, match="own draft"):
            flow.approve(account, draft, text=CLEAR_2)
    stored = flow.get(draft.id)
    assert stored.decisions == [] and stored.version == 1
    draft = flow.submit(CLEAR, author=AUTHOR_TEAMS)  # and the other way round
    with pytest.raises(Forbidden):
        flow.approve(AUTHOR, draft)


def test_only_members_of_an_approver_group_may_decide(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    for actor in (OUTSIDER, OTHER_AUTHOR):
        with pytest.raises(Forbidden, match="only members"):
            flow.approve(actor, draft)
        with pytest.raises(Forbidden):
            flow.decide(actor, draft, "reject", reason="other")
    assert flow.get(draft.id).decisions == []


def test_group_membership_is_checked_on_every_decision(database, default_scanner) -> None:
    flow = make_flow(database, default_scanner, {"approvals": '{"legal": 2}'})
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    # LEGAL[1] leaves legal: a service with the new roster refuses their decision.
    config = flow.service.settings
    groups = dict(config.identity.groups)
    groups["legal"] = tuple(user for user in groups["legal"] if user != LEGAL[1].id)
    identity = config.identity.model_copy(update={"groups": groups})
    service = ApprovalService(
        config.model_copy(update={"identity": identity}),
        flow.service._scan,
        ConfiguredDirectory(identity),
        flow.clock,
    )
    with pytest.raises(Forbidden):
        database.run(lambda tx: service.decide(tx, LEGAL[1], draft.id, version=1, decision="approve"))
    assert [d.actor for d in flow.get(draft.id).decisions] == [LEGAL[0].id]


# -- conflicts and repeats ------------------------------------------------------------------------
def test_final_unknown_and_repeated_decisions(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    flow.approve(COMMS[0], draft)
    with pytest.raises(Conflict, match="already approved") as raised:
        flow.approve(COMMS[1], draft)
    assert raised.value.http_status == 409
    with pytest.raises(Conflict):
        flow.decide(LEGAL[1], draft, "reject", reason="other")
    stored = flow.get(draft.id)
    assert stored.status is Status.APPROVED and len(stored.decisions) == 2
    with pytest.raises(InvalidInput):
        flow.decide(LEGAL[0], flow.submit(CLEAR), "maybe")
    with pytest.raises(NotFound):
        flow.decide(LEGAL[0], "D-NOPE0000", version=1)

    # Repeating a decision is idempotent.
    draft = flow.submit(CLEAR)
    first = flow.approve(LEGAL[0], draft, version=1)
    repeat = flow.approve(LEGAL[0], draft, version=1)
    assert repeat.revision == first.revision == 2
    flow.approve(COMMS[0], draft, version=1)
    final_repeat = flow.approve(COMMS[0], draft, version=1)  # double click on the final approval
    assert final_repeat.status is Status.APPROVED
    stored = flow.get(draft.id)
    assert [d.actor for d in stored.decisions] == [LEGAL[0].id, COMMS[0].id]
    assert len(decided(flow.events_of(draft.id))) == 2
    assert [kind for _, kind, _ in flow.outbox(draft.id)].count("author.notify") == 1

    # Repeating an edit is idempotent, a different one is refused.
    draft = flow.submit(CLEAR)
    flow.approve(COMMS[0], draft, version=1, text=CLEAR_2)
    again = flow.approve(COMMS[0], draft, version=1, text=CLEAR_2)
    assert again.version == 2
    assert len(flow.get(draft.id).versions) == 2
    assert len(flow.get(draft.id).decisions) == 1

    # A different decision after approving is not a repeat: legal already has its approval.
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    with pytest.raises(Conflict):
        flow.approve(LEGAL[0], draft, text=CLEAR_2)  # legal already has its approval
    stored = flow.get(draft.id)
    assert stored.version == 1 and len(stored.decisions) == 1


# -- duplicates -------------------------------------------------------------------------------------
def test_pending_drafts_answering_the_same_post_are_flagged(flow: Workflow) -> None:
    first = flow.submit(CLEAR)
    second = flow.submit(CLEAR_2, author=OTHER_AUTHOR)
    elsewhere = flow.submit(CLEAR, in_reply_to="https://facebook.com/lakeside/posts/2")
    no_link = flow.submit(CLEAR, in_reply_to="")
    blocked = flow.submit(BLOCK)  # same post, but not pending

    def duplicates(draft):
        return flow.run(lambda tx: flow.service.duplicates(tx, flow.service.get(tx, draft.id)))

    assert duplicates(first) == [second.id]
    assert duplicates(second) == [first.id]
    assert duplicates(elsewhere) == []
    assert duplicates(no_link) == []
    assert set(duplicates(blocked)) == {first.id, second.id}
    flow.run(lambda tx: flow.service.withdraw(tx, OTHER_AUTHOR, second.id))
    assert duplicates(first) == []


# -- the whole trail -----------------------------------------------------------------------------------
def test_audit_trail_and_outbox_never_hold_draft_text(database, default_scanner) -> None:
    flow = Workflow.create(database, default_scanner.scan, surfaces=("slack", "teams"))
    context = f"{CANARY} complained on Tuesday"
    texts = [canary_draft(), canary_draft("Thanks {canary}, we appreciate the kind words about our nurses!")]
    blocked = flow.submit(texts[0], context=context)
    flow.run(lambda tx: flow.service.resubmit(tx, AUTHOR, blocked.id, texts[1]))
    flow.approve(LEGAL[0], blocked, comment=f"fine, but {CANARY} again")
    flow.approve(COMMS[0], blocked, text=CLEAR)
    flow.approve(LEGAL[1], blocked)
    flow.run(lambda tx: flow.service.mark_posted(tx, AUTHOR, blocked.id, "https://facebook.com/x/1"))
    other = flow.submit(texts[0])
    flow.run(lambda tx: flow.service.request_override(tx, AUTHOR, other.id, JUSTIFICATION))
    flow.decide(LEGAL[2], other, "reject", reason="contains_phi", comment=CANARY)

    events = flow.events()
    assert verify(events).ok and verify(events).count == len(events)
    dump = serialized_audit(events) + repr(flow.outbox())
    for secret in (CANARY, CLEAR, context, JUSTIFICATION, "knee"):
        assert secret.lower() not in dump.lower()
    hashes = {text_hash(text) for text in (*texts, CLEAR)}
    assert {e.text_sha256 for e in events} == hashes
    assert kinds(flow.events_of(blocked.id)) == [
        Kind.SUBMITTED,
        Kind.SCANNED,
        Kind.RESUBMITTED,
        Kind.SCANNED,
        Kind.DECIDED,
        Kind.EDITED,
        Kind.SCANNED,
        Kind.DECIDED,
        Kind.DECIDED,
        Kind.POSTED,
    ]
    # Every message goes to each configured surface, with ids only.
    rows = flow.outbox()
    assert [surface for surface, _, _ in rows] == ["slack", "teams"] * (len(rows) // 2)
    assert all(set(payload) <= {"draft_id", "revision", "event", "groups"} for _, _, payload in rows)


def test_an_override_after_a_blocked_edit_gets_a_fresh_reminder(flow: Workflow) -> None:
    draft = flow.submit(CLEAR)
    flow.clock.advance(hours=22)
    assert flow.run(flow.service.remind_due) == [draft.id]
    flow.approve(COMMS[0], draft, text=BLOCK)  # the edit is blocked: back to the author
    flow.run(lambda tx: flow.service.request_override(tx, AUTHOR, draft.id, JUSTIFICATION))
    overridden = flow.get(draft.id)
    assert overridden.status is Status.PENDING and overridden.reminded_at is None
    assert overridden.expires_at == flow.clock.now() + timedelta(hours=24)
    flow.clock.advance(hours=22)
    assert flow.run(flow.service.remind_due) == [draft.id]
