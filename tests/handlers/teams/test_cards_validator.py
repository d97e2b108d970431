"""A structural checker for the Teams Adaptive Cards, the draft builders the card tests share, and
tests of the checker itself.

``card_problems`` walks a card and lists everything Teams (schema 1.5) would refuse or render wrong:
unknown element or action types, inputs without ids or with ids repeated where one action sees
them, Action.Execute without a known verb or without the draft and version in its data, inputs a
verb needs but cannot see, bad choice sets, and a JSON payload over 28,000 bytes.
``unsafe_markdown`` finds markdown that user text could have smuggled into a TextBlock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from handlers.teams import ids
from tests.handlers.slack.test_blocks_validator import (  # the domain builders are surface-neutral
    BLOCK_TEXT,
    CANARY,
    POST,
    block_scan,
    decision,
    find,
    make_draft,
    progress,
    scan,
)

__all__ = ["BLOCK_TEXT", "CANARY", "POST", "block_scan", "decision", "find", "make_draft", "progress", "scan"]

MAX_BYTES = 28_000
ELEMENTS = {
    "TextBlock",
    "Image",
    "Media",
    "RichTextBlock",
    "Container",
    "ColumnSet",
    "FactSet",
    "ImageSet",
    "ActionSet",
    "Table",
    "Input.Text",
    "Input.Number",
    "Input.Date",
    "Input.Time",
    "Input.Toggle",
    "Input.ChoiceSet",
}
ACTIONS = {"Action.OpenUrl", "Action.Submit", "Action.ShowCard", "Action.ToggleVisibility", "Action.Execute"}
COLORS = {"Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"}
VERBS = {
    ids.APPROVE,
    ids.APPROVE_WITH_EDITS,
    ids.REJECT,
    ids.ACKNOWLEDGE,
    ids.REQUEST_OVERRIDE,
    ids.WITHDRAW,
    ids.MARK_POSTED,
    ids.SEND_FOR_APPROVAL,
    ids.REFRESH,
}
# Inputs each verb cannot work without (they must be visible to the action that sends it).
NEEDS = {
    ids.APPROVE_WITH_EDITS: {ids.TEXT},
    ids.REJECT: {ids.REASON},
    ids.ACKNOWLEDGE: {ids.ACKNOWLEDGE_INPUT},
    ids.REQUEST_OVERRIDE: {ids.JUSTIFICATION},
    ids.MARK_POSTED: {ids.POSTED_LINK},
}
_UNSAFE = re.compile(r"(?<!\\)[\[\]<>]|(?<!\\)\]\(|^\s*#", re.MULTILINE)


def size(card: dict[str, Any]) -> int:
    """The card's JSON in bytes, non-ASCII escaped (what the connector client sends, at worst)."""
    return len(json.dumps(card, separators=(",", ":")).encode("ascii"))


def card_problems(card: Any) -> list[str]:
    """Everything wrong with ``card`` (empty when Teams would take and render it as intended)."""
    if not isinstance(card, dict):
        return ["card: not an object"]
    problems: list[str] = []
    if card.get("type") != "AdaptiveCard" or card.get("version") != "1.5":
        problems.append(f"card: type {card.get('type')!r} version {card.get('version')!r}")
    if card.get("$schema") != "http://adaptivecards.io/schemas/adaptive-card.json":
        problems.append("card: $schema")
    if size(card) >= MAX_BYTES:
        problems.append(f"card: {size(card)} bytes >= {MAX_BYTES}")
    problems += _card(card, "card", scope=[])
    action_ids = [a["id"] for a in walk(card) if str(a.get("type", "")).startswith("Action.") and "id" in a]
    if len(set(action_ids)) != len(action_ids):
        problems.append("card: duplicate action ids")
    return problems


def _card(card: dict[str, Any], at: str, scope: list[dict[str, Any]]) -> list[str]:
    """One card (the root or a ShowCard's), its inputs visible together with those of ``scope``."""
    body = card.get("body")
    if not isinstance(body, list) or not body:
        return [f"{at}: empty body"]
    problems: list[str] = []
    inputs = [*scope, *inputs_in(body)]
    seen = [element["id"] for element in inputs if "id" in element]
    for duplicate in {i for i in seen if seen.count(i) > 1}:
        problems.append(f"{at}: input id {duplicate!r} appears twice for one action")
    for n, element in enumerate(body):
        problems += _element(element, f"{at}.body[{n}]", inputs)
    for n, action in enumerate(card.get("actions") or []):
        problems += _action(action, f"{at}.actions[{n}]", inputs)
    return problems


def _element(element: Any, at: str, inputs: list[dict[str, Any]]) -> list[str]:
    if not isinstance(element, dict) or element.get("type") not in ELEMENTS:
        return [f"{at}: unknown element {element!r:.80}"]
    kind = element["type"]
    problems: list[str] = []
    if kind == "TextBlock":
        if not isinstance(element.get("text"), str) or not element["text"].strip():
            problems.append(f"{at}: empty TextBlock")
        if element.get("color", "Default") not in COLORS:
            problems.append(f"{at}: color {element.get('color')!r}")
    elif kind == "RichTextBlock":
        inlines = element.get("inlines") or []
        if not inlines or any(i.get("type") != "TextRun" or not i.get("text") for i in inlines):
            problems.append(f"{at}: RichTextBlock needs non-empty TextRuns")
    elif kind == "Container":
        for n, item in enumerate(element.get("items") or []):
            problems += _element(item, f"{at}.items[{n}]", inputs)
        if not element.get("items"):
            problems.append(f"{at}: empty Container")
    elif kind == "FactSet":
        facts = element.get("facts") or []
        if not facts or any(not f.get("title") or not f.get("value") for f in facts):
            problems.append(f"{at}: FactSet needs titles and values")
    elif kind == "ActionSet":
        for n, action in enumerate(element.get("actions") or []):
            problems += _action(action, f"{at}.actions[{n}]", inputs)
    elif kind.startswith("Input."):
        problems += _input(element, at)
    return problems


def _input(element: dict[str, Any], at: str) -> list[str]:
    problems = [] if element.get("id") else [f"{at}: input without id"]
    kind = element["type"]
    if element.get("isRequired") and not element.get("errorMessage"):
        problems.append(f"{at}: required input without errorMessage")
    if kind == "Input.Text":
        most = element.get("maxLength", 3000)
        if not isinstance(most, int) or not 1 <= most <= 3000:
            problems.append(f"{at}: maxLength {most!r}")
        elif len(element.get("value", "")) > most:
            problems.append(f"{at}: value longer than maxLength")
        if element.get("style", "Text") not in ("Text", "Tel", "Url", "Email", "Password"):
            problems.append(f"{at}: style {element.get('style')!r}")
        if "minLength" in element:
            problems.append(f"{at}: minLength is not in schema 1.5 (use regex)")
    elif kind == "Input.ChoiceSet":
        choices = element.get("choices")
        if not isinstance(choices, list) or not 1 <= len(choices) <= 100:
            problems.append(f"{at}: {len(choices or [])} choices (1-100)")
        else:
            values = [c.get("value") for c in choices]
            if len(set(values)) != len(values) or not all(c.get("title") for c in choices):
                problems.append(f"{at}: choices need titles and unique values")
            if "value" in element and element["value"] not in values:
                problems.append(f"{at}: value is not a choice")
    elif kind == "Input.Toggle" and (not element.get("title") or "valueOn" not in element):
        problems.append(f"{at}: toggle needs title and valueOn")
    return problems


def _action(action: Any, at: str, inputs: list[dict[str, Any]]) -> list[str]:
    if not isinstance(action, dict) or action.get("type") not in ACTIONS:
        return [f"{at}: unknown action {action!r:.80}"]
    kind = action["type"]
    problems = [] if action.get("title") else [f"{at}: action without title"]
    if action.get("style", "default") not in ("default", "positive", "destructive"):
        problems.append(f"{at}: style {action.get('style')!r}")
    if kind == "Action.OpenUrl" and not str(action.get("url", "")).lower().startswith(
        ("http://", "https://")
    ):
        problems.append(f"{at}: OpenUrl to {action.get('url')!r}")
    elif kind == "Action.ShowCard":
        sub = action.get("card")
        if not isinstance(sub, dict) or sub.get("type") != "AdaptiveCard":
            problems.append(f"{at}: ShowCard without a card")
        else:
            problems += _card(sub, f"{at}.card", inputs)
    elif kind == "Action.Execute":
        problems += _execute(action, at, inputs)
    elif kind == "Action.Submit" and not isinstance(action.get("data"), dict):
        problems.append(f"{at}: Action.Submit without data")
    return problems


def _execute(action: dict[str, Any], at: str, inputs: list[dict[str, Any]]) -> list[str]:
    verb, data = action.get("verb"), action.get("data")
    if verb not in VERBS or not isinstance(data, dict):
        return [f"{at}: Action.Execute verb {verb!r} data {data!r:.60}"]
    problems: list[str] = []
    if verb == ids.SEND_FOR_APPROVAL:
        if not isinstance(data.get(ids.PASTED_TEXT), str):
            problems.append(f"{at}: {verb} without the pasted text")
    elif not isinstance(data.get(ids.DRAFT), str) or not isinstance(data.get(ids.VERSION), int):
        problems.append(f"{at}: {verb} without draft id and version")
    visible = {element.get("id") for element in inputs}
    for missing in NEEDS.get(verb, set()) - visible:
        problems.append(f"{at}: {verb} cannot see input {missing!r}")
    collide = set(data) & visible
    if collide:
        problems.append(f"{at}: data keys {sorted(collide)} would be overwritten by inputs")
    return problems


# -- walking ----------------------------------------------------------------------------------------
def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict inside ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def inputs_in(elements: list[Any]) -> list[dict[str, Any]]:
    """Inputs in ``elements`` and their containers, not inside ShowCards (those are separate forms)."""
    found: list[dict[str, Any]] = []
    for element in elements:
        if not isinstance(element, dict):
            continue
        if str(element.get("type", "")).startswith("Input."):
            found.append(element)
        for key in ("items", "columns"):
            found += inputs_in(element.get(key) or [])
    return found


def markdown_texts(card: Any) -> list[str]:
    """Texts Teams renders as markdown: TextBlocks and FactSet values."""
    found = [d["text"] for d in walk(card) if d.get("type") == "TextBlock"]
    found += [f["value"] for d in walk(card) if d.get("type") == "FactSet" for f in d["facts"]]
    return found


def literal_texts(card: Any) -> list[str]:
    """Texts rendered literally (TextRuns)."""
    return [d["text"] for d in walk(card) if d.get("type") == "TextRun"]


def visible_text(card: Any) -> str:
    """All readable text of ``card``: markdown, literal runs, input values, titles (joined by newlines)."""
    parts = markdown_texts(card) + literal_texts(card)
    parts += [d["value"] for d in walk(card) if str(d.get("type", "")).startswith("Input.") and "value" in d]
    parts += [d["title"] for d in walk(card) if "title" in d and isinstance(d["title"], str)]
    return "\n".join(parts)


def literal_block_text(container: dict[str, Any]) -> str:
    """The text of a ``literal()`` container, lines joined back."""
    lines = [block["inlines"][0]["text"] for block in container["items"]]
    return "\n".join("" if line == "\u00a0" else line for line in lines)


def actions_by_verb(card: Any) -> dict[str, dict[str, Any]]:
    """Every Action.Execute in ``card`` (ShowCards included), by verb."""
    return {a["verb"]: a for a in walk(card) if a.get("type") == "Action.Execute"}


def unsafe_markdown(text: str) -> list[str]:
    """Unescaped ``[``, ``]``, ``<``, ``>`` or a heading marker: a link, mention or heading from user text."""
    return [f"unsafe markdown {m.group(0)!r} in {text[:100]!r}" for m in _UNSAFE.finditer(text)]


def markdown_problems(card: Any) -> list[str]:
    """:func:`unsafe_markdown` over every markdown text of ``card``."""
    return [problem for text in markdown_texts(card) for problem in unsafe_markdown(text)]


# -- the checker catches what it should -------------------------------------------------------------
def _ok_card(**extra: Any) -> dict[str, Any]:
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "hi"}],
        **extra,
    }


def test_checker_accepts_a_valid_card() -> None:
    card = _ok_card(
        actions=[
            {
                "type": "Action.Execute",
                "title": "Approve",
                "verb": ids.APPROVE,
                "data": {ids.DRAFT: "D-1", ids.VERSION: 1},
            }
        ]
    )
    assert card_problems(card) == []


def test_checker_reports_each_problem() -> None:
    card = _ok_card(
        version="1.6",
        body=[
            {"type": "Bogus"},
            {"type": "TextBlock", "text": " "},
            {"type": "Input.Text", "id": "a", "maxLength": 5000},
            {"type": "Input.Text", "id": "a"},
            {"type": "Input.ChoiceSet", "id": "c", "choices": [{"title": "x", "value": "1"}] * 101},
            {"type": "TextBlock", "text": "x" * 29_000},
        ],
        actions=[
            {"type": "Action.Execute", "title": "Go", "verb": ids.APPROVE, "data": {}},
            {"type": "Action.Execute", "title": "Go", "verb": "nope", "data": {}},
            {
                "type": "Action.Execute",
                "title": "Go",
                "verb": ids.REJECT,
                "data": {ids.DRAFT: "D-1", ids.VERSION: 1},
            },
            {"type": "Action.OpenUrl", "title": "x", "url": "javascript:alert(1)"},
            {"type": "Action.ShowCard", "title": "x"},
        ],
    )
    problems = "\n".join(card_problems(card))
    for expected in (
        "version '1.6'",
        "bytes >= 28000",
        "unknown element",
        "empty TextBlock",
        "maxLength 5000",
        "input id 'a' appears twice",
        "101 choices",
        "approve without draft id and version",
        "verb 'nope'",
        "reject cannot see input 'reason'",
        "OpenUrl to 'javascript:alert(1)'",
        "ShowCard without a card",
    ):
        assert expected in problems, expected


def test_unsafe_markdown_spots_links_mentions_and_headings() -> None:
    assert unsafe_markdown("[x](https://evil)") != []
    assert unsafe_markdown("<at>Everyone</at>") != []
    assert unsafe_markdown("# Big") != []
    assert unsafe_markdown("\\[x\\]\\(https://evil\\) \\<at\\> \\# fine (risk 0.45)") == []
