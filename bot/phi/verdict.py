"""The verdict rule and the risk score.

Rule (first match wins):

- **block** — a direct identifier (SSN, MRN, member/account/license/plate/device number, IP address,
  biometric, photo of a patient, other unique ID); or a quasi-identifier (name, date, phone, e-mail,
  address/room, URL) *tied to care* (the draft also discloses care); or two or more different kinds of
  care disclosure found by the rules (e.g. confirming a patient relationship *and* their clinical
  details). A finding of the learned classifier (bot/phi/classifier.py) counts as care for the
  identifiers but not as a second kind: alone it gives review.
- **review** — a single kind of care disclosure (e.g. "sorry your stay was long"), a personal
  quasi-identifier with no care context, or text the scanner cannot judge (another language, too long).
- **clear** — no findings.

Risk score, 0 to 1: the chance-like combination ``1 - Π(1 - confidence)`` of the findings'
confidences, placed in the band of the verdict: clear = 0, review = 0.30-0.69, block = 0.70-1.00.
So the score orders drafts within a verdict by how sure the findings are, and its band always
agrees with the verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.phi.categories import Tier
from bot.phi.classifier import SOURCE as CLASSIFIER_SOURCE
from bot.phi.result import Finding, Verdict

_BANDS = {Verdict.CLEAR: (0.0, 0.0), Verdict.REVIEW: (0.30, 0.69), Verdict.BLOCK: (0.70, 1.0)}


def decide(findings: Sequence[Finding]) -> Verdict:
    """Apply the documented verdict rule to a draft's findings."""
    tiers = {f.tier for f in findings}
    context = [f for f in findings if f.tier is Tier.CONTEXT]
    # The learned classifier's findings are care context, but never a second kind of disclosure.
    ruled_kinds = {f.category for f in context if f.source != CLASSIFIER_SOURCE}
    if Tier.DIRECT in tiers or (Tier.QUASI in tiers and context) or len(ruled_kinds) >= 2:
        return Verdict.BLOCK
    if findings:
        return Verdict.REVIEW
    return Verdict.CLEAR


def risk_score(verdict: Verdict, findings: Sequence[Finding]) -> float:
    """Combined confidence of the findings, mapped into the verdict's band."""
    remaining = 1.0
    for finding in findings:
        remaining *= 1.0 - min(max(finding.score, 0.0), 1.0)
    combined = 1.0 - remaining
    low, high = _BANDS[verdict]
    return round(low + (high - low) * combined, 3)
