"""Suggested safe replies: canned, PHI-free answers chosen by what the draft was about.

Templates are configurable (``[scanner.replies]`` in the config file, keys below, and the managed
file that ``phigate replies add|remove`` keeps, which wins) and may use
``{organization}``, ``{patient_relations}`` (e.g. "our Patient Relations team at 555-0100") and
``{website}``. Each default is itself scanned clean by the test suite.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

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
        return self.fill(self.templates.get(kind) or self.templates["default"])

    def fill(self, template: str) -> str:
        """``template`` with the hospital's details in place (unknown placeholders are left as they are)."""
        return template.format_map(_Missing(self.values))


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


KINDS = tuple(DEFAULT_REPLIES)
PLACEHOLDERS = ("organization", "patient_relations", "website")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def read_managed(path: Path | None) -> dict[str, str]:
    """The replies in the managed file (``[replies]`` table); empty when there is none.

    Raises:
        ValueError: the file exists but is not valid TOML or holds something else than kind = "text".
    """
    if path is None or not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from None
    replies = data.get("replies", {})
    if not isinstance(replies, dict) or not all(isinstance(v, str) for v in replies.values()):
        raise ValueError(f"{path}: [replies] must map a kind to a text")
    return {str(kind): text for kind, text in replies.items()}


def write_managed(path: Path, replies: Mapping[str, str]) -> None:
    """Replace the managed file atomically (a reader never sees half a file)."""
    lines = [
        "# Canned safe replies managed with `phigate replies add|remove`; each was scanned clean when added.",
        "[replies]",
    ]
    lines += [f"{kind} = {json.dumps(text, ensure_ascii=False)}" for kind, text in sorted(replies.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(partial, path)


def template_problem(kind: str, text: str) -> str | None:
    """Why ``text`` cannot be the ``kind`` reply, or None."""
    if kind not in KINDS:
        return f"unknown kind {kind!r}: use one of {', '.join(KINDS)}"
    if not text.strip():
        return "the reply is empty"
    if len(text) > 1000:
        return "the reply is longer than 1,000 characters"
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        return f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)}: use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
    return None
