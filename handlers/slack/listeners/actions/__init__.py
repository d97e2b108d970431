"""Button clicks on review cards, the author's messages and App Home."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.slack import ids
from handlers.slack.listeners.actions.approve import approve
from handlers.slack.listeners.actions.approve_with_edits import approve_with_edits
from handlers.slack.listeners.actions.edit_draft import edit_draft
from handlers.slack.listeners.actions.full_text import show_full_text
from handlers.slack.listeners.actions.incident_close import incident_close
from handlers.slack.listeners.actions.incident_tick import incident_tick
from handlers.slack.listeners.actions.mark_posted import mark_posted
from handlers.slack.listeners.actions.open_submit import open_submit
from handlers.slack.listeners.actions.reject import reject
from handlers.slack.listeners.actions.request_override import request_override
from handlers.slack.listeners.actions.send_for_approval import send_for_approval
from handlers.slack.listeners.actions.withdraw import withdraw


def register(app: AsyncApp) -> None:
    """Add one listener per button."""
    app.action(ids.APPROVE)(approve)
    app.action(ids.APPROVE_WITH_EDITS)(approve_with_edits)
    app.action(ids.REJECT)(reject)
    app.action(ids.SHOW_FULL_TEXT)(show_full_text)
    app.action(ids.SEND_FOR_APPROVAL)(send_for_approval)
    app.action(ids.EDIT_DRAFT)(edit_draft)
    app.action(ids.REQUEST_OVERRIDE)(request_override)
    app.action(ids.WITHDRAW)(withdraw)
    app.action(ids.MARK_POSTED)(mark_posted)
    app.action(ids.OPEN_SUBMIT)(open_submit)
    app.action(ids.INCIDENT_TICK)(incident_tick)
    app.action(ids.INCIDENT_CLOSE)(incident_close)
