"""The one-line thread replies under review cards after each event (never draft text).

Teams shows a plain message's text as markdown, so names and reasons are escaped; a posted link is
written out only when it is a plain http(s) URL (Teams links it, showing the address itself).
"""

from __future__ import annotations

from bot import decision_text
from bot.models import Draft
from bot.wording import network_label
from handlers.teams.cards.decisions import MARKUP
from handlers.teams.cards.text import escape, is_linkable


def thread_text(draft: Draft, event: str) -> str:
    """The line for ``event``: approved, rejected, edited, expired, withdrawn, posted, resubmitted, override."""
    posted_tail = f" on {escape(network_label(draft.network))}" + _posted_suffix(draft)
    return decision_text.thread_text(MARKUP, draft, event, draft_id=escape(draft.id), posted_tail=posted_tail)


def _posted_suffix(draft: Draft) -> str:
    if draft.posted_link and is_linkable(draft.posted_link):
        return f": {draft.posted_link}"
    return "."
