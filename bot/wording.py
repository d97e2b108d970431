"""Surface-neutral wording: the labels of networks, rejection reasons, finding categories, statuses and verdicts.

Plain words only (no markup, no escaping): each surface escapes them for its own format where needed.
"""

from __future__ import annotations

from bot.cards import STATUS_LABEL, VERDICT_LABEL
from bot.models import Network, Status

NETWORK_LABEL = {
    Network.FACEBOOK: "Facebook",
    Network.INSTAGRAM: "Instagram",
    Network.X: "X",
    Network.LINKEDIN: "LinkedIn",
    Network.GOOGLE_REVIEWS: "Google reviews",
    Network.OTHER: "Other",
}
REASON_LABEL = {
    "contains_phi": "Contains PHI",
    "confirms_patient": "Confirms someone is a patient",
    "off_brand": "Off brand",
    "factually_wrong": "Factually wrong",
    "patient_relations": "Needs Patient Relations",
    "other": "Other",
}
VERDICT_EMOJI = {"clear": "✅", "review": "⚠️", "block": "⛔"}
_CATEGORY_WORDS = {"URL": "URL", "IP": "IP", "PHI": "PHI", "EMAIL": "e-mail"}

__all__ = [
    "NETWORK_LABEL",
    "REASON_LABEL",
    "STATUS_LABEL",
    "VERDICT_EMOJI",
    "VERDICT_LABEL",
    "category_label",
    "network_label",
    "reason_label",
    "status_label",
    "verdict_text",
]


def network_label(network: str) -> str:
    """``google-reviews`` -> ``Google reviews``; unknown networks as given, capitalised."""
    try:
        return NETWORK_LABEL[Network(network)]
    except ValueError:
        return str(network).replace("-", " ").replace("_", " ").capitalize()


def reason_label(reason: str) -> str:
    """``contains_phi`` -> ``Contains PHI``; configured extra reasons get a readable form."""
    return REASON_LABEL.get(reason) or str(reason).replace("_", " ").replace("-", " ").capitalize()


def category_label(category: str) -> str:
    """``MEDICAL_RECORD_NUMBER`` -> ``Medical record number`` (``IP_ADDRESS`` -> ``IP address``)."""
    words = [_CATEGORY_WORDS.get(word, word.lower()) for word in str(category).split("_")]
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def status_label(status: str) -> str:
    """The label of a draft status (``pending`` -> ``Waiting for approval``)."""
    try:
        return STATUS_LABEL[Status(status)]
    except ValueError:
        return str(status).capitalize()


def verdict_text(verdict: str, score: float | None = None) -> str:
    """``⚠️ Possible PHI: review carefully (risk 0.45)``: our own words, safe in mrkdwn and markdown."""
    label = VERDICT_LABEL.get(str(verdict), str(verdict))
    emoji = VERDICT_EMOJI.get(str(verdict), "")
    risk = f" (risk {score:.2f})" if score is not None else ""
    return f"{emoji} {label}{risk}".strip()
