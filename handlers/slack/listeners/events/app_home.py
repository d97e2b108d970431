"""App Home: my pending reviews, my drafts, recent decisions (no draft text)."""

from __future__ import annotations

from typing import Any

from bot.models import Draft, GroupProgress, Status
from handlers.slack.blocks import home_view
from handlers.slack.surface import SlackSurface, surface_of
from storage.repositories import SqlTransaction

RECENT = 200
FINAL = (Status.APPROVED, Status.REJECTED, Status.POSTED, Status.EXPIRED)


async def app_home_opened(event: dict[str, Any], context: dict[str, Any]) -> None:
    """Publish the user's Home tab."""
    if event.get("tab", "home") != "home":
        return
    surface = surface_of(context)
    user = await surface.user(str(event["user"]))
    lists = await surface.run(lambda tx: _lists(surface, tx, user.id), write=False)
    view = home_view(
        user_name=user.name,
        can_submit=surface.ctx.directory.may_submit(user.id),
        **lists,
    )
    await surface.client.views_publish(user_id=str(event["user"]), view=view)


def _lists(surface: SlackSurface, tx: SqlTransaction, user_id: str) -> dict[str, Any]:
    service = surface.ctx.service
    directory = surface.ctx.directory
    me = directory.person(user_id)
    my_groups = directory.groups_of(user_id)
    recent = tx.drafts.list(limit=RECENT)
    with_progress: list[tuple[Draft, list[GroupProgress]]] = [(d, service.progress(d)) for d in recent]
    pending_reviews = [
        (draft, progress)
        for draft, progress in with_progress
        if draft.status is Status.PENDING
        and directory.person(draft.author) != me
        and any(e.group in my_groups and not e.done and not e.skipped for e in progress)
        and not any(directory.person(d.actor) == me for d in draft.decisions_on_current())
    ]
    my_drafts = [
        (draft, progress) for draft, progress in with_progress if directory.person(draft.author) == me
    ]
    decided = [draft for draft in recent if draft.status in FINAL and draft.final_at is not None]
    decided.sort(key=lambda draft: draft.final_at or draft.updated_at, reverse=True)
    return {"pending_reviews": pending_reviews, "my_drafts": my_drafts, "recent_decisions": decided[:10]}
