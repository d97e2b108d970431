"""The approval policy: which groups must approve the current version, how many, in which order."""

from __future__ import annotations

from bot.config import PolicySettings
from bot.models import DecisionKind, Draft, GroupProgress


def progress(policy: PolicySettings, draft: Draft) -> list[GroupProgress]:
    """Each configured group's progress on the draft's current text version, in policy order."""
    verdict = draft.current.verdict if draft.versions else draft.verdict
    approvals: dict[str, list[tuple[str, str]]] = {group: [] for group in policy.groups}
    for decision in draft.decisions_on_current():
        if decision.kind is DecisionKind.APPROVE and decision.group in approvals:
            approvals[decision.group].append((decision.actor, decision.actor_name))
    result: list[GroupProgress] = []
    earlier_open = False
    for group in policy.groups:
        skipped = verdict == "clear" and group in policy.clear_may_skip
        entry = GroupProgress(
            group=group,
            required=policy.required(group),
            approved_by=tuple(approvals[group]),
            skipped=skipped,
            waiting_for_earlier_group=policy.order == "sequential" and earlier_open,
        )
        earlier_open = earlier_open or not entry.done
        result.append(entry)
    return result


def complete(entries: list[GroupProgress]) -> bool:
    """True when every group has what it needs."""
    return all(entry.done for entry in entries)


def summary(entries: list[GroupProgress]) -> str:
    """One line such as ``Legal ✓ 1/1 · Comms ⏳ 0/1`` (skipped groups say so)."""
    parts = []
    for entry in entries:
        label = entry.group.capitalize()
        if entry.skipped:
            parts.append(f"{label} – not needed")
        else:
            mark = "✓" if entry.done else "⏳"
            parts.append(f"{label} {mark} {len(entry.approved_by)}/{entry.required}")
    return " · ".join(parts)
