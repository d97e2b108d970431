"""Help, errors, and the submit form of the "Submit for approval" message action."""

from __future__ import annotations

from bot.wording import network_label
from handlers.teams import ids
from handlers.teams.cards.elements import INPUT_MAX, MAX_CHOICES, Card, Element, note, text_block
from handlers.teams.cards.template import load
from handlers.teams.cards.text import escape, one_line, truncate

MAX_ERROR_LINES = 8
DRAFTS_CHANNEL_NOTE = (
    "• Messages pasted in the drafts channel are scanned when you @mention phigate (or always, where the "
    "team granted phigate permission to read that channel)."
)


def help_card(*, reviews_configured: bool, can_export: bool) -> Card:
    """``help``: the commands, the message action, the drafts channel."""
    result = load("help")
    body: list[Element] = result["body"]
    # The drafts-channel bullet of the resource is completed with when it needs an @mention.
    body.insert(-1, text_block(DRAFTS_CHANNEL_NOTE, spacing="None"))
    if can_export:
        body.append(
            note(
                "As a legal member or auditor you can export the audit trail: phigate audit export on "
                "the server, or the JSON API."
            )
        )
    if not reviews_configured:
        body.append(
            text_block(
                "⚠️ Review channels are not configured yet, so drafts cannot be sent for approval. Ask your "
                "phigate admin to set PHIGATE_TEAMS_LEGAL_CHANNEL and PHIGATE_TEAMS_COMMS_CHANNEL. "
                "**scan** works already.",
                color="Warning",
            )
        )
    return result


def error_card(message: str, detail: str = "") -> Card:
    """An explanation: ``message`` in bold, then ``detail`` (both escaped, cut to fit)."""
    headline = escape(truncate(one_line(message), 300)) if message.strip() else "Something went wrong."
    body: list[Element] = [text_block(f"**{headline}**", color="Attention")]
    lines = [line for line in detail.strip().split("\n") if line.strip()]
    for line in lines[:MAX_ERROR_LINES]:
        body.append(text_block(escape(truncate(line.strip(), 500)), spacing="Small"))
    return load("card") | {"body": body}


def submit_form_card(*, networks: list[str], text: str = "", max_chars: int = 3000) -> Card:
    """The task-module form of the message action: network, link, reply (pre-filled), note."""
    limit = max(1, min(max_chars, INPUT_MAX))
    choices = [{"title": network_label(n), "value": str(n)} for n in dict.fromkeys(networks)][:MAX_CHOICES]
    form = load(
        "submit_form",
        network_id=ids.NETWORK,
        network_choices=choices or [{"title": "Other", "value": "other"}],
        link_id=ids.IN_REPLY_TO,
        text_id=ids.TEXT,
        max_length=limit,
        text=text[:limit],
        text_hint=f"Up to {limit:,} characters. phigate scans it for PHI before anyone else sees it.",
        context_id=ids.CONTEXT,
        form=ids.SUBMIT_FORM,
    )
    if not text:
        form["body"] = [
            {key: value for key, value in element.items() if not (key == "value" and value == "")}
            for element in form["body"]
        ]
    return form
