"""Allow-lists and hospital identifier formats from the configuration.

The hospital's own public phone numbers, domains, physicians, name and staff sign-offs are never PHI,
even in a draft that discusses someone's care; the same wording with a value that is not on the list
is reported. A configured MRN format is an identifier on its own, with no "MRN" label around it.
"""

from __future__ import annotations

import pytest

from bot.phi.categories import Category, Tier
from bot.phi.result import Verdict
from tests.bot.phi._support import (
    ORG_NAME,
    PATIENT_RELATIONS_EMAIL,
    PATIENT_RELATIONS_PHONE,
    PHYSICIAN,
    PUBLIC_DOMAIN,
    PUBLIC_PHONE,
    SIGN_OFF,
    assert_covers,
    describe,
    overlapping,
    span_of,
)

C = Category

PHONE_DRAFT = "So sorry your recovery after the bypass surgery has been rough. Please text {} anytime."
EMAIL_DRAFT = "So sorry your recovery after the bypass surgery has been rough. Please write to {} anytime."
NAME_DRAFT = "So glad the bypass surgery went well! {} told us you're already walking the halls."


def _not_reported(result, text: str, category: Category, value: str) -> None:
    start, end = span_of(text, value)
    assert not overlapping(result, category, start, end), describe(result, text)


@pytest.mark.parametrize("phone", [PUBLIC_PHONE, "(555) 013-7000", "555.013.2298"])
def test_public_phone_not_reported_in_care_draft(configured_scanner, phone: str) -> None:
    text = PHONE_DRAFT.format(phone)
    result = configured_scanner.scan(text)
    _not_reported(result, text, C.PHONE_NUMBER, phone)
    _not_reported(result, text, C.FAX_NUMBER, phone)


def test_unlisted_phone_reported_in_same_draft(configured_scanner) -> None:
    phone = "555-019-3372"
    text = PHONE_DRAFT.format(phone)
    result = configured_scanner.scan(text)
    assert_covers(result, text, C.PHONE_NUMBER, phone)
    assert result.verdict is Verdict.BLOCK, describe(result, text)


@pytest.mark.parametrize(
    "email", [f"kate.morris@{PUBLIC_DOMAIN}", PATIENT_RELATIONS_EMAIL, "giving@events.lrmcfoundation.org"]
)
def test_public_domain_email_not_reported_in_care_draft(configured_scanner, email: str) -> None:
    text = EMAIL_DRAFT.format(email)
    result = configured_scanner.scan(text)
    _not_reported(result, text, C.EMAIL_ADDRESS, email)


def test_unlisted_email_reported_in_same_draft(configured_scanner) -> None:
    email = "kate.morris@gmail.com"
    text = EMAIL_DRAFT.format(email)
    result = configured_scanner.scan(text)
    assert_covers(result, text, C.EMAIL_ADDRESS, email)
    assert result.verdict is Verdict.BLOCK, describe(result, text)


@pytest.mark.parametrize("physician", [PHYSICIAN, "Marcus Oyelaran"])
def test_listed_physician_not_reported_in_care_draft(configured_scanner, physician: str) -> None:
    text = NAME_DRAFT.format(physician)
    result = configured_scanner.scan(text)
    _not_reported(result, text, C.NAME, physician)


def test_unlisted_name_reported_in_same_draft(configured_scanner) -> None:
    name = "Gerald Fitch"
    text = NAME_DRAFT.format(name)
    result = configured_scanner.scan(text)
    assert_covers(result, text, C.NAME, name)
    assert result.verdict is Verdict.BLOCK, describe(result, text)


def test_organization_name_and_sign_off_not_reported(configured_scanner) -> None:
    text = f"So glad your bypass surgery at {ORG_NAME} went well, and welcome home! {SIGN_OFF}"
    result = configured_scanner.scan(text)
    for value in (ORG_NAME, SIGN_OFF):
        start, end = span_of(text, value)
        hits = [f for f in result.findings if f.tier is Tier.QUASI and f.start < end and start < f.end]
        assert not hits, describe(result, text)


def test_allow_list_does_not_hide_care_disclosure(configured_scanner) -> None:
    # The allow-list spares the hospital's public details, not the disclosure around them.
    text = f"{PHYSICIAN} says your biopsy came back benign. Questions? Text {PATIENT_RELATIONS_PHONE}."
    result = configured_scanner.scan(text)
    assert C.CLINICAL_DETAIL in result.categories, describe(result, text)
    _not_reported(result, text, C.NAME, PHYSICIAN)
    _not_reported(result, text, C.PHONE_NUMBER, PATIENT_RELATIONS_PHONE)


@pytest.mark.parametrize(
    "text",
    [
        "Quick update: LRM4410927 is ready for pickup at the front desk.",
        "The scan results for LRM4410927 were sent to your cardiologist this morning.",
    ],
)
def test_configured_mrn_format_found_without_label(configured_scanner, text: str) -> None:
    result = configured_scanner.scan(text)
    assert_covers(result, text, C.MEDICAL_RECORD_NUMBER, "LRM4410927")
    assert result.verdict is Verdict.BLOCK, describe(result, text)
    assert "LRM4410927" not in result.redacted


def test_configured_mrn_format_needs_the_whole_pattern(configured_scanner) -> None:
    # "LRM" followed by too few digits is not the hospital's MRN format (and not labelled as one).
    text = "Our new LRM44 shuttle runs every 20 minutes between the garage and the main entrance."
    result = configured_scanner.scan(text)
    assert C.MEDICAL_RECORD_NUMBER not in result.categories, describe(result, text)
