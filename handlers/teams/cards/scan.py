"""The PHI scan as its author sees it: verdict, findings with the matched words, preview, suggestion.

Only for the author (their 1:1 chat, the answer to their own message, the task module): the matched
words are their own text, shown so they can fix it. Review cards never use this.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.finding_groups import AuthorScan, draft_scan, finding_groups, result_scan
from bot.models import Draft
from bot.phi.result import Finding, ScanResult
from bot.wording import category_label, verdict_text
from handlers.teams import ids
from handlers.teams.cards.elements import (
    CARD_BYTES,
    Card,
    Element,
    card,
    execute,
    fit,
    literal,
    note,
    runs,
    size,
    text_block,
)
from handlers.teams.cards.text import escape, one_line, truncate

MAX_FINDING_LINES = (30, 15, 8, 5)  # per compactness level
PASTED_NOTE = "Nothing has been sent yet. Send it for approval as it is, or edit it and paste it again."
TOO_LONG = (
    "This draft is too long to send from here. Send submit followed by the text, or use the Submit for "
    "approval action on the message."
)
PASTED_BLOCK_NOTE = " A blocked draft is not sent to the approvers; you can then request an override."


def scan_result_card(text: str, result: ScanResult) -> Card:
    """A fresh scan of ``text`` for its author: verdict, findings (matched words), preview, suggestion."""
    return fit(lambda level: card(scan_result_elements(text, result, level=level)))


def pasted_message_card(text: str, result: ScanResult) -> Card:
    """:func:`scan_result_card` for a draft pasted in the drafts channel, with *Send for approval*."""
    message = PASTED_NOTE + (PASTED_BLOCK_NOTE if str(result.verdict) == "block" else "")

    def build(level: int) -> Card:
        body = [
            *scan_result_elements(text, result, heading="PHI scan of your draft", level=level),
            note(message),
        ]
        send = execute(
            ids.SEND_FOR_APPROVAL, "Send for approval", style="positive", data={ids.PASTED_TEXT: text}
        )
        return card(body, [send])

    result_card = fit(build)
    if size(result_card) > CARD_BYTES:  # the text itself is too big to ride on the button
        body = [
            *scan_result_elements(text, result, heading="PHI scan of your draft", level=3),
            note(TOO_LONG),
        ]
        result_card = card(body)
    return result_card


def scan_result_elements(
    text: str, result: ScanResult, *, heading: str = "PHI scan", level: int = 0
) -> list[Element]:
    """The elements of :func:`scan_result_card` (for cards that add to them)."""
    return _scan_elements(result_scan(text, result, heading), level)


def draft_scan_elements(draft: Draft, *, level: int = 0) -> list[Element]:
    """:func:`scan_result_elements` for a stored draft's current version (its text may be purged)."""
    return _scan_elements(draft_scan(draft), level)


def _scan_elements(scan: AuthorScan, level: int) -> list[Element]:
    elements = [
        text_block(
            f"**{escape(truncate(one_line(scan.heading), 200))}:** {verdict_text(scan.verdict, scan.score)}"
        )
    ]
    if not scan.findings:
        elements.append(
            note(
                "Nothing that looks like PHI was found. Approvers still read every reply before it goes out."
            )
        )
    else:
        elements += finding_elements(scan.text, scan.findings, limit=MAX_FINDING_LINES[min(level, 3)])
        elements.append(text_block("**Redacted preview** (what the scan found is masked)"))
        elements.append(literal(_cut(scan.redacted, level)))
    if scan.suggestion:
        elements.append(text_block("**Suggested safe reply**"))
        elements.append(literal(_cut(scan.suggestion, level)))
        elements.append(note("You can use it as it is or adapt it; every edit is scanned again."))
    return elements


def finding_elements(text: str | None, findings: Sequence[Finding], *, limit: int = 30) -> list[Element]:
    """``Findings (n)`` and one line per category and explanation, with the words it matched.

    Findings of the same category and explanation share a line; at most ``limit`` lines and 5 quoted
    words per line are shown, each cut to 80 characters, and the rest is counted.
    """
    groups = finding_groups(text, findings, truncate)
    count = len(findings)
    elements: list[Element] = [text_block(f"**Findings** ({count})" if count != 1 else "**Finding**")]
    for group in groups[:limit]:
        elements.append(
            runs(
                "• ",
                (category_label(group.category) + group.times, {"weight": "Bolder"}),
                (f" {group.words}" if group.words else "", {"italic": True}),
                f" — {one_line(group.explanation)}",
                spacing="Small",
            )
        )
    hidden = len(groups) - limit
    if hidden > 0:
        elements.append(note(f"…and {hidden} more kinds of finding not listed here."))
    return elements


def _cut(text: str, level: int) -> str:
    """Long text shown whole unless the card is over its size budget (levels 2 and up)."""
    if level < 2:
        return text
    return truncate(text, 1500 if level == 2 else 600)
