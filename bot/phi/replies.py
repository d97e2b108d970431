"""Suggested safe replies: canned, PHI-free answers chosen by what the draft was about.

Templates are configurable (``[scanner.replies]`` in the config file, keys below) and may use
``{organization}``, ``{patient_relations}`` (e.g. "our Patient Relations team at 555-0100") and
``{website}``. Each default is itself scanned clean by the test suite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.config import OrganizationSettings
from bot.phi.categories import Category
from bot.phi.result import Finding

DEFAULT_REPLIES: dict[str, str] = {
    "default": (
        "Thank you for reaching out. To protect your privacy, we don't discuss personal health information "
        "on social media. Please contact {patient_relations} and we will be glad to help."
    ),
    "complaint": (
        "We're sorry to hear this and we want to make it right. To protect your privacy, please contact "
        "{patient_relations} so we can learn more and follow up with you directly."
    ),
    "praise": "Thank you so much for your kind words! We'll be sure to share them with our team.",
    "billing": (
        "Thank you for reaching out. We don't discuss account details on social media; please contact "
        "{patient_relations} and our billing specialists will help you privately."
    ),
    "clinical": (
        "Thank you for sharing. For any questions about your health, please talk with your care team "
        "directly, or contact {patient_relations}."
    ),
}

_BILLING = re.compile(
    r"\b(?:bill\w*|charge[ds]?|insurance|claim|statement|invoice|payment|copay|balance|collections)\b", re.I
)
_COMPLAINT = re.compile(
    r"\b(?:sorry|apolog\w*|frustrat\w*|disappoint\w*|unacceptable|rude|wait\w*|upset|concern\w*|complain\w*)\b",
    re.I,
)
_PRAISE = re.compile(
    r"\b(?:thank\w*|grateful|kind\s+words|amazing|wonderful|awesome|love[ds]?|appreciat\w*|shout-?out)\b",
    re.I,
)


class ReplySuggester:
    """Chooses and fills a canned reply."""

    def __init__(
        self, organization: OrganizationSettings, overrides: Mapping[str, str] | None = None
    ) -> None:
        self.templates = {**DEFAULT_REPLIES, **(overrides or {})}
        contact = "our Patient Relations team"
        if organization.patient_relations_phone:
            contact += f" at {organization.patient_relations_phone}"
        if organization.patient_relations_email:
            contact += f" or {organization.patient_relations_email}"
        self.values = {
            "organization": organization.name,
            "patient_relations": contact,
            "website": organization.website or "our website",
        }

    def kind_for(self, text: str, findings: Sequence[Finding]) -> str:
        """Which template fits the draft: billing, clinical, complaint, praise or default."""
        categories = {f.category for f in findings}
        if categories & {Category.ACCOUNT_NUMBER, Category.HEALTH_PLAN_BENEFICIARY_NUMBER} or _BILLING.search(
            text
        ):
            return "billing"
        if _COMPLAINT.search(text):
            return "complaint"
        if Category.CLINICAL_DETAIL in categories:
            return "clinical"
        if _PRAISE.search(text):
            return "praise"
        return "default"

    def suggest(self, text: str, findings: Sequence[Finding]) -> str:
        """The filled-in template for this draft."""
        kind = self.kind_for(text, findings)
        template = self.templates.get(kind) or self.templates["default"]
        return template.format_map(_Missing(self.values))


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
