"""The redacted preview: every finding's span replaced by its category in brackets."""

from __future__ import annotations

from collections.abc import Sequence

from bot.phi.categories import REDACTION_PRIORITY, Tier
from bot.phi.result import Finding


def redact(text: str, findings: Sequence[Finding]) -> str:
    """Mask each finding as ``[CATEGORY]``; overlapping findings merge under the most serious label."""
    spans = sorted((f for f in findings if f.tier is not Tier.LIMITATION), key=lambda f: (f.start, -f.end))
    merged: list[list] = []  # [start, end, finding]
    for finding in spans:
        if merged and finding.start < merged[-1][1]:
            current = merged[-1]
            current[1] = max(current[1], finding.end)
            if REDACTION_PRIORITY[finding.tier] > REDACTION_PRIORITY[current[2].tier]:
                current[2] = finding
            continue
        merged.append([finding.start, finding.end, finding])
    pieces: list[str] = []
    cursor = 0
    for start, end, finding in merged:
        pieces.append(text[cursor:start])
        pieces.append(f"[{finding.category}]")
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
