"""Names Slack sends back to us: action ids, view callback ids, block ids, and user-id mapping.

One place for them so listeners, Block Kit builders, the manifest and tests agree.
"""

from __future__ import annotations

import json
from typing import Any

SURFACE = "slack"
COMMAND = "/phigate"

# Buttons on review cards (value: card_value()).
APPROVE = "phigate_approve"
APPROVE_WITH_EDITS = "phigate_approve_with_edits"
REJECT = "phigate_reject"
SHOW_FULL_TEXT = "phigate_show_full_text"

# Buttons for the author (value: card_value(), or drafts-channel message refs).
SEND_FOR_APPROVAL = "phigate_send_for_approval"  # value: {"c": channel, "ts": message ts}
EDIT_DRAFT = "phigate_edit_draft"  # value: {"c": channel, "ts": message ts} or {"d": draft id}
REQUEST_OVERRIDE = "phigate_request_override"
WITHDRAW = "phigate_withdraw"
MARK_POSTED = "phigate_mark_posted"
OPEN_SUBMIT = "phigate_open_submit"  # App Home "New draft" button

# Shortcuts (manifest callback ids).
MESSAGE_SHORTCUT = "phigate_submit_message"
GLOBAL_SHORTCUT = "phigate_new_draft"

# Modals (view callback ids); private_metadata is JSON (see card_value()).
SUBMIT_VIEW = "phigate_submit"
APPROVE_EDITS_VIEW = "phigate_approve_with_edits_view"
REJECT_VIEW = "phigate_reject_view"
OVERRIDE_VIEW = "phigate_override_view"
ACKNOWLEDGE_VIEW = "phigate_acknowledge_view"
POSTED_VIEW = "phigate_posted_view"
INFO_VIEW = "phigate_info_view"  # read-only modals (full text, scan result)

# Incidents: card buttons (value: {"i": incident id, "s": step}) and modals (private_metadata the same).
INCIDENT_TICK = "phigate_incident_tick"
INCIDENT_CLOSE = "phigate_incident_close"
INCIDENT_REPORT_VIEW = "phigate_incident_report"
INCIDENT_STEP_VIEW = "phigate_incident_step"
INCIDENT_CLOSE_VIEW = "phigate_incident_close_view"

# Input blocks/actions inside modals: (block_id, action_id) pairs.
NETWORK_INPUT = ("network", "network_value")
LINK_INPUT = ("in_reply_to", "in_reply_to_value")
TEXT_INPUT = ("text", "text_value")
CONTEXT_INPUT = ("context", "context_value")
REASON_INPUT = ("reason", "reason_value")
COMMENT_INPUT = ("comment", "comment_value")
JUSTIFICATION_INPUT = ("justification", "justification_value")
ACKNOWLEDGE_INPUT = ("acknowledge", "acknowledge_value")
POSTED_LINK_INPUT = ("posted_link", "posted_link_value")
INCIDENT_LINK_INPUT = ("incident_link", "incident_link_value")
INCIDENT_CATEGORIES_INPUT = ("incident_categories", "incident_categories_value")
INCIDENT_DRAFT_INPUT = ("incident_draft", "incident_draft_value")
INCIDENT_NOTICED_INPUT = ("incident_noticed", "incident_noticed_value")
INCIDENT_NOTE_INPUT = ("incident_note", "incident_note_value")
INCIDENT_NOT_APPLICABLE_INPUT = ("incident_na", "incident_na_value")
INCIDENT_OUTCOME_INPUT = ("incident_outcome", "incident_outcome_value")


def user_id(slack_user: str) -> str:
    """Phigate's id for a Slack user: ``slack:U123``."""
    return f"{SURFACE}:{slack_user}"


def slack_user(phigate_user: str) -> str | None:
    """The Slack user id behind a phigate id, or None for users of other surfaces."""
    prefix = f"{SURFACE}:"
    return phigate_user[len(prefix) :] if phigate_user.startswith(prefix) else None


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON for a button value or private_metadata."""
    return json.dumps(data, separators=(",", ":"))


def card_value(draft_id: str, version: int, **extra: Any) -> str:
    """A button value / private_metadata naming the draft and the version the user saw."""
    return dumps({"d": draft_id, "v": version, **extra})


def parse_value(value: str | None) -> dict[str, Any]:
    """The JSON a button value or private_metadata carries (empty dict if it is not ours)."""
    try:
        data = json.loads(value or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}
