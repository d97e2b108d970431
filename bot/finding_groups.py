"""A scan as its author sees it: the result, and its findings grouped by category and explanation with the words matched.

Only for the author's own views (the matched words are their own text). Each surface cuts and escapes
the words with its own function and lays the scan out in its own format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.cards import findings_of, preview
from bot.models import Draft
from bot.phi.categories import EXPLANATION, TIER, Category, Tier
from bot.phi.result import Finding, ScanResult

SPAN_CHARS = 80
MAX_SPANS_PER_LINE = 5


@dataclass(frozen=True)
class AuthorScan:
    """What the author's view of a scan shows: a fresh result, or a stored draft's current version."""

    text: str | None  # the scanned text (None when purged: no matched words are shown)
    verdict: str
    score: float
    findings: Sequence[Finding]
    redacted: str
    suggestion: str | None
    heading: str


def result_scan(text: str, result: ScanResult, heading: str = "PHI scan") -> AuthorScan:
    """A fresh scan of ``text``."""
    return AuthorScan(
        text, str(result.verdict), result.score, result.findings, result.redacted, result.suggestion, heading
    )


def draft_scan(draft: Draft) -> AuthorScan:
    """The stored scan of ``draft``'s current version (its text may be purged)."""
    current = draft.current
    heading = "PHI scan" if current.version == 1 else f"PHI scan of version {current.version}"
    return AuthorScan(
        current.text,
        current.verdict,
        current.score,
        findings_of(current.scan),
        preview(draft),
        current.scan.get("suggestion"),
        heading,
    )


@dataclass(frozen=True)
class FindingGroup:
    """Findings of one category and explanation, with the (cut) words shown for them."""

    category: str
    explanation: str
    count: int
    shown: tuple[str, ...]
    more: int  # matched words not shown

    @property
    def words(self) -> str:
        """``“Dana”, “Lee” and 2 more`` (empty when no word is shown)."""
        words = ", ".join(f"“{span}”" for span in self.shown)
        if self.more:
            words += f" and {self.more} more"
        return words

    @property
    def times(self) -> str:
        """`` ×3`` when several findings show no word, else empty."""
        return f" ×{self.count}" if self.count > 1 and not self.shown else ""


def finding_groups(
    text: str | None, findings: Sequence[Finding], cut: Callable[[str, int], str]
) -> list[FindingGroup]:
    """The groups of ``findings`` in order of first appearance in ``text``.

    Args:
        text: The scanned text (``None`` when purged: no words are shown).
        findings: The scan's findings.
        cut: The surface's ``(words, limit) -> shown words`` (cutting, and escaping where needed).
    """
    members: dict[tuple[str, str], list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        explanation = finding.explanation or _explanation(finding.category)
        members.setdefault((str(finding.category), explanation), []).append(finding)
    groups = []
    for (category, explanation), found in members.items():
        spans = [span for span in (_span(text, finding, cut) for finding in found) if span]
        shown = tuple(spans[:MAX_SPANS_PER_LINE])
        groups.append(FindingGroup(category, explanation, len(found), shown, len(spans) - len(shown)))
    return groups


def _span(text: str | None, finding: Finding, cut: Callable[[str, int], str]) -> str:
    if text is None or TIER.get(finding.category) is Tier.LIMITATION:
        return ""
    if not 0 <= finding.start < finding.end <= len(text):
        return ""
    return cut(" ".join(text[finding.start : finding.end].split()), SPAN_CHARS)


def _explanation(category: str) -> str:
    try:
        return EXPLANATION[Category(category)]
    except ValueError:
        return ""
