"""Text for Block Kit: mrkdwn escaping, Slack's character counting, splitting, quoting and labels.

Everything a user wrote (draft text, names, links, notes) goes through :func:`escape` before it is
placed in mrkdwn, so a draft cannot ``<!channel>`` a review channel or show a fake link. Lengths are
measured in UTF-16 code units (:func:`size`), never fewer than Python's characters, so an emoji-heavy
draft still fits Slack's limits.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

ELLIPSIS = "…"
FENCE = "```"
# Between the backticks of a fence in displayed text so the draft cannot open or close a code block.
_FENCE_BREAK = "`\u200b`\u200b`"
_ENTITY = re.compile(r"&(amp|lt|gt);")
_EMPTY_QUOTE = "> \u200b"  # a blank line inside a quote (a bare ">" may show as a literal ">")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for mrkdwn, so user text cannot mention, link or format a sequence."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def size(text: str) -> int:
    """Length as Slack may count it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` (by :func:`size`), ending in an ellipsis when cut."""
    if size(text) <= limit:
        return text
    return _prefix(text, limit - 1).rstrip() + ELLIPSIS


def truncate_escaped(text: str, limit: int) -> str:
    """Escape ``text`` for mrkdwn and cut it to ``limit``, never inside an escape entity."""
    escaped = escape(text)
    if size(escaped) <= limit:
        return escaped
    cut = _safe_cut(escaped, _prefix_length(escaped, limit - 1))
    return escaped[:cut].rstrip() + ELLIPSIS


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) as one space."""
    return " ".join(text.split())


def defang(text: str) -> str:
    """Break code fences in displayed (not copied) text, so a draft cannot end our formatting."""
    return text.replace(FENCE, _FENCE_BREAK)


def split_lines(lines: list[str], limit: int) -> list[str]:
    """Pack mrkdwn ``lines`` into as few chunks of at most ``limit`` as possible, in order.

    A line longer than ``limit`` is cut at a space when one is near, never inside an escape entity.
    Lines that start with ``> `` keep the quote marker on their continuation.
    """
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in _wrap(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if current and size(candidate) > limit:
                chunks.append(current)
                current = piece
            else:
                current = candidate
    if current:
        chunks.append(current)
    return chunks


def quote_lines(text: str) -> list[str]:
    """``text`` as escaped mrkdwn quote lines (``> ...``), fences broken, blank lines kept."""
    return [f"> {escape(defang(line))}" if line.strip() else _EMPTY_QUOTE for line in text.split("\n")]


def split_plain(text: str, limit: int) -> list[str]:
    """Split plain text (shown verbatim) into pieces of at most ``limit``, preferring line ends."""
    pieces: list[str] = []
    rest = text
    while size(rest) > limit:
        cut = _prefix_length(rest, limit)
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:
            cut = newline + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def link(url: str, label: str | None = None, *, limit: int = 80) -> str:
    """A mrkdwn link for an http(s) URL, else the escaped text; the label is cut to ``limit``."""
    shown = truncate_escaped(one_line(label if label is not None else url), limit)
    if is_linkable(url):
        return f"<{escape(url)}|{shown or escape(url[:limit])}>"
    return shown


def is_linkable(url: str) -> bool:
    """True for a plain http(s) URL that can sit inside ``<url|label>`` unchanged."""
    return (
        url.lower().startswith(("http://", "https://"))
        and size(url) <= 1500
        and not any(char.isspace() or char in "<>|" for char in url)
    )


def when(moment: datetime | None) -> str:
    """A time shown in the reader's own time zone by Slack (UTC in the fallback)."""
    if moment is None:
        return "unknown time"
    if moment.tzinfo is None:  # stored times are UTC
        moment = moment.replace(tzinfo=UTC)
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


# -- internals ------------------------------------------------------------------------------------
def _prefix_length(text: str, limit: int) -> int:
    """The number of characters of ``text`` whose :func:`size` is at most ``limit``."""
    if size(text) <= limit:
        return len(text)
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > limit:
            return index
    return len(text)


def _prefix(text: str, limit: int) -> str:
    return text[: _prefix_length(text, limit)]


def _safe_cut(text: str, cut: int) -> int:
    """Move ``cut`` back so it does not fall inside an ``&amp;``/``&lt;``/``&gt;`` entity."""
    start = text.rfind("&", max(0, cut - 4), cut)
    if start != -1:
        match = _ENTITY.match(text, start)
        if match and match.end() > cut:
            return start
    return cut


def _wrap(line: str, limit: int) -> list[str]:
    """Cut one mrkdwn line into pieces of at most ``limit``, quote marker carried over."""
    marker = "> " if line.startswith("> ") else ""
    pieces: list[str] = []
    rest = line
    while size(rest) > limit:
        cut = _safe_cut(rest, _prefix_length(rest, limit))
        space = rest.rfind(" ", len(marker) + 1, cut)
        if space > cut * 3 // 4:
            cut = space
        if cut <= len(marker):  # cannot happen for sane limits; avoid an endless loop anyway
            cut = _prefix_length(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = marker + rest[cut:].lstrip(" ")
    pieces.append(rest)
    return pieces
