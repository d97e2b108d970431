"""Submitting a draft from any chat surface, once per source message however often the author clicks."""

from __future__ import annotations

from bot.approvals import Submission
from bot.models import Draft, GroupProgress, User
from handlers.context import AppContext
from storage.repositories import SqlTransaction


async def submit_once(
    ctx: AppContext, surface: str, user: User, submission: Submission, key: str = ""
) -> tuple[Draft, list[GroupProgress]]:
    """Submit a draft; with ``key``, a repeat (double click, retry) returns the first draft instead.

    Args:
        ctx: The app's context.
        surface: The surface's name, the namespace of ``key`` (``slack``, ``teams``).
        user: The author.
        submission: The draft.
        key: The surface's request key for the source message or form, if any.
    """
    service = ctx.service

    def work(tx: SqlTransaction) -> tuple[Draft, list[GroupProgress]]:
        if key:
            earlier = tx.requests.claim(surface, key)
            if earlier:
                draft = service.get(tx, earlier)
                return draft, service.progress(draft)
        draft = service.submit(tx, user, submission)
        if key:
            tx.requests.set_result(surface, key, draft.id)
        return draft, service.progress(draft)

    draft, progress = await ctx.run(work)
    ctx.metrics.drafts.labels(draft.verdict).inc()
    return draft, progress
