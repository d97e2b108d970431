"""One or more realistic reply drafts per HIPAA Safe Harbor identifier category.

Each case names the identifier's value in the draft: the scanner must report the category with a span
that covers that value (offsets into the draft as written), and block the draft, because the value is
either a direct identifier or a quasi-identifier tied to the person's care.
"""

from __future__ import annotations

import pytest

from bot.phi.categories import TIER, Category, Tier
from bot.phi.result import Verdict
from tests.bot.phi._support import assert_covers, describe

C = Category

CASES: list[tuple[str, Category, str, str]] = [
    # id, category, draft, identifier value
    (
        "name-hip-replacement",
        C.NAME,
        "Maria Gonzalez, we're so glad your hip replacement went smoothly and you're walking again!",
        "Maria Gonzalez",
    ),
    (
        "name-stroke-icu",
        C.NAME,
        "Our thoughts are with Derek Whitfield as he recovers from his stroke in our ICU.",
        "Derek Whitfield",
    ),
    (
        "address-discharge-papers",
        C.GEOGRAPHIC_LOCATION,
        "We mailed your discharge paperwork to 482 Birchwood Lane after your gallbladder surgery.",
        "482 Birchwood Lane",
    ),
    (
        "address-home-health",
        C.GEOGRAPHIC_LOCATION,
        "Your home health nurse will come to 1190 Oak Hollow Drive every Tuesday to change your wound "
        "dressing.",
        "1190 Oak Hollow Drive",
    ),
    (
        "room-number",
        C.GEOGRAPHIC_LOCATION,
        "Your mom is resting comfortably in Room 512 after her procedure, and her nurse will update you.",
        "512",
    ),
    (
        "bed-number",
        C.GEOGRAPHIC_LOCATION,
        "We moved your husband to bed 14 in the cardiac ICU so he can be monitored overnight.",
        "14",
    ),
    (
        "date-of-birth",
        C.DATE,
        "We corrected the date of birth on your chart to 03/14/1962, so your lab results will now show in "
        "the portal.",
        "03/14/1962",
    ),
    (
        "admission-date",
        C.DATE,
        "You were admitted to our cardiac unit on January 12, 2024, and we're so glad you're recovering at "
        "home.",
        "January 12, 2024",
    ),
    (
        "discharge-date",
        C.DATE,
        "Your son's discharge from the pediatric floor is set for March 3, once his fever stays down.",
        "March 3",
    ),
    (
        "age-over-89",
        C.DATE,
        "At 97, your grandfather was one of the oldest patients we treated for pneumonia this winter.",
        "97",
    ),
    (
        "age-over-89-hyphenated",
        C.DATE,
        "Our 94-year-old patient on the rehab unit met all her physical therapy goals after her hip "
        "fracture!",
        "94",
    ),
    (
        "patient-cell",
        C.PHONE_NUMBER,
        "We tried calling your cell at 555-867-2210 about your MRI results but couldn't reach you.",
        "555-867-2210",
    ),
    (
        "patient-mobile-text",
        C.PHONE_NUMBER,
        "Sarah, your mobile number (312) 555-0187 is the one we'll text with your post-op appointment time.",
        "(312) 555-0187",
    ),
    (
        "fax",
        C.FAX_NUMBER,
        "We faxed your biopsy report to your home fax, 555-224-9031, this morning.",
        "555-224-9031",
    ),
    (
        "personal-email",
        C.EMAIL_ADDRESS,
        "We've sent your discharge instructions to jenny.alvarez84@gmail.com, so let us know if they don't "
        "arrive.",
        "jenny.alvarez84@gmail.com",
    ),
    (
        "personal-email-results",
        C.EMAIL_ADDRESS,
        "Tom, your lab results went to your personal email, tkowalski@yahoo.com, yesterday afternoon.",
        "tkowalski@yahoo.com",
    ),
    (
        "ssn-billing",
        C.SOCIAL_SECURITY_NUMBER,
        "Your Social Security number 412-67-9053 was printed on the billing form from your ER visit.",
        "412-67-9053",
    ),
    (
        "ssn-abbrev",
        C.SOCIAL_SECURITY_NUMBER,
        "We've fixed the SSN on your registration record; it now reads 529-38-1046.",
        "529-38-1046",
    ),
    (
        "mrn-label",
        C.MEDICAL_RECORD_NUMBER,
        "We located your records under MRN 00482913 and forwarded them to your surgeon.",
        "00482913",
    ),
    (
        "chart-number",
        C.MEDICAL_RECORD_NUMBER,
        "Your chart #4471902 has been updated with the new penicillin allergy.",
        "4471902",
    ),
    (
        "medical-record-number",
        C.MEDICAL_RECORD_NUMBER,
        "Your medical record number is 7730195, so please bring it to your next visit.",
        "7730195",
    ),
    (
        "member-id",
        C.HEALTH_PLAN_BENEFICIARY_NUMBER,
        "Your insurance member ID XGH448120573 was denied for the MRI, but we're filing an appeal.",
        "XGH448120573",
    ),
    (
        "account-number",
        C.ACCOUNT_NUMBER,
        "Your account #88213047 shows a balance of $240 from your emergency room visit.",
        "88213047",
    ),
    (
        "claim-number",
        C.ACCOUNT_NUMBER,
        "We resubmitted claim # 5567102389 for your colonoscopy to your insurer today.",
        "5567102389",
    ),
    (
        "drivers-license",
        C.CERTIFICATE_LICENSE_NUMBER,
        "Your driver's license number S530-4821-9977 was scanned when you checked in to the ER.",
        "S530-4821-9977",
    ),
    (
        "license-plate",
        C.VEHICLE_IDENTIFIER,
        "Security found your car, license plate 7KJM392, in the parking garage with the lights on during "
        "your dialysis.",
        "7KJM392",
    ),
    (
        "pacemaker-serial",
        C.DEVICE_IDENTIFIER,
        "The serial number of your new pacemaker, PJN804219H, has been registered with the manufacturer.",
        "PJN804219H",
    ),
    (
        "fundraiser-url",
        C.URL,
        "We saw your fundraiser for your chemo costs at gofundme.com/f/help-dana-beat-cancer and shared it!",
        "gofundme.com/f/help-dana-beat-cancer",
    ),
    (
        "profile-url",
        C.URL,
        "Your profile https://www.facebook.com/dana.whitlock.92 shows your photos from the oncology ward.",
        "facebook.com/dana.whitlock.92",
    ),
    (
        "ip-address",
        C.IP_ADDRESS,
        "The login to your patient portal account came from IP address 73.162.44.201 last night.",
        "73.162.44.201",
    ),
    (
        "fingerprints",
        C.BIOMETRIC_IDENTIFIER,
        "We kept your fingerprints on file from your last visit so the pharmacy kiosk can verify you.",
        "fingerprints",
    ),
    (
        "dna-sample",
        C.BIOMETRIC_IDENTIFIER,
        "Your DNA sample from the hereditary cancer screening is stored in our lab under your name.",
        "DNA",
    ),
    (
        "patient-photo",
        C.FULL_FACE_PHOTO,
        "Here's a photo of our patient Ellie ringing the bell on her last day of chemo!",
        "photo",
    ),
    (
        "picture-of-you",
        C.FULL_FACE_PHOTO,
        "We posted a picture of you holding your twins in the NICU on our page this morning.",
        "picture",
    ),
    (
        "case-number",
        C.UNIQUE_IDENTIFIER,
        "Your case number PR-2024-08817 is open with Patient Relations about your billing complaint.",
        "PR-2024-08817",
    ),
    (
        "ticket-number",
        C.UNIQUE_IDENTIFIER,
        "Your complaint about your mother's care was logged as ticket #INC0048213.",
        "INC0048213",
    ),
]


def test_every_hipaa_identifier_category_has_a_case() -> None:
    identifiers = {c for c, tier in TIER.items() if tier in (Tier.DIRECT, Tier.QUASI)}
    assert identifiers <= {case[1] for case in CASES}


@pytest.mark.parametrize(("category", "text", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_identifier_found_with_its_offsets(scanner, category: Category, text: str, value: str) -> None:
    result = scanner.scan(text)
    assert category in result.categories, describe(result, text)
    assert_covers(result, text, category, value)
    assert value not in result.redacted, result.redacted


@pytest.mark.parametrize(("category", "text", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_identifier_tied_to_care_blocks(scanner, category: Category, text: str, value: str) -> None:
    # Direct identifiers block on their own; each quasi-identifier here is tied to the person's care.
    result = scanner.scan(text)
    assert result.verdict is Verdict.BLOCK, describe(result, text)
    assert 0.70 <= result.score <= 1.0
    assert result.suggestion, "a blocked draft comes with a safe suggestion"
