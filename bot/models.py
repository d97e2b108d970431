"""The workflow's domain records: drafts, their text versions, decisions, approval progress.

Plain dataclasses: storage maps them to rows, surfaces render them. ``Draft.revision`` is the internal
row revision used for compare-and-set; ``Draft.version`` is the text version and changes only when
the text is edited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Network(StrEnum):
    """Where the reply will be posted."""

    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    LINKEDIN = "linkedin"
    GOOGLE_REVIEWS = "google-reviews"
    OTHER = "other"


class Status(StrEnum):
    """A draft's state. Final states accept no more decisions."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    POSTED = "posted"

    @property
    def is_open(self) -> bool:
        """True while approvers may still decide."""
        return self is Status.PENDING


class DecisionKind(StrEnum):
    """What an approver decided."""

    APPROVE = "approve"
    REJECT = "reject"


def text_hash(text: str) -> str:
    """SHA-256 of a draft text (UTF-8), the only form in which text reaches the audit trail."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    """Someone acting through a surface: ``id`` is ``<surface>:<id>`` (``slack:U123``)."""

    id: str
    name: str = ""

    @property
    def surface(self) -> str:
        """The surface part of the id (``slack``, ``teams``, ``sandbox``, ``api``)."""
        return self.id.split(":", 1)[0]

    @property
    def display(self) -> str:
        """The display name, or the id when there is none."""
        return self.name or self.id


@dataclass
class DraftVersion:
    """One text of a draft, with its scan. ``text`` is None once purged (the hash stays)."""

    draft_id: str
    version: int
    text: str | None
    text_sha256: str
    verdict: str
    score: float
    categories: list[str]
    scan: dict[str, Any]
    created_by: str
    created_at: datetime
    reason: str = "submitted"  # submitted | resubmitted | edited_by_approver


@dataclass
class Decision:
    """An approver's decision on one text version."""

    draft_id: str
    version: int
    actor: str
    actor_name: str
    group: str
    kind: DecisionKind
    at: datetime
    reason: str = ""
    comment: str = ""
    acknowledges_override: bool = False
    id: int | None = None


@dataclass
class Draft:
    """A proposed reply under review."""

    id: str
    author: str
    author_name: str
    network: Network
    in_reply_to: str
    context: str
    status: Status
    version: int
    revision: int
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    verdict: str = "clear"
    reminded_at: datetime | None = None
    final_approver: str | None = None
    final_approver_name: str | None = None
    final_at: datetime | None = None
    override_justification: str | None = None
    posted_link: str | None = None
    rejection_reason: str | None = None
    versions: list[DraftVersion] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    @property
    def current(self) -> DraftVersion:
        """The version under review."""
        return next(v for v in self.versions if v.version == self.version)

    def decisions_on_current(self) -> list[Decision]:
        """Decisions that count: those on the current text version."""
        return [d for d in self.decisions if d.version == self.version]


@dataclass(frozen=True)
class GroupProgress:
    """One approver group's progress on the current version."""

    group: str
    required: int
    approved_by: tuple[tuple[str, str], ...]  # (user id, display name)
    skipped: bool = False
    waiting_for_earlier_group: bool = False

    @property
    def done(self) -> bool:
        """True when this group needs no more approvals."""
        return self.skipped or len(self.approved_by) >= self.required
