"""The JSON shape of a draft in the API (and in the sandbox)."""

from __future__ import annotations

from typing import Any

from bot.cards import preview
from bot.models import Draft, GroupProgress
from handlers.export_format import iso


def approvals(progress: list[GroupProgress]) -> list[dict[str, Any]]:
    """Progress per group: required, approved by whom, done/skipped/waiting."""
    return [
        {
            "group": entry.group,
            "required": entry.required,
            "approved_by": [{"id": user, "name": name} for user, name in entry.approved_by],
            "done": entry.done,
            "skipped": entry.skipped,
            "waiting_for_earlier_group": entry.waiting_for_earlier_group,
        }
        for entry in progress
    ]


def draft_json(draft: Draft, progress: list[GroupProgress], duplicates: list[str]) -> dict[str, Any]:
    """The draft as the API returns it."""
    current = draft.current
    final = (
        {"id": draft.final_approver, "name": draft.final_approver_name, "at": iso(draft.final_at)}
        if draft.final_approver and draft.status.value in ("approved", "posted")
        else None
    )
    return {
        "id": draft.id,
        "status": str(draft.status),
        "version": draft.version,
        "verdict": current.verdict,
        "score": current.score,
        "findings": current.scan.get("findings", []),
        "redacted": preview(draft),
        "suggestion": current.scan.get("suggestion"),
        "text": current.text,
        "text_sha256": current.text_sha256,
        "network": str(draft.network),
        "in_reply_to": draft.in_reply_to,
        "context": draft.context,
        "author": {"id": draft.author, "name": draft.author_name},
        "approvals": approvals(progress),
        "final_approver": final,
        "rejected_by": (
            {"id": draft.final_approver, "name": draft.final_approver_name, "reason": draft.rejection_reason}
            if draft.status.value == "rejected"
            else None
        ),
        "decisions": [
            {
                "actor": {"id": d.actor, "name": d.actor_name},
                "group": d.group,
                "decision": str(d.kind),
                "version": d.version,
                "reason": d.reason or None,
                "comment": d.comment or None,
                "acknowledges_override": d.acknowledges_override,
                "at": iso(d.at),
            }
            for d in draft.decisions
        ],
        "versions": [
            {
                "version": v.version,
                "verdict": v.verdict,
                "text_sha256": v.text_sha256,
                "created_by": v.created_by,
                "created_at": iso(v.created_at),
                "reason": v.reason,
            }
            for v in draft.versions
        ],
        "override": {"justification": draft.override_justification} if draft.override_justification else None,
        "duplicates": duplicates,
        "posted_link": draft.posted_link,
        "created_at": iso(draft.created_at),
        "updated_at": iso(draft.updated_at),
        "expires_at": iso(draft.expires_at),
    }
