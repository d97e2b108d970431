"""Events API: messages in the drafts channel, App Home opened."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.slack.listeners.events.app_home import app_home_opened
from handlers.slack.listeners.events.drafts_channel import drafts_channel_message


def register(app: AsyncApp) -> None:
    """Add the event listeners."""
    app.event("message")(drafts_channel_message)
    app.event("app_home_opened")(app_home_opened)
