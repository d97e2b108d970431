"""``/phigate`` and its sub-commands."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.slack import ids
from handlers.slack.listeners.commands.phigate import phigate_command


def register(app: AsyncApp) -> None:
    """Add the slash command listener."""
    app.command(ids.COMMAND)(phigate_command)
