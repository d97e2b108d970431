"""Block Kit for incidents: the report form, the incident card with its checklist, step and close forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.incidents import OUTCOMES, STEP_LABELS, Incident, Step
from bot.phi.categories import Category
from handlers.slack import ids
from handlers.slack.blocks.common import (
    Block,
    actions,
    button,
    context,
    header,
    modal,
    option,
    plain,
    section,
)
from handlers.slack.blocks.modals import _input, _text_input

NOTE_STEPS = {Step.SCREENSHOT_PRESERVED, Step.PATIENT_CONTACTED}


def incident_value(incident_id: str, step: str = "") -> str:
    """A button value / private_metadata naming the incident (and the step)."""
    return ids.dumps({"i": incident_id, "s": step} if step else {"i": incident_id})


def report_modal(link: str = "") -> dict[str, Any]:
    """``/phigate incident <link>``: what was posted, what it disclosed, where it came from."""
    categories = {
        "type": "multi_static_select",
        "placeholder": plain("What did the post disclose?"),
        "options": [
            option(category.value.replace("_", " ").lower(), category.value) for category in Category
        ],
    }
    blocks = [
        section(
            "Report a posted reply that disclosed PHI. Legal, comms and the privacy officer get a card with "
            "the takedown checklist; HIPAA's 60-day notification clock starts now."
        ),
        _input(ids.INCIDENT_LINK_INPUT, "Link to the post", _text_input(initial=link, max_length=2000)),
        _input(ids.INCIDENT_CATEGORIES_INPUT, "Disclosed", categories),
        _input(
            ids.INCIDENT_DRAFT_INPUT,
            "phigate draft id",
            _text_input(max_length=16, placeholder="D-XXXXXXXX"),
            optional=True,
            hint="If the reply went through phigate; found from its posted link otherwise.",
        ),
        _input(
            ids.INCIDENT_NOTICED_INPUT,
            "Who noticed it",
            _text_input(max_length=200),
            optional=True,
            hint="Default: you. A role, not a patient's name (e.g. 'a patient's relative').",
        ),
    ]
    return modal(
        callback_id=ids.INCIDENT_REPORT_VIEW, title="Report an incident", submit="Report", blocks=blocks
    )


def incident_card(incident: Incident, now: datetime) -> tuple[list[Block], str]:
    """The card in the review channels (blocks and notification text); never any draft text."""
    open_ = incident.status == "open"
    clock = (
        f":stopwatch: *{incident.days_left(now)} days left* to notify (by {incident.deadline:%Y-%m-%d})"
        if open_
        else f":white_check_mark: Closed: {OUTCOMES.get(incident.outcome or '', incident.outcome)}"
    )
    origin = (
        f"Went through phigate as *{incident.draft_id}*; approved by {', '.join(incident.approvers) or 'no one'}"
        if incident.draft_id
        else "Not sent through phigate"
    )
    blocks: list[Block] = [
        header(f"PHI incident {incident.id}"),
        section(f"{clock}\n*Post:* {incident.link}\n*Disclosed:* {', '.join(incident.categories)}\n{origin}"),
        context(f"Noticed by {incident.noticed_by}; reported by {incident.reported_by}"),
    ]
    for step in Step:
        record = incident.steps.get(step.value)
        if record is not None:
            note = (
                f" ({'not applicable: ' if record.not_applicable else ''}{record.note})"
                if record.note
                else ""
            )
            blocks.append(
                section(
                    f":white_check_mark: {STEP_LABELS[step]} — {record.actor_name} at {record.at:%Y-%m-%d %H:%M} UTC{note}"
                )
            )
        elif open_:
            blocks.append(
                section(
                    f":white_large_square: {STEP_LABELS[step]}",
                    accessory=button(
                        "Done…" if step in NOTE_STEPS else "Done",
                        ids.INCIDENT_TICK,
                        incident_value(incident.id, step.value),
                    ),
                )
            )
        else:
            blocks.append(section(f":white_large_square: {STEP_LABELS[step]}"))
    if open_:
        blocks.append(
            actions(
                button("Close incident…", ids.INCIDENT_CLOSE, incident_value(incident.id), style="danger")
            )
        )
    text = f"PHI incident {incident.id} ({incident.network}): {'open' if open_ else 'closed'}"
    return blocks, text


def step_modal(incident_id: str, step: Step) -> dict[str, Any]:
    """Confirm a checklist step; the screenshot step asks for a reference, the patient step allows n/a."""
    blocks: list[Block] = [section(f"*{STEP_LABELS[step]}* for incident {incident_id}.")]
    if step is Step.SCREENSHOT_PRESERVED:
        blocks.append(
            _input(
                ids.INCIDENT_NOTE_INPUT,
                "Reference in the hospital's records",
                _text_input(max_length=200),
                hint="Where the screenshot is kept (never attach the image in chat).",
            )
        )
    elif step is Step.PATIENT_CONTACTED:
        na = {
            "type": "checkboxes",
            "options": [option("Not applicable: the patient will not be contacted", "yes")],
        }
        blocks.append(_input(ids.INCIDENT_NOT_APPLICABLE_INPUT, "Contact", na, optional=True))
        blocks.append(
            _input(
                ids.INCIDENT_NOTE_INPUT,
                "Note (why, when not applicable)",
                _text_input(max_length=200),
                optional=True,
            )
        )
    return modal(
        callback_id=ids.INCIDENT_STEP_VIEW,
        title="Incident step",
        submit="Mark done",
        blocks=blocks,
        private_metadata=incident_value(incident_id, step.value),
    )


def close_modal(incident_id: str) -> dict[str, Any]:
    """The privacy officer's outcome."""
    select = {
        "type": "static_select",
        "placeholder": plain("Outcome"),
        "options": [option(label[:75], value) for value, label in OUTCOMES.items()],
    }
    return modal(
        callback_id=ids.INCIDENT_CLOSE_VIEW,
        title="Close incident",
        submit="Close",
        blocks=[
            section(f"Close incident {incident_id} (every step must be done)."),
            _input(ids.INCIDENT_OUTCOME_INPUT, "Outcome", select),
        ],
        private_metadata=incident_value(incident_id),
    )
