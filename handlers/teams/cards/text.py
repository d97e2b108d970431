"""Text for Adaptive Cards: markdown escaping, lengths, labels and dates.

Teams renders a TextBlock's text (and FactSet values) as markdown. Everything a user wrote that goes
into one of those (names, reasons, notes) passes through :func:`escape`, so it cannot make a link,
bold text, a heading or a list. Longer user text (drafts, previews, comments) is never markdown: it
goes into ``TextRun`` elements (see :func:`handlers.teams.cards.elements.literal`), which render
literally.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

ELLIPSIS = "…"
_SPECIAL = re.compile(r"([\\`*_\[\]<>#~])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def escape(text: str) -> str:
    """``text`` made safe for a markdown TextBlock: specials backslash-escaped, list markers defused.

    ``[x](https://evil)`` cannot become a link, ``**`` or ``_`` cannot format, ``#`` cannot make a
    heading, ``<at>`` cannot look like a mention, and ``{{DATE(...)}}`` is not evaluated.
    """
    escaped = _SPECIAL.sub(r"\\\1", text)
    escaped = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)
    return escaped.replace("{{", "{\u200b{")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) as one space."""
    return " ".join(text.split())


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def plain_name(text: str | None, fallback: str = "someone", limit: int = 80) -> str:
    """A person's display name on one line, cut to ``limit`` (not escaped: for TextRuns and titles)."""
    return truncate(one_line(text or ""), limit) or fallback


def name(text: str | None, fallback: str = "someone", limit: int = 80) -> str:
    """:func:`plain_name`, escaped for markdown."""
    return escape(plain_name(text, fallback, limit))


def is_linkable(url: str) -> bool:
    """True for a plain http(s) URL (no spaces or markdown brackets) that may back an Action.OpenUrl."""
    return (
        url.lower().startswith(("http://", "https://"))
        and len(url) <= 2000
        and not any(char.isspace() or char in "<>[]()\"'`" for char in url)
    )


def when(moment: datetime | None) -> str:
    """A time Teams shows in the reader's own time zone (``{{DATE(...)}}``, our own text only)."""
    if moment is None:
        return "an unknown time"
    if moment.tzinfo is None:  # stored times are UTC
        moment = moment.replace(tzinfo=UTC)
    stamp = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{{{{DATE({stamp}, SHORT)}}}} {{{{TIME({stamp})}}}}"
