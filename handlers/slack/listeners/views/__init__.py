"""Modal submissions: submit, approve with edits, reject, acknowledge an override, override, posted."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.slack import ids
from handlers.slack.listeners.views.acknowledge import acknowledge_submitted
from handlers.slack.listeners.views.approve_with_edits import approve_with_edits_submitted
from handlers.slack.listeners.views.incident_close import incident_close_submitted
from handlers.slack.listeners.views.incident_report import incident_report_submitted
from handlers.slack.listeners.views.incident_step import incident_step_submitted
from handlers.slack.listeners.views.override import override_submitted
from handlers.slack.listeners.views.posted import posted_submitted
from handlers.slack.listeners.views.reject import reject_submitted
from handlers.slack.listeners.views.submit import submit_submitted


def register(app: AsyncApp) -> None:
    """Add one listener per modal."""
    app.view(ids.SUBMIT_VIEW)(submit_submitted)
    app.view(ids.APPROVE_EDITS_VIEW)(approve_with_edits_submitted)
    app.view(ids.REJECT_VIEW)(reject_submitted)
    app.view(ids.ACKNOWLEDGE_VIEW)(acknowledge_submitted)
    app.view(ids.OVERRIDE_VIEW)(override_submitted)
    app.view(ids.POSTED_VIEW)(posted_submitted)
    app.view(ids.INCIDENT_REPORT_VIEW)(incident_report_submitted)
    app.view(ids.INCIDENT_STEP_VIEW)(incident_step_submitted)
    app.view(ids.INCIDENT_CLOSE_VIEW)(incident_close_submitted)
