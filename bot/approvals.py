"""The approval workflow: submit, decide, edit, override, withdraw, post, expire, remind.

Every method takes the caller's ``Transaction`` and changes the draft with a compare-and-set on its
row revision; a lost race raises ``ConcurrentUpdate`` and the caller retries the whole call on fresh
data (so legal and comms approving at once both count, and a double click yields one outcome).
Audit events and outbox messages are written in the same transaction. Draft text never leaves this
module except into the draft repository.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot import policy as policy_rules
from bot.audit import AuditEvent, Kind
from bot.config import Settings
from bot.errors import Conflict, Forbidden, InvalidInput, NotFound
from bot.models import (
    Decision,
    DecisionKind,
    Draft,
    DraftVersion,
    GroupProgress,
    Network,
    Status,
    User,
    text_hash,
)
from bot.phi.result import ScanResult
from bot.ports import Clock, Directory, Transaction

log = logging.getLogger(__name__)

ScanFunction = Callable[[str], ScanResult]
_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MIN_JUSTIFICATION = 20
SYSTEM = User("system:phigate", "phigate")
MAX_FIELD = 2000


class Message:
    """Outbox message kinds (payloads carry ids only)."""

    POST_CARDS = "cards.post"
    UPDATE_CARDS = "cards.update"
    NOTIFY_AUTHOR = "author.notify"
    REMIND = "reviewers.remind"


@dataclass(frozen=True)
class Submission:
    """What a surface collects from the author."""

    text: str
    network: str = "other"
    in_reply_to: str = ""
    context: str = ""


def new_draft_id() -> str:
    """A short id people can read out: ``D-`` and 8 unambiguous characters."""
    return "D-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


class ApprovalService:
    """The workflow rules. Holds no state of its own: everything is in the transaction."""

    def __init__(
        self,
        settings: Settings,
        scan: ScanFunction,
        directory: Directory,
        clock: Clock,
        surfaces: Sequence[str] = ("sandbox",),
    ) -> None:
        self.settings = settings
        self.policy = settings.policy
        self._scan = scan
        self.directory = directory
        self.clock = clock
        self.surfaces = tuple(surfaces)

    # -- reading -----------------------------------------------------------------------------
    def get(self, tx: Transaction, draft_id: str) -> Draft:
        """The draft, or ``NotFound``."""
        draft = tx.drafts.get(draft_id)
        if draft is None:
            raise NotFound(f"no draft {draft_id!r}")
        return draft

    def scan(self, text: str) -> ScanResult:
        """Scan a text without storing anything (``InvalidInput`` if it is empty or too long)."""
        return self._scan(self._valid_text(text))

    def may_view(self, user_id: str, draft: Draft) -> bool:
        """True if ``user_id`` may see the draft's status and text: its author, approvers, auditors."""
        directory = self.directory
        return (
            directory.person(user_id) == directory.person(draft.author)
            or bool(directory.groups_of(user_id) & set(self.policy.groups))
            or directory.may_audit(user_id)
        )

    def progress(self, draft: Draft) -> list[GroupProgress]:
        """Approval progress per group on the current version."""
        return policy_rules.progress(self.policy, draft)

    def duplicates(self, tx: Transaction, draft: Draft) -> list[str]:
        """Other pending drafts answering the same post or comment."""
        if not draft.in_reply_to:
            return []
        return [other for other in tx.drafts.open_for_post(draft.in_reply_to) if other != draft.id]

    # -- the author's side -------------------------------------------------------------------
    def submit(self, tx: Transaction, author: User, submission: Submission) -> Draft:
        """Scan and store a new draft; send it to the approvers unless the scan blocks it."""
        if not self.directory.may_submit(author.id):
            raise Forbidden("you are not in a group that may submit drafts")
        text = self._valid_text(submission.text)
        network = _network(submission.network)
        in_reply_to = _short_field("in_reply_to", submission.in_reply_to)
        context = _short_field("context", submission.context)
        now = self.clock.now()
        draft_id = new_draft_id()
        version = self._scanned_version(draft_id, 1, text, author, now, "submitted")
        draft = Draft(
            id=draft_id,
            author=author.id,
            author_name=author.name or self.directory.name(author.id),
            network=network,
            in_reply_to=in_reply_to,
            context=context,
            status=Status.BLOCKED if version.verdict == "block" else Status.PENDING,
            version=1,
            revision=1,
            created_at=now,
            updated_at=now,
            expires_at=self._expiry(now),
            verdict=version.verdict,
            versions=[version],
        )
        tx.drafts.add(draft)
        self._audit(tx, author, Kind.SUBMITTED, draft, network=str(network), has_link=bool(in_reply_to))
        self._audit_scan(tx, author, draft, version)
        if draft.status is Status.PENDING:
            self._send(tx, Message.POST_CARDS, draft)
        log.info("draft %s submitted: verdict %s, status %s", draft.id, version.verdict, draft.status)
        return draft

    def resubmit(self, tx: Transaction, author: User, draft_id: str, text: str) -> Draft:
        """The author's edited text becomes a new version; the review starts over for it."""
        draft = self._authors_draft(tx, author, draft_id)
        if draft.status not in (Status.PENDING, Status.BLOCKED, Status.REJECTED, Status.EXPIRED):
            raise Conflict(f"draft {draft.id} is {draft.status}; it can no longer be edited")
        expected = draft.revision
        was_open = draft.status is Status.PENDING
        version = self._new_version(draft, self._valid_text(text), author, "resubmitted")
        draft.status = Status.BLOCKED if self._needs_override(draft) else Status.PENDING
        draft.expires_at = self._expiry(draft.updated_at)
        draft.reminded_at = None
        draft.rejection_reason = None
        self._store(tx, draft, expected)
        tx.drafts.add_version(version)
        self._audit(tx, author, Kind.RESUBMITTED, draft)
        self._audit_scan(tx, author, draft, version)
        if draft.status is Status.PENDING:
            kind = Message.UPDATE_CARDS if was_open else Message.POST_CARDS
            self._send(tx, kind, draft, event="resubmitted")
        elif was_open:
            self._send(tx, Message.UPDATE_CARDS, draft, event="resubmitted")
        return draft

    def request_override(self, tx: Transaction, author: User, draft_id: str, justification: str) -> Draft:
        """Send a blocked draft to the approvers anyway, with a written justification for legal."""
        draft = self._authors_draft(tx, author, draft_id)
        if draft.status is not Status.BLOCKED:
            raise Conflict(f"draft {draft.id} is {draft.status}; only blocked drafts need an override")
        justification = (justification or "").strip()
        if len(justification) < MIN_JUSTIFICATION:
            raise InvalidInput(
                "an override needs a written justification",
                f"explain in at least {MIN_JUSTIFICATION} characters why this reply should go out",
            )
        expected = draft.revision
        draft.override_justification = _short_field("justification", justification)
        draft.status = Status.PENDING
        draft.updated_at = self.clock.now()
        draft.expires_at = self._expiry(draft.updated_at)
        draft.reminded_at = None  # a new review period gets its own reminder
        self._store(tx, draft, expected)
        self._audit(
            tx,
            author,
            Kind.OVERRIDE_REQUESTED,
            draft,
            justification_sha256=text_hash(draft.override_justification),
        )
        self._send(tx, Message.POST_CARDS, draft, event="override")
        return draft

    def withdraw(self, tx: Transaction, author: User, draft_id: str) -> Draft:
        """The author takes back a pending (or blocked) draft."""
        draft = self._authors_draft(tx, author, draft_id)
        if draft.status not in (Status.PENDING, Status.BLOCKED):
            raise Conflict(f"draft {draft.id} is {draft.status}; only pending drafts can be withdrawn")
        was_open = draft.status is Status.PENDING
        self._finish(tx, draft, Status.WITHDRAWN, author, Kind.WITHDRAWN)
        if was_open:
            self._send(tx, Message.UPDATE_CARDS, draft, event="withdrawn")
        return draft

    def mark_posted(self, tx: Transaction, author: User, draft_id: str, link: str) -> Draft:
        """Record that the approved reply is live, with its link."""
        draft = self._authors_draft(tx, author, draft_id)
        if draft.status is Status.POSTED and draft.posted_link == link:
            return draft
        if draft.status is not Status.APPROVED:
            raise Conflict(f"draft {draft.id} is {draft.status}; only approved replies can be posted")
        link = (link or "").strip()
        if not link.startswith(("https://", "http://")) or len(link) > MAX_FIELD:
            raise InvalidInput("link must be the http(s) address of the live reply")
        expected = draft.revision
        draft.posted_link = link
        draft.status = Status.POSTED
        draft.updated_at = self.clock.now()
        self._store(tx, draft, expected)
        self._audit(tx, author, Kind.POSTED, draft)
        self._send(tx, Message.UPDATE_CARDS, draft, event="posted")
        return draft

    # -- the approvers' side -----------------------------------------------------------------
    def decide(
        self,
        tx: Transaction,
        actor: User,
        draft_id: str,
        *,
        version: int,
        decision: str,
        reason: str = "",
        comment: str = "",
        text: str | None = None,
        acknowledge_override: bool = False,
    ) -> Draft:
        """Approve (optionally with edited text) or reject the version the approver saw.

        Raises:
            NotFound, Forbidden, Conflict, InvalidInput: see ``bot.errors``.
            ConcurrentUpdate: lost a race; retry on fresh data.
        """
        kind = _decision_kind(decision)
        draft = self.get(tx, draft_id)
        if self._is_repeat(draft, actor, kind, version, text):
            return draft
        if self.directory.person(actor.id) == self.directory.person(draft.author):
            raise Forbidden("you cannot approve or reject your own draft")
        groups = self.directory.groups_of(actor.id) & set(self.policy.groups)
        if not groups:
            raise Forbidden(f"only members of {', '.join(self.policy.groups)} may decide on drafts")
        if draft.status is not Status.PENDING:
            raise Conflict(f"draft {draft.id} is already {draft.status}")
        if version != draft.version:
            raise Conflict(
                f"draft {draft.id} has changed: you saw version {version}, it is now version {draft.version}",
                "reload the draft and decide on the current text",
            )
        entries = self.progress(draft)
        comment = _short_field("comment", comment)
        if kind is DecisionKind.REJECT:
            group = _rejecting_group(entries, groups)
            return self._reject(tx, draft, actor, group, reason, comment)
        group = self._approving_group(draft, entries, groups)
        if text is not None and text != draft.current.text:
            return self._approve_with_edits(tx, draft, actor, group, text, comment, acknowledge_override)
        self._require_acknowledgement(draft, group, acknowledge_override)
        me = self.directory.person(actor.id)
        if any(
            earlier.kind is DecisionKind.APPROVE and self.directory.person(earlier.actor) == me
            for earlier in draft.decisions_on_current()
        ):
            # Another account of the same person: one person is one approval (N-of-M counts people).
            raise Conflict(f"you have already approved version {draft.version} of draft {draft.id}")
        return self._approve(tx, draft, actor, group, comment, acknowledge_override)

    def _approve(
        self, tx: Transaction, draft: Draft, actor: User, group: str, comment: str, acknowledged: bool
    ) -> Draft:
        expected = draft.revision
        now = self.clock.now()
        record = Decision(
            draft.id,
            draft.version,
            actor.id,
            self._name(actor),
            group,
            DecisionKind.APPROVE,
            now,
            comment=comment,
            acknowledges_override=acknowledged and self._needs_override(draft),
        )
        draft.decisions.append(record)
        final = policy_rules.complete(self.progress(draft))
        draft.updated_at = now
        if final:
            draft.status = Status.APPROVED
            draft.final_approver, draft.final_approver_name, draft.final_at = actor.id, record.actor_name, now
        self._store(tx, draft, expected)
        tx.drafts.add_decision(record)
        self._audit_decision(tx, actor, draft, record, final)
        if record.acknowledges_override:
            self._audit(tx, actor, Kind.OVERRIDDEN, draft, group=group)
        self._send(tx, Message.UPDATE_CARDS, draft, event="approved")
        if final:
            self._send(tx, Message.NOTIFY_AUTHOR, draft, event="approved")
        return draft

    def _approve_with_edits(
        self,
        tx: Transaction,
        draft: Draft,
        actor: User,
        group: str,
        text: str,
        comment: str,
        acknowledged: bool,
    ) -> Draft:
        expected = draft.revision
        version = self._new_version(draft, self._valid_text(text), actor, "edited_by_approver")
        if draft.override_justification is not None:
            # The editor approves the new text: if it still needs the override, legal must acknowledge it.
            self._require_acknowledgement(draft, group, acknowledged)
        if self._needs_override(draft) and draft.override_justification is None:
            draft.status = Status.BLOCKED
        # The draft row first, then the audit trail, as everywhere else: the opposite lock order would
        # deadlock against a plain decision on the same draft (PostgreSQL).
        self._store(tx, draft, expected)
        tx.drafts.add_version(version)
        self._audit(tx, actor, Kind.EDITED, draft, group=group)
        self._audit_scan(tx, actor, draft, version)
        if draft.status is Status.BLOCKED:
            self._send(tx, Message.UPDATE_CARDS, draft, event="edited")
            self._send(tx, Message.NOTIFY_AUTHOR, draft, event="edit_blocked")
            return draft
        # The editor approves the text they wrote; everyone else decides on it afresh.
        return self._approve(tx, draft, actor, group, comment, acknowledged)

    def _reject(
        self, tx: Transaction, draft: Draft, actor: User, group: str, reason: str, comment: str
    ) -> Draft:
        if reason not in self.policy.rejection_reasons:
            raise InvalidInput(
                "a rejection needs a reason code",
                f"reason must be one of: {', '.join(self.policy.rejection_reasons)}",
            )
        expected = draft.revision
        now = self.clock.now()
        record = Decision(
            draft.id,
            draft.version,
            actor.id,
            self._name(actor),
            group,
            DecisionKind.REJECT,
            now,
            reason=reason,
            comment=comment,
        )
        draft.decisions.append(record)
        draft.status = Status.REJECTED
        draft.rejection_reason = reason
        draft.final_approver, draft.final_approver_name, draft.final_at = actor.id, record.actor_name, now
        draft.updated_at = now
        self._store(tx, draft, expected)
        tx.drafts.add_decision(record)
        self._audit_decision(tx, actor, draft, record, final=True)
        self._send(tx, Message.UPDATE_CARDS, draft, event="rejected")
        self._send(tx, Message.NOTIFY_AUTHOR, draft, event="rejected")
        return draft

    # -- time --------------------------------------------------------------------------------
    def expire_due(self, tx: Transaction) -> list[str]:
        """Expire pending drafts past their expiry time (all in ``tx``); returns their ids."""
        return [
            draft_id for draft_id in tx.drafts.due_for_expiry(self.clock.now()) if self.expire(tx, draft_id)
        ]

    def expire(self, tx: Transaction, draft_id: str) -> bool:
        """Expire one draft if it is still pending and overdue; True if it was."""
        draft = tx.drafts.get(draft_id)
        if draft is None or draft.status is not Status.PENDING or draft.expires_at > self.clock.now():
            return False
        self._finish(tx, draft, Status.EXPIRED, SYSTEM, Kind.EXPIRED)
        self._send(tx, Message.UPDATE_CARDS, draft, event="expired")
        self._send(tx, Message.NOTIFY_AUTHOR, draft, event="expired")
        return True

    def reminder_window(self) -> datetime:
        """Pending drafts expiring before this moment are due a reminder."""
        return self.clock.now() + timedelta(hours=self.policy.remind_before_hours)

    def remind_due(self, tx: Transaction) -> list[str]:
        """Remind approvers of pending drafts that expire soon, once per draft (all in ``tx``)."""
        if self.policy.remind_before_hours <= 0:
            return []
        return [
            draft_id
            for draft_id in tx.drafts.due_for_reminder(self.reminder_window())
            if self.remind(tx, draft_id)
        ]

    def remind(self, tx: Transaction, draft_id: str) -> bool:
        """Remind the groups still to decide on one draft, if it is due and not reminded yet."""
        draft = tx.drafts.get(draft_id)
        if (
            draft is None
            or draft.status is not Status.PENDING
            or draft.reminded_at is not None
            or draft.expires_at > self.reminder_window()
        ):
            return False
        expected = draft.revision
        draft.reminded_at = self.clock.now()
        self._store(tx, draft, expected)
        waiting = [e.group for e in self.progress(draft) if not e.done]
        self._audit(tx, SYSTEM, Kind.REMINDED, draft, groups=waiting)
        self._send(tx, Message.REMIND, draft, groups=waiting)
        return True

    # -- helpers -----------------------------------------------------------------------------
    def _valid_text(self, text: str) -> str:
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("the draft text is empty", "paste the reply you want to post")
        if len(text) > self.policy.max_chars:
            raise InvalidInput(
                f"the draft is {len(text)} characters; the limit is {self.policy.max_chars}",
                "shorten the reply (social networks cut long replies anyway) and submit it again",
            )
        return text

    def _scanned_version(
        self, draft_id: str, number: int, text: str, by: User, now: datetime, reason: str
    ) -> DraftVersion:
        result = self._scan(text)
        return DraftVersion(
            draft_id=draft_id,
            version=number,
            text=text,
            text_sha256=text_hash(text),
            verdict=str(result.verdict),
            score=round(result.score, 3),
            categories=sorted({str(f.category) for f in result.findings}),
            scan={
                "findings": [finding.to_dict() for finding in result.findings],
                "suggestion": result.suggestion,
            },
            created_by=by.id,
            created_at=now,
            reason=reason,
        )

    def _new_version(self, draft: Draft, text: str, by: User, reason: str) -> DraftVersion:
        now = self.clock.now()
        version = self._scanned_version(draft.id, draft.version + 1, text, by, now, reason)
        draft.versions.append(version)
        draft.version = version.version
        draft.verdict = version.verdict
        draft.updated_at = now
        draft.final_approver = draft.final_approver_name = None
        draft.final_at = None
        return version

    def _needs_override(self, draft: Draft) -> bool:
        return draft.current.verdict == "block"

    def _require_acknowledgement(self, draft: Draft, group: str, acknowledged: bool) -> None:
        if self._needs_override(draft) and group == self.policy.override_group and not acknowledged:
            raise InvalidInput(
                "this draft was blocked by the PHI scan and sent on with an override",
                "approving it needs acknowledge_override=true (you accept the override's justification)",
            )

    def _approving_group(self, draft: Draft, entries: list[GroupProgress], groups: set[str]) -> str:
        mine = [entry for entry in entries if entry.group in groups and not entry.skipped]
        if not mine:
            raise Conflict("your group's approval is not needed for this draft")
        open_mine = [entry for entry in mine if not entry.done]
        if not open_mine:
            names = ", ".join(entry.group for entry in mine)
            raise Conflict(f"{names} already has the approvals it needs for draft {draft.id}")
        ready = [entry for entry in open_mine if not entry.waiting_for_earlier_group]
        if not ready:
            waiting = next(entry.group for entry in entries if not entry.done)
            raise Conflict(f"draft {draft.id} is waiting for {waiting} to approve first")
        return ready[0].group

    def _is_repeat(
        self, draft: Draft, actor: User, kind: DecisionKind, version: int, text: str | None
    ) -> bool:
        """The same approver repeating the same decision on the same text: nothing to do."""
        for earlier in draft.decisions:
            same_text = text is None or text == _text_of(draft, earlier.version)
            on_this_text = earlier.version == version or (
                text is not None and earlier.version == draft.version
            )
            if earlier.actor == actor.id and earlier.kind is kind and same_text and on_this_text:
                return True
        return False

    def _authors_draft(self, tx: Transaction, user: User, draft_id: str) -> Draft:
        """The draft, if ``user`` (or a linked account of theirs) wrote it; else ``Forbidden``."""
        draft = self.get(tx, draft_id)
        if self.directory.person(user.id) != self.directory.person(draft.author):
            raise Forbidden(f"only the author of draft {draft.id} can do this")
        return draft

    def _finish(self, tx: Transaction, draft: Draft, status: Status, actor: User, kind: str) -> None:
        expected = draft.revision
        draft.status = status
        draft.updated_at = self.clock.now()
        self._store(tx, draft, expected)
        self._audit(tx, actor, kind, draft)

    def _store(self, tx: Transaction, draft: Draft, expected: int) -> None:
        draft.revision = expected + 1
        tx.drafts.save(draft, expected)

    def _expiry(self, start: datetime) -> datetime:
        return start + timedelta(hours=self.policy.expiry_hours)

    def _name(self, user: User) -> str:
        return user.name or self.directory.name(user.id)

    def _send(self, tx: Transaction, kind: str, draft: Draft, **extra: Any) -> None:
        for surface in self.surfaces:
            tx.outbox.enqueue(surface, kind, {"draft_id": draft.id, "revision": draft.revision, **extra})

    def _audit(self, tx: Transaction, actor: User, kind: str, draft: Draft, **data: Any) -> None:
        tx.audit.append(
            AuditEvent(
                at=self.clock.now(),
                actor=actor.id,
                kind=kind,
                subject_id=draft.id,
                version=draft.version,
                text_sha256=draft.current.text_sha256,
                data={"status": str(draft.status), **data},
            )
        )

    def _audit_scan(self, tx: Transaction, actor: User, draft: Draft, version: DraftVersion) -> None:
        self._audit(
            tx,
            actor,
            Kind.SCANNED,
            draft,
            verdict=version.verdict,
            score=version.score,
            categories=version.categories,
        )

    def _audit_decision(
        self, tx: Transaction, actor: User, draft: Draft, record: Decision, final: bool
    ) -> None:
        self._audit(
            tx,
            actor,
            Kind.DECIDED,
            draft,
            decision=str(record.kind),
            group=record.group,
            reason=record.reason,
            final=final,
            has_comment=bool(record.comment),
        )


def _text_of(draft: Draft, number: int) -> str | None:
    return next((v.text for v in draft.versions if v.version == number), None)


def _rejecting_group(entries: list[GroupProgress], groups: set[str]) -> str:
    # Any required group may stop a review at any step: a rejection is never "out of turn".
    for entry in entries:
        if entry.group in groups:
            return entry.group
    return sorted(groups)[0]


def _decision_kind(decision: str) -> DecisionKind:
    try:
        return DecisionKind(decision)
    except ValueError:
        raise InvalidInput("decision must be 'approve' or 'reject'") from None


def _network(value: str) -> Network:
    try:
        return Network(value or "other")
    except ValueError:
        allowed = ", ".join(network.value for network in Network)
        raise InvalidInput("unknown network", f"network must be one of: {allowed}") from None


def _short_field(name: str, value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > MAX_FIELD:
        raise InvalidInput(f"{name} is longer than {MAX_FIELD} characters")
    return value
