"""Shared configuration and assertions for the PHI scanner tests."""

from __future__ import annotations

from bot.config import AllowListSettings, IdentifierFormatSettings, OrganizationSettings, ScannerSettings
from bot.phi.categories import Category
from bot.phi.result import Finding, ScanResult

# A fictional hospital's public facts, used by the allow-list scanner.
ORG_NAME = "Lakeside Regional Medical Center"
PATIENT_RELATIONS_PHONE = "555-013-2298"
PATIENT_RELATIONS_EMAIL = "patientrelations@lakesideregional.org"
PUBLIC_PHONE = "555-013-4400"
PUBLIC_DOMAIN = "lakesideregional.org"
PHYSICIAN = "Priya Raman"
SIGN_OFF = "Tess from the LRMC Social Team"
MRN_FORMAT = r"\bLRM\d{7}\b"

ORGANIZATION = OrganizationSettings(
    name=ORG_NAME,
    aliases=("Lakeside Regional",),
    patient_relations_phone=PATIENT_RELATIONS_PHONE,
    patient_relations_email=PATIENT_RELATIONS_EMAIL,
    website="https://www.lakesideregional.org",
)

CONFIGURED = ScannerSettings(
    allow=AllowListSettings(
        organization_names=(ORG_NAME, "LRMC"),
        physicians=(PHYSICIAN, "Marcus Oyelaran"),
        public_phone_numbers=(PUBLIC_PHONE, "(555) 013-7000"),
        public_domains=(PUBLIC_DOMAIN, "lrmcfoundation.org"),
        staff_sign_offs=(SIGN_OFF,),
    ),
    identifiers=IdentifierFormatSettings(medical_record_number=(MRN_FORMAT,)),
)


def describe(result: ScanResult, text: str) -> str:
    """Human-readable findings, for assertion messages."""
    found = [f"{f.category}[{f.start}:{f.end}]={text[f.start : f.end]!r}" for f in result.findings]
    return f"verdict={result.verdict} findings={found}"


def span_of(text: str, value: str) -> tuple[int, int]:
    """Where ``value`` occurs (exactly once) in ``text``."""
    assert text.count(value) == 1, f"test set-up: {value!r} must occur exactly once"
    start = text.index(value)
    return start, start + len(value)


def covering(result: ScanResult, category: Category, start: int, end: int) -> list[Finding]:
    """Findings of ``category`` whose span covers ``text[start:end]``."""
    return [f for f in result.findings if f.category is category and f.start <= start and f.end >= end]


def assert_covers(result: ScanResult, text: str, category: Category, value: str) -> Finding:
    """A finding of ``category`` covers ``value`` and its offsets index ``text``."""
    start, end = span_of(text, value)
    hits = covering(result, category, start, end)
    assert hits, f"expected {category} covering {value!r}; got {describe(result, text)}"
    finding = hits[0]
    assert 0 <= finding.start < finding.end <= len(text)
    assert value in text[finding.start : finding.end]
    return finding


def overlapping(result: ScanResult, category: Category, start: int, end: int) -> list[Finding]:
    """Findings of ``category`` that overlap ``text[start:end]``."""
    return [f for f in result.findings if f.category is category and f.start < end and start < f.end]
