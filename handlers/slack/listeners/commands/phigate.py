"""``/phigate [submit|scan|status|export|incident|help] ...``: parse the sub-command and hand it on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from handlers.slack.blocks import error_blocks, help_blocks
from handlers.slack.listeners.commands.export import export
from handlers.slack.listeners.commands.incident import open_incident_form
from handlers.slack.listeners.commands.scan import scan
from handlers.slack.listeners.commands.status import status
from handlers.slack.listeners.commands.submit import open_submit_form
from handlers.slack.surface import SlackSurface, surface_of

SubCommand = Callable[..., Awaitable[None]]


async def show_help(ack: Any, surface: SlackSurface, user_id: str, **_: Any) -> None:
    """``/phigate help``."""
    user = await surface.user(user_id)
    blocks = help_blocks(
        reviews_configured=not surface.missing_review_channels(),
        can_export=surface.ctx.directory.may_audit(user.id),
    )
    await ack(response_type="ephemeral", text="How to use phigate", blocks=blocks)


SUBCOMMANDS: dict[str, SubCommand] = {
    "": open_submit_form,
    "submit": open_submit_form,
    "new": open_submit_form,
    "scan": scan,
    "status": status,
    "export": export,
    "incident": open_incident_form,
    "help": show_help,
}


async def phigate_command(ack: Any, body: dict[str, Any], context: dict[str, Any], respond: Any) -> None:
    """Dispatch ``/phigate <sub-command> <rest>``."""
    surface = surface_of(context)
    word, _, rest = (body.get("text") or "").strip().partition(" ")
    subcommand = SUBCOMMANDS.get(word.lower())
    if subcommand is None:
        message = f"`{word[:30]}` is not a phigate command."
        detail = "Try `/phigate help`, or `/phigate` alone to submit a reply for approval."
        await ack(response_type="ephemeral", text=message, blocks=error_blocks(message, detail))
        return
    await subcommand(
        ack=ack,
        surface=surface,
        user_id=body["user_id"],
        rest=rest.strip(),
        trigger_id=body.get("trigger_id", ""),
        respond=respond,
    )
