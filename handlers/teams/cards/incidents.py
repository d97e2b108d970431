"""Adaptive Cards for incidents: the report form and the incident card with its checklist."""

from __future__ import annotations

from datetime import datetime

from bot.incidents import OUTCOMES, STEP_LABELS, Incident, Step
from bot.phi.categories import Category
from handlers.teams import ids
from handlers.teams.cards.elements import (
    Card,
    Element,
    action_set,
    card,
    choice_set,
    execute,
    facts,
    heading,
    note,
    notice_block,
    show_card,
    text_block,
    text_input,
)
from handlers.teams.cards.text import escape

NOTE_STEPS = {Step.SCREENSHOT_PRESERVED, Step.PATIENT_CONTACTED}


def incident_report_form(link: str = "") -> Card:
    """``incident <link>``: the form that opens an incident."""
    categories = choice_set(
        ids.INCIDENT_CATEGORIES,
        "What did the post disclose?",
        [(c.value.replace("_", " ").lower(), c.value) for c in Category],
        isMultiSelect=True,
    )
    body: list[Element] = [
        heading("Report a posted reply that disclosed PHI"),
        note(
            "Legal, comms and the privacy officer get a card with the takedown checklist; the 60-day clock starts now."
        ),
        text_input(ids.INCIDENT_LINK, "Link to the post", value=link, max_length=2000, required=True),
        categories,
        text_input(ids.INCIDENT_DRAFT, "phigate draft id (optional)", max_length=16),
        text_input(
            ids.INCIDENT_NOTICED, "Who noticed it (optional; a role, not a patient's name)", max_length=200
        ),
    ]
    return card(body, [execute(ids.INCIDENT_REPORT, "Report incident", style="destructive")])


def incident_card(incident: Incident, now: datetime, notice: str | None = None) -> Card:
    """The incident card in the review channels (no draft text): clock, origin, checklist, close."""
    open_ = incident.status == "open"
    clock = (
        f"⏱ **{incident.days_left(now)} days left** to notify (by {incident.deadline:%Y-%m-%d})"
        if open_
        else f"✅ Closed: {escape(OUTCOMES.get(incident.outcome or '', incident.outcome or ''))}"
    )
    body: list[Element] = [heading(f"PHI incident {incident.id}"), text_block(clock)]
    if notice:
        body.append(notice_block(escape(notice)))
    body.append(
        facts(
            [
                ("Post", escape(incident.link)),
                ("Network", incident.network),
                ("Disclosed", ", ".join(incident.categories)),
                (
                    "Through phigate",
                    f"{incident.draft_id} (approved by {', '.join(incident.approvers) or 'no one'})"
                    if incident.draft_id
                    else "no",
                ),
                ("Noticed by", escape(incident.noticed_by)),
            ]
        )
    )
    data = {ids.INCIDENT: incident.id}
    for step in Step:
        record = incident.steps.get(step.value)
        if record is not None:
            extra = (
                f" ({'not applicable: ' if record.not_applicable else ''}{escape(record.note)})"
                if record.note
                else ""
            )
            body.append(
                text_block(
                    f"✅ {STEP_LABELS[step]} — {escape(record.actor_name)}, {record.at:%Y-%m-%d %H:%M} UTC{extra}"
                )
            )
            continue
        body.append(text_block(f"⬜ {STEP_LABELS[step]}"))
        if not open_:
            continue
        step_data = {**data, ids.STEP: step.value}
        if step in NOTE_STEPS:
            inputs: list[Element] = [
                text_input(
                    ids.INCIDENT_NOTE,
                    "Reference" if step is Step.SCREENSHOT_PRESERVED else "Note",
                    max_length=200,
                )
            ]
            if step is Step.PATIENT_CONTACTED:
                inputs.append(
                    {
                        "type": "Input.Toggle",
                        "id": ids.INCIDENT_NA,
                        "title": "Not applicable (say why in the note)",
                        "valueOn": ids.TOGGLE_ON,
                        "valueOff": "false",
                    }
                )
            body.append(
                action_set(
                    show_card("Mark done…", inputs, [execute(ids.INCIDENT_TICK, "Mark done", data=step_data)])
                )
            )
        else:
            body.append(action_set(execute(ids.INCIDENT_TICK, "Done", data=step_data)))
    actions: list[Element] = [execute(ids.INCIDENT_REFRESH, "Refresh", data=data)]
    if open_:
        outcome = choice_set(
            ids.INCIDENT_OUTCOME, "Outcome", [(label, value) for value, label in OUTCOMES.items()]
        )
        actions.append(
            show_card(
                "Close incident…",
                [outcome],
                [execute(ids.INCIDENT_CLOSE, "Close", data=data)],
                style="destructive",
            )
        )
    return card(body, actions)
