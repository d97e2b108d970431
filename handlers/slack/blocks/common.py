"""Block Kit building blocks (plain dicts) and the Slack limits they respect.

Builders here take mrkdwn that is already escaped (see :mod:`handlers.slack.blocks.text`); the
functions that place user text in a block (:func:`quoted`, :func:`verbatim`) escape it themselves.
Every mrkdwn object is ``verbatim`` so Slack does not turn a bare ``@channel`` or URL in a draft into
a mention or a link.
"""

from __future__ import annotations

from typing import Any

from handlers.slack.blocks.text import (
    FENCE,
    escape,
    quote_lines,
    size,
    split_lines,
    split_plain,
    truncate,
)

Block = dict[str, Any]

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTIONS = 100
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT = 3000
VIEW_TITLE = 24
PRIVATE_METADATA = 3000


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object that Slack shows as written (no automatic mentions or links)."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def plain(text: str, limit: int | None = None, *, emoji: bool = True) -> dict[str, Any]:
    """A plain_text object, cut to ``limit`` when given."""
    return {"type": "plain_text", "text": truncate(text, limit) if limit else text, "emoji": emoji}


def header(text: str) -> Block:
    """A header block (plain text, at most 150 characters)."""
    return {"type": "header", "text": plain(text, HEADER_TEXT)}


def section(text: str, **extra: Any) -> Block:
    """One section with mrkdwn ``text`` (the caller keeps it within 3,000 characters)."""
    return {"type": "section", "text": mrkdwn(text), **extra}


def sections(lines: list[str], limit: int = SECTION_TEXT) -> list[Block]:
    """Sections holding mrkdwn ``lines`` in order, as few as the 3,000-character limit allows."""
    return [section(chunk) for chunk in split_lines(lines, limit)]


def fields(pairs: list[tuple[str, str]]) -> Block:
    """A section of up to 10 ``*label*`` / value fields (values are escaped mrkdwn, cut to fit)."""
    items = []
    for label, value in pairs[:FIELDS]:
        text = f"*{label}*\n{value}"
        items.append(mrkdwn(text if size(text) <= FIELD_TEXT else f"*{label}*\n(too long to show)"))
    return {"type": "section", "fields": items}


def context(*texts: str) -> Block:
    """A context block of up to 10 mrkdwn texts (small grey print)."""
    return {"type": "context", "elements": [mrkdwn(text) for text in texts[:CONTEXT_ELEMENTS]]}


def divider() -> Block:
    """A horizontal rule."""
    return {"type": "divider"}


def quoted(text: str, label: str = "") -> list[Block]:
    """User ``text`` as an escaped quote, after an optional mrkdwn ``label`` line, split to fit."""
    lines = ([label] if label else []) + quote_lines(text)
    return sections(lines)


def verbatim(text: str, label: str = "") -> list[Block]:
    """``text`` shown exactly as written, for copying: a code block, or plain text when it cannot be one.

    A code block shows every character literally (Slack decodes the escapes); a text with a code fence
    of its own, or one too long for one section once escaped, goes into plain_text sections instead.
    """
    blocks = [section(label)] if label else []
    code = f"{FENCE}\n{escape(text)}\n{FENCE}"
    if FENCE not in text and size(code) <= SECTION_TEXT:
        return [*blocks, section(code)]
    blocks += [
        {"type": "section", "text": plain(piece, emoji=False)} for piece in split_plain(text, SECTION_TEXT)
    ]
    return blocks


def button(
    label: str,
    action_id: str,
    value: str,
    *,
    style: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button; ``style`` is ``primary`` or ``danger``."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(label, BUTTON_TEXT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, yes: str, no: str = "Cancel") -> dict[str, Any]:
    """A confirmation dialog for a button (title 100, text 300, buttons 30 characters)."""
    return {
        "title": plain(title, 100),
        "text": plain(text, 300),
        "confirm": plain(yes, 30),
        "deny": plain(no, 30),
        "style": "danger",
    }


def actions(*elements: dict[str, Any]) -> Block:
    """An actions block (at most 25 elements)."""
    return {"type": "actions", "elements": list(elements[:25])}


def option(label: str, value: str) -> dict[str, Any]:
    """An option for a select or checkboxes (text 75, value 150 characters)."""
    return {"text": plain(label, OPTION_TEXT), "value": value[:150]}


def fit(blocks: list[Block], limit: int) -> list[Block]:
    """``blocks`` within ``limit``: when too many, the middle is cut and a note says so.

    The builders budget their parts so this never triggers in practice; it is the last guard that
    keeps a message postable (the first blocks and a trailing actions block always stay).
    """
    if len(blocks) <= limit:
        return blocks
    tail = [blocks[-1]] if blocks[-1].get("type") == "actions" else []
    head = blocks[: limit - 1 - len(tail)]
    note = context("Some details are not shown here; `/phigate status` has the summary.")
    return [*head, note, *tail]


def modal(
    *,
    callback_id: str,
    title: str,
    blocks: list[Block],
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str = "",
) -> dict[str, Any]:
    """A modal view; title, submit and close are cut to Slack's 24 characters."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, VIEW_TITLE),
        "close": plain(close, VIEW_TITLE),
        "blocks": fit(blocks, VIEW_BLOCKS),
        "private_metadata": private_metadata[:PRIVATE_METADATA],
    }
    if submit:
        view["submit"] = plain(submit, VIEW_TITLE)
    return view
