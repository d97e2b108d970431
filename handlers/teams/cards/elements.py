"""Adaptive Card elements and actions as plain dicts, and the size budget every card keeps to.

Builders taking ``markdown`` expect text that is already safe (our words, user text through
:func:`handlers.teams.cards.text.escape`); :func:`literal` takes user text as it is and renders it
literally (``TextRun`` elements do not interpret markdown).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from handlers.teams import ids
from handlers.teams.cards.template import load

Element = dict[str, Any]
Card = dict[str, Any]

# Teams refuses messages over about 28 KB; stay well below it with the activity around the card.
CARD_BYTES = 26_000
MAX_LITERAL_LINES = 60
MAX_CHOICES = 100
INPUT_MAX = 3000
COMMENT_MAX = 2000


def card(body: list[Element], actions: list[Element] | None = None) -> Card:
    """A whole card (schema 1.5, full width in Teams) from ``body`` and ``actions``."""
    result = load("card")
    result["body"] = body
    if actions:
        result["actions"] = actions
    return result


def sub_card(body: list[Element], actions: list[Element] | None = None) -> Card:
    """The card inside an ``Action.ShowCard``."""
    result: Card = {"type": "AdaptiveCard", "body": body}
    if actions:
        result["actions"] = actions
    return result


def text_block(markdown: str, **props: Any) -> Element:
    """A wrapping TextBlock of (already safe) markdown."""
    return {"type": "TextBlock", "text": markdown, "wrap": True, **props}


def heading(markdown: str, **props: Any) -> Element:
    """A large bold TextBlock."""
    return text_block(markdown, size="Large", weight="Bolder", **props)


def note(markdown: str, **props: Any) -> Element:
    """A small, subtle TextBlock (context)."""
    return text_block(markdown, isSubtle=True, size="Small", **props)


def notice_block(markdown: str) -> Element:
    """A highlighted line at the top of a card (what just happened, e.g. a stale click)."""
    return text_block(markdown, color="Attention", weight="Bolder")


def runs(*parts: str | tuple[str, dict[str, Any]], **props: Any) -> Element:
    """A RichTextBlock of TextRuns, each rendered literally: ``"text"`` or ``("text", {"weight": ...})``."""
    inlines = []
    for part in parts:
        text, style = (part, {}) if isinstance(part, str) else part
        if text:
            inlines.append({"type": "TextRun", "text": text, **style})
    return {"type": "RichTextBlock", "inlines": inlines or [{"type": "TextRun", "text": " "}], **props}


def literal(text: str, *, monospace: bool = False, style: str = "emphasis") -> Element:
    """User text shown exactly as written: one RichTextBlock (TextRun, no markdown) per line, in a box.

    Lines past 60 are joined into the last block with spaces, so a draft of many short lines still
    makes a small card.
    """
    lines = text.split("\n")
    if len(lines) > MAX_LITERAL_LINES:
        lines = [*lines[: MAX_LITERAL_LINES - 1], " ".join(lines[MAX_LITERAL_LINES - 1 :])]
    run_style = {"fontType": "Monospace"} if monospace else {}
    blocks = [
        {
            "type": "RichTextBlock",
            "inlines": [{"type": "TextRun", "text": line if line.strip() else "\u00a0", **run_style}],
            "spacing": "None",
        }
        for line in lines
    ]
    return {"type": "Container", "style": style, "items": blocks}


def facts(pairs: list[tuple[str, str]]) -> Element:
    """A FactSet; titles are ours, values already escaped markdown."""
    return {"type": "FactSet", "facts": [{"title": title, "value": value} for title, value in pairs if value]}


def open_url(title: str, url: str) -> Element:
    """An Action.OpenUrl (the caller checked the URL with ``is_linkable``)."""
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def action_set(*actions: Element) -> Element:
    """Actions placed inside the body."""
    return {"type": "ActionSet", "actions": list(actions)}


def execute(
    verb: str,
    title: str,
    draft_id: str | None = None,
    version: int | None = None,
    *,
    style: str | None = None,
    data: dict[str, Any] | None = None,
) -> Element:
    """An Action.Execute whose data names the draft and the version the user saw (inputs are merged in)."""
    payload: dict[str, Any] = {}
    if draft_id is not None:
        payload[ids.DRAFT] = draft_id
        payload[ids.VERSION] = version
    payload.update(data or {})
    action: Element = {"type": "Action.Execute", "verb": verb, "title": title, "data": payload}
    if style:
        action["style"] = style
    return action


def show_card(
    title: str, body: list[Element], actions: list[Element], *, style: str | None = None
) -> Element:
    """An Action.ShowCard: a form that opens under the card."""
    action: Element = {"type": "Action.ShowCard", "title": title, "card": sub_card(body, actions)}
    if style:
        action["style"] = style
    return action


def text_input(
    input_id: str,
    label: str,
    *,
    multiline: bool = False,
    value: str = "",
    max_length: int = COMMENT_MAX,
    required: bool = False,
    error: str = "",
    **props: Any,
) -> Element:
    """An Input.Text (value cut to ``max_length``)."""
    element: Element = {
        "type": "Input.Text",
        "id": input_id,
        "label": label,
        "isMultiline": multiline,
        "maxLength": max_length,
        **props,
    }
    if value:
        element["value"] = value[:max_length]
    if required:
        element["isRequired"] = True
        element["errorMessage"] = error or f"{label} is required."
    return element


def comment_input(hint: str = "") -> list[Element]:
    """The optional comment box (the author sees it), with a hint line under it."""
    elements = [text_input(ids.COMMENT, "Comment (optional)", multiline=True)]
    if hint:
        elements.append(note(hint, spacing="None"))
    return elements


def choice_set(input_id: str, label: str, choices: list[tuple[str, str]], **props: Any) -> Element:
    """A compact Input.ChoiceSet of (title, value) pairs (at most 100, duplicates dropped)."""
    seen: set[str] = set()
    unique = []
    for title, value in choices:
        if value not in seen:
            seen.add(value)
            unique.append({"title": title, "value": value})
    return {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "style": "compact",
        "choices": unique[:MAX_CHOICES],
        **props,
    }


def size(value: Any) -> int:
    """Bytes of ``value`` as JSON with every non-ASCII character escaped (never less than UTF-8)."""
    return len(json.dumps(value, separators=(",", ":")).encode("ascii"))


def fit(build: Callable[[int], Card], levels: int = 4) -> Card:
    """The first of ``build(0)``, ``build(1)``, ... (ever more compact) that fits :data:`CARD_BYTES`."""
    result = build(0)
    for level in range(1, levels):
        if size(result) <= CARD_BYTES:
            break
        result = build(level)
    return result
