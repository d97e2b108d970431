"""Shared set-up for the approval-workflow tests: a roster, settings variants and a small driver.

The driver runs every call through ``Database.run`` exactly as a surface does, so each action is one
transaction (decision, audit event and outbox messages together).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select

from bot.approvals import ApprovalService, Submission
from bot.audit import AuditEvent
from bot.clock import ManualClock
from bot.config import Settings
from bot.identity import ConfiguredDirectory
from bot.models import Draft, User
from storage.db import Database
from storage.orm import OutboxRow

T = TypeVar("T")

AUTHOR = User("slack:Usocial", "Sam Rivera")
AUTHOR_TEAMS = User("teams:sam")  # the same person as AUTHOR (linked account), listed in legal
OTHER_AUTHOR = User("slack:Usocial2", "Ola Social")
LEGAL = [User(f"slack:Ulegal{i}") for i in range(1, 4)]
LEGAL_TEAMS = User("teams:lee")  # the same person as LEGAL[0]
COMMS = [User(f"slack:Ucomms{i}") for i in range(1, 3)]
OUTSIDER = User("slack:Unobody")

CLEAR = "Thanks for the kind words about our nurses!"
CLEAR_2 = "We appreciate you taking the time to share this with our team."
REVIEW = "Sorry your stay on 4 West was so long"
BLOCK = "Glad your knee surgery went well, John! MRN 12345678"
POST = "https://facebook.com/lakeside/posts/1"


def roster(extra_legal: int = 0, extra_comms: int = 0) -> dict[str, str]:
    """The test identity as environment variables (JSON values, as an operator would write them)."""
    legal = [u.id for u in LEGAL] + [f"slack:Ulegalx{i}" for i in range(extra_legal)]
    comms = [u.id for u in COMMS] + [f"slack:Ucommsx{i}" for i in range(extra_comms)]
    return {
        "PHIGATE_IDENTITY__GROUPS": json.dumps(
            {
                "social": [AUTHOR.id, OTHER_AUTHOR.id],
                # The author's Teams account is (wrongly, but plausibly) listed in legal.
                "legal": [*legal, AUTHOR_TEAMS.id],
                "comms": comms,
            }
        ),
        "PHIGATE_IDENTITY__SUBMITTERS": "social",
        "PHIGATE_IDENTITY__PEOPLE": json.dumps(
            {
                "sam@lakeside.org": [AUTHOR.id, AUTHOR_TEAMS.id],
                "lee@lakeside.org": [LEGAL[0].id, LEGAL_TEAMS.id],
            }
        ),
        "PHIGATE_IDENTITY__NAMES": json.dumps({LEGAL[0].id: "Lee Chen", COMMS[0].id: "Cam Duarte"}),
    }


def settings(policy: Mapping[str, str] | None = None, **roster_options: int) -> Settings:
    """Settings with the test roster and ``policy`` given as ``PHIGATE_POLICY__*`` variables."""
    env = roster(**roster_options)
    env.update({f"PHIGATE_POLICY__{key.upper()}": value for key, value in (policy or {}).items()})
    return Settings.load(env=env)


@dataclass
class Workflow:
    """An ``ApprovalService`` on a real database, a manual clock and the real scanner."""

    db: Database
    service: ApprovalService
    clock: ManualClock

    @classmethod
    def create(
        cls,
        db: Database,
        scan: Callable[[str], Any],
        config: Settings | None = None,
        surfaces: tuple[str, ...] = ("sandbox",),
        clock: ManualClock | None = None,
    ) -> Workflow:
        config = config or settings()
        clock = clock or ManualClock()
        directory = ConfiguredDirectory(config.identity, legal_group=config.policy.override_group)
        return cls(db, ApprovalService(config, scan, directory, clock, surfaces), clock)

    def run(self, work: Callable[[Any], T]) -> T:
        return self.db.run(work)

    def submit(
        self,
        text: str,
        author: User = AUTHOR,
        network: str = "facebook",
        in_reply_to: str = POST,
        context: str = "",
    ) -> Draft:
        submission = Submission(text, network, in_reply_to, context)
        return self.run(lambda tx: self.service.submit(tx, author, submission))

    def decide(self, actor: User, draft: Draft | str, decision: str = "approve", **options: Any) -> Draft:
        draft_id = draft if isinstance(draft, str) else draft.id
        if "version" not in options:
            options["version"] = self.get(draft_id).version
        return self.run(lambda tx: self.service.decide(tx, actor, draft_id, decision=decision, **options))

    def approve(self, actor: User, draft: Draft | str, **options: Any) -> Draft:
        return self.decide(actor, draft, "approve", **options)

    def get(self, draft_id: str) -> Draft:
        return self.db.run(lambda tx: self.service.get(tx, draft_id), write=False)

    def events(self) -> list[AuditEvent]:
        return self.db.run(lambda tx: list(tx.audit.events()), write=False)

    def events_of(self, draft_id: str) -> list[AuditEvent]:
        return [event for event in self.events() if event.subject_id == draft_id]

    def outbox(self, draft_id: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
        """(surface, kind, payload) of every stored outbox message, in order."""

        def read(tx: Any) -> list[tuple[str, str, dict[str, Any]]]:
            rows = tx.session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
            return [(row.surface, row.kind, dict(row.payload)) for row in rows]

        rows = self.db.run(read, write=False)
        if draft_id is None:
            return rows
        return [row for row in rows if row[2].get("draft_id") == draft_id]


def serialized_audit(events: list[AuditEvent]) -> str:
    """Every stored field of the events as one string (to search for leaked text)."""
    return json.dumps(
        [
            [e.seq, e.actor, e.kind, e.subject_type, e.subject_id, e.version, e.text_sha256, e.data]
            for e in events
        ],
        default=str,
    )
