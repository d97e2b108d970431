"""The App Home tab: reviews waiting for me, my drafts, recent decisions. Never any draft text."""

from __future__ import annotations

from typing import Any

from bot.models import Draft, GroupProgress, Status
from bot.policy import summary
from bot.wording import network_label, status_label, verdict_text
from handlers.slack import ids
from handlers.slack.blocks.common import (
    VIEW_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    fit,
    header,
    section,
)
from handlers.slack.blocks.decisions import name
from handlers.slack.blocks.text import escape, one_line, truncate, when

MAX_PENDING = 25
MAX_MINE = 20
MAX_RECENT = 15


def home_view(
    *,
    user_name: str,
    pending_reviews: list[tuple[Draft, list[GroupProgress]]],
    my_drafts: list[tuple[Draft, list[GroupProgress]]],
    recent_decisions: list[Draft],
    can_submit: bool,
) -> dict[str, Any]:
    """The Home tab view (at most 100 blocks: each list is capped and says how many more there are)."""
    greeting = escape(truncate(one_line(user_name), 80)) if user_name.strip() else ""
    blocks: list[Block] = [
        header("phigate"),
        context(
            (f"Hello {greeting}. " if greeting else "")
            + "Replies to patients and the public on social media, scanned for PHI and approved by legal and comms."
        ),
    ]
    if can_submit:
        blocks.append(actions(button("New draft", ids.OPEN_SUBMIT, "new", style="primary")))
    blocks += _listing(
        "Waiting for your review",
        [_pending_line(draft, progress) for draft, progress in pending_reviews],
        MAX_PENDING,
        "Nothing is waiting for your review.",
    )
    blocks += _listing(
        "Your drafts",
        [_mine_line(draft, progress) for draft, progress in my_drafts],
        MAX_MINE,
        "You have no drafts yet." if can_submit else "You have not submitted any drafts.",
    )
    blocks += _listing(
        "Recent decisions",
        [_recent_line(draft) for draft in recent_decisions],
        MAX_RECENT,
        "No decisions yet.",
    )
    return {"type": "home", "blocks": fit(blocks, VIEW_BLOCKS)}


def _listing(title: str, lines: list[str], cap: int, empty: str) -> list[Block]:
    blocks: list[Block] = [divider(), header(title)]
    if not lines:
        return [*blocks, context(empty)]
    blocks += [section(line) for line in lines[:cap]]
    if len(lines) > cap:
        more = len(lines) - cap
        blocks.append(context(f"…and {more} more. {escape('Use `/phigate status <id>` for any draft.')}"))
    return blocks


def _pending_line(draft: Draft, progress: list[GroupProgress]) -> str:
    return (
        f"*{draft.id}* · {escape(network_label(draft.network))} · by {name(draft.author_name or draft.author)}\n"
        f"{verdict_text(draft.current.verdict if draft.versions else draft.verdict)} · "
        f"{escape(summary(progress))} · expires {when(draft.expires_at)}"
    )


def _mine_line(draft: Draft, progress: list[GroupProgress]) -> str:
    line = f"*{draft.id}* · {escape(network_label(draft.network))} · {escape(status_label(draft.status))}"
    if draft.status.is_open:
        line += f"\n{escape(summary(progress))} · expires {when(draft.expires_at)}"
    elif draft.final_approver_name:
        line += f"\nDecided by {name(draft.final_approver_name)} · {when(draft.final_at)}"
    return line


def _recent_line(draft: Draft) -> str:
    details = []
    if draft.final_approver_name:
        label = "Final approver" if draft.status in (Status.APPROVED, Status.POSTED) else "Decided by"
        details.append(f"{label}: {name(draft.final_approver_name)}")
    details.append(when(draft.final_at or draft.updated_at))
    status = escape(status_label(draft.status))
    return f"*{draft.id}* · {escape(network_label(draft.network))} · {status}\n{' · '.join(details)}"
