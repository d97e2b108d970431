"""The incident protocol: a posted reply that disclosed PHI, and the steps that follow.

A surface (API, CLI, sandbox, Slack, Teams) calls ``IncidentService``:

- ``report(tx, user, link, categories, draft_id=None, noticed_by="", discovered_at=None)``: anyone who
  may submit drafts or decide on them reports a post. The network is read from the link's host; the
  draft is linked when given, or when the link is a draft's recorded post link, and its approvers are
  copied onto the incident. A linked draft is on legal hold (``phigate purge`` keeps its text) while
  the incident is open.
- ``tick(tx, user, incident_id, step, note="", not_applicable=False)``: one checklist step done, with
  time and actor. The screenshot step needs a reference to the hospital's own records (never the
  image); "patient contacted" may be marked not applicable with a reason.
- ``close(tx, user, incident_id, outcome)``: the privacy officer closes with an outcome code once every
  step is done.

Who may do what (``PERMISSIONS``): privacy officers (``[identity] privacy_officers``) own incidents
and may do everything; legal and comms approvers (the policy's groups) may report and tick the
operational steps; only privacy officers start the risk assessment, mark the patient contact and
close. HIPAA's breach notification clock runs 60 days from discovery (``deadline``); ``remind`` sends
the daily reminder of an open incident. Surfaces that show incident cards get the outbox kinds in
``Message`` (payload: ``incident_id``). Every change is an audit event in the same hash chain; the
audit rows hold the link's and notes' SHA-256, never their text.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from bot.audit import AuditEvent
from bot.config import Settings
from bot.errors import Conflict, Forbidden, InvalidInput, NotFound
from bot.models import Draft, User, text_hash
from bot.phi.categories import Category
from bot.ports import Clock, Directory, Transaction

BREACH_NOTIFICATION_DAYS = 60
REMIND_EVERY = timedelta(days=1)
SYSTEM = "system:phigate"
MAX_NOTE = 200
_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class Step(StrEnum):
    """The checklist, in the order it is usually worked."""

    POST_REMOVED = "post_removed"
    SCREENSHOT_PRESERVED = "screenshot_preserved"
    PRIVACY_OFFICER_NOTIFIED = "privacy_officer_notified"
    RISK_ASSESSMENT_STARTED = "risk_assessment_started"
    PATIENT_CONTACTED = "patient_contacted"


STEP_LABELS = {
    Step.POST_REMOVED: "Post removed or hidden",
    Step.SCREENSHOT_PRESERVED: "Screenshot preserved in the hospital's records (reference)",
    Step.PRIVACY_OFFICER_NOTIFIED: "Privacy officer notified",
    Step.RISK_ASSESSMENT_STARTED: "Breach risk assessment started",
    Step.PATIENT_CONTACTED: "Patient contacted (if decided)",
}
OUTCOMES = {
    "no_breach": "Risk assessment: low probability of compromise, not a reportable breach",
    "breach_notified": "Breach: the individual(s) notified (and HHS as required)",
    "not_phi": "On review the post did not disclose PHI",
    "other": "Other outcome (documented in the privacy office's records)",
}
PRIVACY_OFFICER = "privacy_officer"
APPROVERS = "approvers"
# Who may: report, tick each step, close. APPROVERS = members of the policy's approver groups.
PERMISSIONS: dict[str, frozenset[str]] = {
    "report": frozenset({PRIVACY_OFFICER, APPROVERS, "submitters"}),
    Step.POST_REMOVED: frozenset({PRIVACY_OFFICER, APPROVERS}),
    Step.SCREENSHOT_PRESERVED: frozenset({PRIVACY_OFFICER, APPROVERS}),
    Step.PRIVACY_OFFICER_NOTIFIED: frozenset({PRIVACY_OFFICER, APPROVERS}),
    Step.RISK_ASSESSMENT_STARTED: frozenset({PRIVACY_OFFICER}),
    Step.PATIENT_CONTACTED: frozenset({PRIVACY_OFFICER}),
    "close": frozenset({PRIVACY_OFFICER}),
}
_NETWORKS = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "x.com": "x",
    "twitter.com": "x",
    "linkedin.com": "linkedin",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "google.com": "google-reviews",
    "g.page": "google-reviews",
    "yelp.com": "yelp",
}


class Message:
    """Outbox message kinds for the surfaces that show incident cards (payload: ``incident_id``)."""

    POST_CARDS = "incident.post"
    UPDATE_CARDS = "incident.update"
    REMIND = "incident.remind"


class Kind:
    """Audit event kinds of incidents."""

    REPORTED = "incident_reported"
    REMINDED = "incident_reminded"
    STEP = "incident_step"
    CLOSED = "incident_closed"


@dataclass(frozen=True)
class StepRecord:
    """A ticked step: who, when, and the note (a reference, or why not applicable)."""

    actor: str
    actor_name: str
    at: datetime
    note: str = ""
    not_applicable: bool = False


@dataclass
class Incident:
    """A reported post and the protocol's progress."""

    id: str
    link: str
    network: str
    categories: tuple[str, ...]
    draft_id: str | None
    approvers: tuple[str, ...]
    noticed_by: str
    reported_by: str
    discovered_at: datetime
    created_at: datetime
    status: str = "open"
    steps: dict[str, StepRecord] = field(default_factory=dict)
    outcome: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    revision: int = 1
    reminded_at: datetime | None = None

    @property
    def deadline(self) -> datetime:
        """The end of HIPAA's 60-day breach-notification window (from discovery)."""
        return self.discovered_at + timedelta(days=BREACH_NOTIFICATION_DAYS)

    def days_left(self, now: datetime) -> int:
        """Days until the deadline, a started day counting as left (negative once it has passed)."""
        days = (self.deadline - now).total_seconds() / 86400
        return math.ceil(days) if days > 0 else math.floor(days)

    def missing_steps(self) -> list[Step]:
        """The checklist steps not done yet."""
        return [step for step in Step if step not in self.steps]


def network_of(link: str) -> str:
    """The social network a post link belongs to (``other`` when unknown)."""
    host = (urlsplit(link).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for domain, network in _NETWORKS.items():
        if host == domain or host.endswith("." + domain):
            return network
    return "other"


class IncidentService:
    """Report incidents, tick their steps, close them; every change is audited in the same chain."""

    def __init__(
        self, settings: Settings, directory: Directory, clock: Clock, card_surfaces: tuple[str, ...] = ()
    ) -> None:
        self.settings = settings
        self.directory = directory
        self.clock = clock
        self.card_surfaces = card_surfaces  # surfaces whose notifier posts incident cards

    def roles(self, user_id: str) -> frozenset[str]:
        """The incident roles of a user."""
        roles = set()
        accounts = {user_id, self.directory.person(user_id)}
        if accounts & set(self.settings.identity.privacy_officers):
            roles.add(PRIVACY_OFFICER)
        if self.directory.groups_of(user_id) & set(self.settings.policy.groups):
            roles.add(APPROVERS)
        if self.directory.may_submit(user_id):
            roles.add("submitters")
        return frozenset(roles)

    def report(
        self,
        tx: Transaction,
        user: User,
        link: str,
        categories: list[str] | tuple[str, ...],
        *,
        draft_id: str | None = None,
        noticed_by: str = "",
        discovered_at: datetime | None = None,
    ) -> Incident:
        """Open an incident for a posted reply (see the module docstring)."""
        self._require(user, "report")
        link = _link(link)
        chosen = _categories(categories)
        now = self.clock.now()
        discovered = discovered_at or now
        if discovered > now + timedelta(minutes=5):
            raise InvalidInput("discovered_at is in the future")
        if discovered < now - timedelta(days=365):
            raise InvalidInput("discovered_at is more than a year ago", "give the date the post was found")
        draft = self._linked_draft(tx, draft_id, link)
        approvers: tuple[str, ...] = ()
        if draft is not None:
            approvers = tuple(dict.fromkeys(d.actor for d in draft.decisions if d.kind.value == "approve"))
        incident = Incident(
            id="I-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8)),
            link=link,
            network=network_of(link),
            categories=chosen,
            draft_id=draft.id if draft else None,
            approvers=approvers,
            noticed_by=_short("noticed_by", noticed_by) or user.id,
            reported_by=user.id,
            discovered_at=discovered,
            created_at=now,
        )
        tx.incidents.add(incident)
        self._send(tx, Message.POST_CARDS, incident)
        self._audit(
            tx,
            user,
            Kind.REPORTED,
            incident,
            {
                "network": incident.network,
                "categories": list(chosen),
                "draft_id": incident.draft_id,
                "link_sha256": text_hash(link),
                "discovered_at": discovered.isoformat(),
            },
        )
        return incident

    def tick(
        self,
        tx: Transaction,
        user: User,
        incident_id: str,
        step: str,
        note: str = "",
        *,
        not_applicable: bool = False,
    ) -> Incident:
        """Mark one checklist step done (idempotent: ticking a done step again changes nothing)."""
        incident = self.get(tx, incident_id)
        chosen = _step(step)
        self._require(user, chosen)
        if incident.status != "open":
            raise Conflict(f"incident {incident.id} is closed")
        if chosen in incident.steps:
            return incident
        note = _short("note", note)
        if chosen is Step.SCREENSHOT_PRESERVED and not note:
            raise InvalidInput(
                "the screenshot step needs a reference to where it is kept",
                "e.g. the document id in the privacy office's records; never attach the image here",
            )
        if not_applicable and chosen is not Step.PATIENT_CONTACTED:
            raise InvalidInput("only the patient contact can be marked not applicable")
        if not_applicable and not note:
            raise InvalidInput("say why contacting the patient is not applicable")
        record = StepRecord(user.id, self.directory.name(user.id), self.clock.now(), note, not_applicable)
        updated = replace(
            incident, steps={**incident.steps, chosen.value: record}, revision=incident.revision + 1
        )
        tx.incidents.save(updated, incident.revision)
        self._send(tx, Message.UPDATE_CARDS, updated)
        data = {
            "step": chosen.value,
            "not_applicable": not_applicable,
            "note_sha256": text_hash(note) if note else None,
        }
        self._audit(tx, user, Kind.STEP, updated, data)
        return updated

    def close(self, tx: Transaction, user: User, incident_id: str, outcome: str) -> Incident:
        """Close with an outcome code once every step is done."""
        incident = self.get(tx, incident_id)
        self._require(user, "close")
        if incident.status != "open":
            raise Conflict(f"incident {incident.id} is already closed")
        if outcome not in OUTCOMES:
            raise InvalidInput("unknown outcome", f"outcome must be one of: {', '.join(OUTCOMES)}")
        missing = incident.missing_steps()
        if missing:
            raise Conflict(
                f"incident {incident.id} still has open steps: {', '.join(step.value for step in missing)}",
                "tick them first (the patient contact may be marked not applicable with a reason)",
            )
        now = self.clock.now()
        updated = replace(
            incident,
            status="closed",
            outcome=outcome,
            closed_by=user.id,
            closed_at=now,
            revision=incident.revision + 1,
        )
        tx.incidents.save(updated, incident.revision)
        self._send(tx, Message.UPDATE_CARDS, updated)
        self._audit(
            tx, user, Kind.CLOSED, updated, {"outcome": outcome, "days_left": incident.days_left(now)}
        )
        return updated

    def due_for_reminder(self, tx: Transaction) -> list[str]:
        """Open incidents not reminded about (or reported) in the last day."""
        cutoff = self.clock.now() - REMIND_EVERY
        return [
            incident.id
            for incident in tx.incidents.list("open")
            if (incident.reminded_at or incident.created_at) <= cutoff
        ]

    def remind(self, tx: Transaction, incident_id: str) -> bool:
        """Send the daily reminder of an open incident (with the days left) if it is due.

        Returns False when it is not due: another replica sent it, or the incident closed meanwhile.
        """
        incident = self.get(tx, incident_id)
        now = self.clock.now()
        if incident.status != "open" or (incident.reminded_at or incident.created_at) > now - REMIND_EVERY:
            return False
        updated = replace(incident, reminded_at=now, revision=incident.revision + 1)
        tx.incidents.save(updated, incident.revision)
        self._send(tx, Message.REMIND, updated)
        missing = [step.value for step in incident.missing_steps()]
        self._audit(
            tx,
            User(SYSTEM),
            Kind.REMINDED,
            updated,
            {"days_left": incident.days_left(now), "open_steps": missing},
        )
        return True

    def get(self, tx: Transaction, incident_id: str) -> Incident:
        """The incident, or NotFound."""
        incident = tx.incidents.get(incident_id)
        if incident is None:
            raise NotFound(f"no incident {incident_id!r}")
        return incident

    def _require(self, user: User, action: str) -> None:
        allowed = PERMISSIONS[action]
        if not self.roles(user.id) & allowed:
            who = " or ".join(sorted(a.replace("_", " ") for a in allowed))
            raise Forbidden(f"only {who} may {'tick ' + action if action in set(Step) else action}")

    def _linked_draft(self, tx: Transaction, draft_id: str | None, link: str) -> Draft | None:
        if draft_id:
            draft = tx.drafts.get(draft_id.strip())
            if draft is None:
                raise NotFound(f"no draft {draft_id!r}")
            return draft
        found = tx.incidents.draft_posted_at(link)
        return tx.drafts.get(found) if found else None

    def _send(self, tx: Transaction, kind: str, incident: Incident) -> None:
        for surface in self.card_surfaces:
            payload = {"incident_id": incident.id, "revision": incident.revision}
            tx.outbox.enqueue(surface, kind, payload)

    def _audit(
        self, tx: Transaction, user: User, kind: str, incident: Incident, data: Mapping[str, Any]
    ) -> None:
        tx.audit.append(
            AuditEvent(
                at=self.clock.now(),
                actor=user.id,
                kind=kind,
                subject_type="incident",
                subject_id=incident.id,
                data=dict(data),
            )
        )


def _link(value: str) -> str:
    link = (value or "").strip()
    parts = urlsplit(link)
    if parts.scheme != "https" or not parts.hostname or len(link) > 2000 or any(c.isspace() for c in link):
        raise InvalidInput(
            "link must be the https:// address of the post", "copy it from the network's share menu"
        )
    return link


def _categories(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    known = {category.value for category in Category}
    chosen = tuple(dict.fromkeys(str(v).strip().upper() for v in values or () if str(v).strip()))
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise InvalidInput(
            "unknown categories",
            f"use phigate's category names, e.g. NAME, DATE, PATIENT_RELATIONSHIP; not {', '.join(unknown)}",
        )
    if not chosen:
        raise InvalidInput("say what was disclosed", "at least one category, e.g. PATIENT_RELATIONSHIP")
    return chosen


def _step(value: str) -> Step:
    try:
        return Step(value)
    except ValueError:
        raise InvalidInput("unknown step", f"steps: {', '.join(step.value for step in Step)}") from None


def _short(name: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_NOTE:
        raise InvalidInput(f"{name} is longer than {MAX_NOTE} characters")
    return value


URGENT_DAYS = 7  # reminders get louder in the last week of the notification window


def reminder_text(incident: Incident, now: datetime) -> str:
    """The daily reminder in plain words: days left and the open steps (surfaces add their markup)."""
    days = incident.days_left(now)
    missing = (
        ", ".join(STEP_LABELS[step] for step in incident.missing_steps())
        or "none: the privacy officer can close it"
    )
    when = f"{days} days left" if days >= 0 else f"{-days} days past"
    return f"Incident {incident.id} is still open: {when} of HIPAA's 60-day notification window. Open steps: {missing}."
