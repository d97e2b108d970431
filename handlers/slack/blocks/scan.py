"""The PHI scan as its author sees it: verdict, findings with the matched words, preview, suggestion.

Only for the author (ephemeral messages, modals, the thread under their own message): the matched
words are their own text, shown so they can fix it. Review cards never use this.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.finding_groups import AuthorScan, draft_scan, finding_groups, result_scan
from bot.models import Draft
from bot.phi.result import Finding, ScanResult
from bot.wording import category_label, verdict_text
from handlers.slack.blocks.common import Block, context, quoted, section, sections
from handlers.slack.blocks.text import escape, one_line, truncate_escaped

MAX_FINDING_LINES = 30


def scan_result_blocks(text: str, result: ScanResult, *, heading: str = "PHI scan") -> list[Block]:
    """A fresh scan of ``text`` for its author: verdict, findings, redacted preview, suggestion.

    Args:
        text: The scanned text (the author's own; matched words are quoted from it).
        result: The scanner's result for ``text``.
        heading: The bold words before the verdict.
    """
    return _scan_blocks(result_scan(text, result, heading))


def draft_scan_blocks(draft: Draft) -> list[Block]:
    """:func:`scan_result_blocks` for a stored draft's current version (its text may be purged)."""
    return _scan_blocks(draft_scan(draft))


def _scan_blocks(scan: AuthorScan) -> list[Block]:
    blocks = [
        section(
            f"*{truncate_escaped(one_line(scan.heading), 200)}:* {verdict_text(scan.verdict, scan.score)}"
        )
    ]
    if not scan.findings:
        blocks.append(
            context(
                "Nothing that looks like PHI was found. Approvers still read every reply before it goes out."
            )
        )
    else:
        blocks += sections(finding_lines(scan.text, scan.findings))
        blocks += quoted(scan.redacted, "*Redacted preview* (what the scan found is masked)")
    if scan.suggestion:
        blocks += quoted(scan.suggestion, "*Suggested safe reply*")
        blocks.append(context("You can use it as it is or adapt it; every edit is scanned again."))
    return blocks


def finding_lines(text: str | None, findings: Sequence[Finding]) -> list[str]:
    """``*Findings* (n)`` and one line per category and explanation, with the words it matched.

    Findings of the same category and explanation share a line; at most 30 lines and 5 quoted words
    per line are shown, each cut to 80 characters, and the rest is counted.
    """
    groups = finding_groups(text, findings, truncate_escaped)
    count = len(findings)
    lines = [f"*Findings* ({count})" if count != 1 else "*Finding*"]
    for group in groups[:MAX_FINDING_LINES]:
        matched = f" {group.words}" if group.words else ""
        lines.append(
            f"• *{category_label(group.category)}*{group.times}{matched} — {escape(one_line(group.explanation))}"
        )
    hidden = len(groups) - MAX_FINDING_LINES
    if hidden > 0:
        lines.append(f"_…and {hidden} more kinds of finding not listed here._")
    return lines
