"""The effective approval policy in plain words, for ``phigate policy show`` and a compliance review.

Built from the settings only (no database): who approves, how many, in which order, what a clear or
blocked draft needs, expiry and reminders, who may submit and export, where cards go, what is kept and
what is removed.
"""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.identity import sandbox_identity
from bot.wording import reason_label


def summary(settings: Settings) -> dict[str, Any]:
    """The policy as plain data (``--format json``)."""
    policy = settings.policy
    identity = sandbox_identity(settings.identity) if settings.sandbox_mode else settings.identity
    groups = []
    for group in policy.groups:
        members = list(identity.groups.get(group, ()))
        groups.append(
            {
                "group": group,
                "approvals_needed": policy.required(group),
                "members": [{"id": m, "name": identity.names.get(m, "")} for m in members],
                "slack_usergroup": settings.slack.usergroups.get(group) or None,
                "skipped_when_clear": group in policy.clear_may_skip,
                "slack_channel": settings.slack.channels.get(group) or None,
                "teams_channel": settings.teams.channels.get(group) or None,
            }
        )
    return {
        "mode": "sandbox (demo users)" if settings.sandbox_mode else "workspace",
        "order": policy.order,
        "groups": groups,
        "override_group": policy.override_group,
        "expiry_hours": policy.expiry_hours,
        "remind_before_hours": policy.remind_before_hours,
        "rejection_reasons": list(policy.rejection_reasons),
        "max_chars": policy.max_chars,
        "submitters": list(identity.submitters),
        "auditors": list(identity.auditors),
        "linked_people": {person: list(accounts) for person, accounts in identity.people.items()},
        "full_text_channels": list(settings.cards.full_text_channels),
        "retention": {
            "audit_events": "kept; phigate never deletes them (keep at least 6 years)",
            "unapproved_draft_bodies": "removed by `phigate purge --older-than WINDOW` (run on the operator's timer)",
            "encrypted_at_rest": bool(settings.encryption_key),
        },
    }


def plain_words(settings: Settings) -> str:
    """The policy as sentences a compliance officer can check line by line."""
    data = summary(settings)
    lines = [f"Approval policy ({data['mode']})", ""]
    parts = []
    for entry in data["groups"]:
        members = entry["members"]
        label = _label(entry["group"])
        who = ", ".join(_person(m) for m in members) if members else "no one configured"
        extra = (
            f" or members of Slack user group {entry['slack_usergroup']}" if entry["slack_usergroup"] else ""
        )
        parts.append(f"{entry['approvals_needed']} of the {len(members)} {label} approvers ({who}{extra})")
    joiner = ", THEN " if data["order"] == "sequential" else " AND "
    lines.append("A reply needs approval from " + joiner.join(parts) + " before it may be posted.")
    if data["order"] == "sequential":
        lines.append("Groups decide in that order: a later group's buttons wait for the earlier group.")
    else:
        lines.append("The groups decide in parallel, in any order.")
    skipped = [_label(e["group"]) for e in data["groups"] if e["skipped_when_clear"]]
    if skipped:
        lines.append(
            f"When the scan finds nothing (verdict clear), {', '.join(skipped)} approval is not needed."
        )
    lines += [
        "One rejection from any approver ends the review; the approver picks a reason: "
        + ", ".join(reason_label(reason) for reason in data["rejection_reasons"])
        + ".",
        "Nobody may approve or reject their own draft (linked accounts count as one person).",
        f"A draft the scan blocks needs the author's written justification and a {_label(data['override_group'])} "
        "approver's explicit acknowledgement of the override.",
        "The final approver (whose decision completed the policy), the time and the hash of the exact approved "
        "text are recorded in the append-only, hash-chained audit trail.",
        f"A review left open expires after {_hours(data['expiry_hours'])}"
        + (
            f"; approvers are reminded {_hours(data['remind_before_hours'])} before."
            if data["remind_before_hours"]
            else "; no reminders are sent."
        ),
        f"Drafts longer than {data['max_chars']} characters are refused.",
        "Who may submit: "
        + (", ".join(f"members of {_label(g)}" for g in data["submitters"]) or "anyone identified")
        + ".",
        f"Who may export the audit trail: {_label('legal')} approvers"
        + (f" and {', '.join(data['auditors'])}" if data["auditors"] else "")
        + ".",
        "",
        "Review channels:",
    ]
    for entry in data["groups"]:
        places = [
            f"Slack {entry['slack_channel']}" if entry["slack_channel"] else "",
            f"Teams {entry['teams_channel']}" if entry["teams_channel"] else "",
        ]
        shown = ", ".join(p for p in places if p) or (
            "the sandbox chat" if settings.sandbox_mode else "NONE CONFIGURED"
        )
        lines.append(f"  {_label(entry['group'])}: {shown}")
    lines.append(
        "Full draft text may be shown on request only in: "
        + (", ".join(data["full_text_channels"]) or "nowhere")
        + " (elsewhere cards show the redacted preview)."
    )
    retention = data["retention"]
    lines += [
        "",
        "Retention:",
        f"  Audit events: {retention['audit_events']}.",
        f"  Draft bodies never approved: {retention['unapproved_draft_bodies']}; approved text is kept.",
        "  Draft text at rest: "
        + (
            "encrypted (PHIGATE_ENCRYPTION_KEY)."
            if retention["encrypted_at_rest"]
            else "NOT encrypted by phigate (set PHIGATE_ENCRYPTION_KEY)."
        ),
    ]
    if data["linked_people"]:
        lines += ["", "Linked accounts (one person each):"]
        lines += [f"  {person}: {', '.join(accounts)}" for person, accounts in data["linked_people"].items()]
    return "\n".join(lines) + "\n"


def _person(member: dict[str, str]) -> str:
    return f"{member['name']} <{member['id']}>" if member["name"] else member["id"]


def _hours(hours: float) -> str:
    if hours >= 24 and hours % 24 == 0:
        days = int(hours // 24)
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def _label(group: str) -> str:
    return group.replace("_", " ").capitalize()
