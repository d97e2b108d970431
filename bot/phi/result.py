"""What a scan returns: a verdict, a risk score, findings, a redacted preview and a safe suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.phi.categories import EXPLANATION, TIER, Category, Tier


class Verdict(StrEnum):
    """The scanner's decision for a draft, in rising order of risk."""

    CLEAR = "clear"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        """0 for clear, 1 for review, 2 for block (for comparisons such as ``--fail-on``)."""
        return _RANK[self]


_RANK = {Verdict.CLEAR: 0, Verdict.REVIEW: 1, Verdict.BLOCK: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a draft is risky: a category, where it is (``start``/``end``, end exclusive)."""

    category: Category
    start: int
    end: int
    score: float
    explanation: str = ""
    source: str = ""  # which recognizer or rule found it (for tuning; never shown as PHI)

    @property
    def tier(self) -> Tier:
        """How this finding weighs in the verdict."""
        return TIER[self.category]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the CLI/API contract."""
        return {
            "category": str(self.category),
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "explanation": self.explanation or EXPLANATION[self.category],
        }


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The whole judgement on one draft. Holds no copy of the draft except in ``redacted``."""

    verdict: Verdict
    score: float
    findings: tuple[Finding, ...]
    redacted: str
    suggestion: str | None = None
    categories: tuple[Category, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: verdict, score, findings (the CLI JSONL contract) plus preview and suggestion."""
        return {
            "verdict": str(self.verdict),
            "score": round(self.score, 3),
            "findings": [finding.to_dict() for finding in self.findings],
            "redacted": self.redacted,
            "suggestion": self.suggestion,
        }
