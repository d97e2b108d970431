"""Names the Teams cards and the bot agree on: Action.Execute verbs, input ids, user-id mapping."""

from __future__ import annotations

SURFACE = "teams"

# Action.Execute verbs (Universal Actions). Every action's data carries DRAFT and VERSION.
APPROVE = "approve"
APPROVE_WITH_EDITS = "approve_with_edits"  # inputs: TEXT, COMMENT, ACKNOWLEDGE
REJECT = "reject"  # inputs: REASON, COMMENT
ACKNOWLEDGE = "acknowledge"  # approve an overridden draft; inputs: ACKNOWLEDGE, COMMENT
REQUEST_OVERRIDE = "request_override"  # inputs: JUSTIFICATION
WITHDRAW = "withdraw"
MARK_POSTED = "mark_posted"  # inputs: POSTED_LINK
SEND_FOR_APPROVAL = "send_for_approval"  # a pasted message; data carries PASTED_TEXT
REFRESH = "refresh"
INCIDENT_REPORT = (
    "incident_report"  # inputs: INCIDENT_LINK, INCIDENT_CATEGORIES, INCIDENT_DRAFT, INCIDENT_NOTICED
)
INCIDENT_TICK = "incident_tick"  # data: INCIDENT, STEP; inputs: INCIDENT_NOTE, INCIDENT_NA
INCIDENT_CLOSE = "incident_close"  # data: INCIDENT; inputs: INCIDENT_OUTCOME
INCIDENT_REFRESH = "incident_refresh"

# Message extension (action command in the manifest) and its task-module form.
SUBMIT_COMMAND = "submitForApproval"
SUBMIT_FORM = "submit_form"  # data.form of the task module's Action.Submit

# Keys in action data.
DRAFT = "draft_id"
VERSION = "version"
VERB = "verb"
PASTED_TEXT = "pasted_text"

# Input ids.
TEXT = "text"
COMMENT = "comment"
REASON = "reason"
ACKNOWLEDGE_INPUT = "acknowledge"
JUSTIFICATION = "justification"
POSTED_LINK = "posted_link"
NETWORK = "network"
IN_REPLY_TO = "in_reply_to"
CONTEXT = "context"
TOGGLE_ON = "true"
INCIDENT = "incident_id"
STEP = "step"
INCIDENT_LINK = "incident_link"
INCIDENT_CATEGORIES = "incident_categories"
INCIDENT_DRAFT = "incident_draft"
INCIDENT_NOTICED = "incident_noticed"
INCIDENT_NOTE = "incident_note"
INCIDENT_NA = "incident_not_applicable"
INCIDENT_OUTCOME = "incident_outcome"


def user_id(aad_object_id: str) -> str:
    """Phigate's id for a Teams user: ``teams:<Azure AD object id>`` (never the display name)."""
    return f"{SURFACE}:{aad_object_id.lower()}"


def aad_object_id(phigate_user: str) -> str | None:
    """The Azure AD object id behind a phigate id, or None for other surfaces."""
    prefix = f"{SURFACE}:"
    return phigate_user[len(prefix) :] if phigate_user.startswith(prefix) else None
