"""What a button click on a draft carries, and the checks every reviewer click starts with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.errors import Conflict, Forbidden, MalformedRequest
from bot.models import Draft, Status, User
from handlers.slack import ids
from handlers.slack.surface import SlackSurface, surface_of


@dataclass(frozen=True)
class Click:
    """A click on a button whose value names a draft and the version the user saw."""

    surface: SlackSurface
    user: User
    draft_id: str
    version: int
    trigger_id: str


async def read_click(body: dict[str, Any], context: dict[str, Any]) -> Click:
    """The click's surface, user, draft and version.

    Raises:
        MalformedRequest: the button value is not one of ours.
    """
    surface = surface_of(context)
    action = (body.get("actions") or [{}])[0]
    value = ids.parse_value(action.get("value"))
    if not isinstance(value.get("d"), str) or not isinstance(value.get("v"), int):
        raise MalformedRequest("this button is not one phigate understands; reload the message")
    user = await surface.user(body["user"]["id"])
    return Click(surface, user, value["d"], value["v"], body.get("trigger_id", ""))


async def reviewable(click: Click) -> Draft:
    """The draft, if the clicker may still decide on the version they saw (the workflow checks again).

    Raises:
        Forbidden, Conflict, NotFound: with a message for the clicker.
    """
    service = click.surface.ctx.service
    if not click.surface.ctx.directory.groups_of(click.user.id) & set(service.policy.groups):
        raise Forbidden(f"Only members of {', '.join(service.policy.groups)} may decide on drafts.")
    draft = await click.surface.run(lambda tx: service.get(tx, click.draft_id), write=False)
    if draft.status is not Status.PENDING:
        raise Conflict(f"Draft {draft.id} is already {draft.status}; this card no longer takes decisions.")
    if draft.version != click.version:
        raise Conflict(
            f"Draft {draft.id} has changed since this card was drawn (now version {draft.version}).",
            "The card will refresh; decide on the current text.",
        )
    return draft


def needs_acknowledgement(click: Click, draft: Draft) -> bool:
    """True if this approver's group must accept the author's override justification to approve."""
    service = click.surface.ctx.service
    return (
        draft.current.verdict == "block"
        and draft.override_justification is not None
        and service.policy.override_group in click.surface.ctx.directory.groups_of(click.user.id)
    )
