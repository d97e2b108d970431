"""Shortcuts: "Submit reply for approval" on any message, and "New reply draft" from anywhere."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.slack import ids
from handlers.slack.listeners.shortcuts.message import submit_message
from handlers.slack.listeners.shortcuts.new_draft import new_draft


def register(app: AsyncApp) -> None:
    """Add the shortcut listeners."""
    app.shortcut(ids.MESSAGE_SHORTCUT)(submit_message)
    app.shortcut(ids.GLOBAL_SHORTCUT)(new_draft)
