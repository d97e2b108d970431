"""The categories phigate reports, their weight in the verdict, and what each means on social media."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """HIPAA Safe Harbor identifier categories, plus phigate's contextual ones."""

    NAME = "NAME"
    GEOGRAPHIC_LOCATION = "GEOGRAPHIC_LOCATION"
    DATE = "DATE"
    PHONE_NUMBER = "PHONE_NUMBER"
    FAX_NUMBER = "FAX_NUMBER"
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    SOCIAL_SECURITY_NUMBER = "SOCIAL_SECURITY_NUMBER"
    MEDICAL_RECORD_NUMBER = "MEDICAL_RECORD_NUMBER"
    HEALTH_PLAN_BENEFICIARY_NUMBER = "HEALTH_PLAN_BENEFICIARY_NUMBER"
    ACCOUNT_NUMBER = "ACCOUNT_NUMBER"
    CERTIFICATE_LICENSE_NUMBER = "CERTIFICATE_LICENSE_NUMBER"
    VEHICLE_IDENTIFIER = "VEHICLE_IDENTIFIER"
    DEVICE_IDENTIFIER = "DEVICE_IDENTIFIER"
    URL = "URL"
    IP_ADDRESS = "IP_ADDRESS"
    BIOMETRIC_IDENTIFIER = "BIOMETRIC_IDENTIFIER"
    FULL_FACE_PHOTO = "FULL_FACE_PHOTO"
    UNIQUE_IDENTIFIER = "UNIQUE_IDENTIFIER"
    PATIENT_RELATIONSHIP = "PATIENT_RELATIONSHIP"
    CLINICAL_DETAIL = "CLINICAL_DETAIL"
    THIRD_PARTY_DISCLOSURE = "THIRD_PARTY_DISCLOSURE"
    STAFF_DISCLOSURE = "STAFF_DISCLOSURE"
    # Not PHI: the scanner could not judge the text (another language, too long) and says so.
    SCAN_LIMITATION = "SCAN_LIMITATION"


class Tier(StrEnum):
    """How a category weighs in the verdict (see bot/phi/verdict.py)."""

    DIRECT = "direct"  # identifies a person on its own: block
    QUASI = "quasi"  # identifies a person when tied to care: review alone, block with care context
    CONTEXT = "context"  # discloses care without an identifier: review alone, block in combination
    LIMITATION = "limitation"  # the scanner could not judge: review


TIER: dict[Category, Tier] = {
    Category.NAME: Tier.QUASI,
    Category.GEOGRAPHIC_LOCATION: Tier.QUASI,
    Category.DATE: Tier.QUASI,
    Category.PHONE_NUMBER: Tier.QUASI,
    Category.FAX_NUMBER: Tier.QUASI,
    Category.EMAIL_ADDRESS: Tier.QUASI,
    Category.URL: Tier.QUASI,
    Category.SOCIAL_SECURITY_NUMBER: Tier.DIRECT,
    Category.MEDICAL_RECORD_NUMBER: Tier.DIRECT,
    Category.HEALTH_PLAN_BENEFICIARY_NUMBER: Tier.DIRECT,
    Category.ACCOUNT_NUMBER: Tier.DIRECT,
    Category.CERTIFICATE_LICENSE_NUMBER: Tier.DIRECT,
    Category.VEHICLE_IDENTIFIER: Tier.DIRECT,
    Category.DEVICE_IDENTIFIER: Tier.DIRECT,
    Category.IP_ADDRESS: Tier.DIRECT,
    Category.BIOMETRIC_IDENTIFIER: Tier.DIRECT,
    Category.FULL_FACE_PHOTO: Tier.DIRECT,
    Category.UNIQUE_IDENTIFIER: Tier.DIRECT,
    Category.PATIENT_RELATIONSHIP: Tier.CONTEXT,
    Category.CLINICAL_DETAIL: Tier.CONTEXT,
    Category.THIRD_PARTY_DISCLOSURE: Tier.CONTEXT,
    Category.STAFF_DISCLOSURE: Tier.CONTEXT,
    Category.SCAN_LIMITATION: Tier.LIMITATION,
}

# One line each, for the person who wrote the draft: why this is risky on social media.
EXPLANATION: dict[Category, str] = {
    Category.NAME: "A person's name next to anything about care tells the public who the patient is.",
    Category.GEOGRAPHIC_LOCATION: (
        "A home address, or a room or bed number, places a specific patient; it is a HIPAA identifier."
    ),
    Category.DATE: (
        "A date tied to someone's care (birth, visit, admission, discharge) or an age over 89 "
        "identifies the patient."
    ),
    Category.PHONE_NUMBER: "A personal phone number identifies the patient; only the hospital's public numbers belong in a reply.",
    Category.FAX_NUMBER: "A personal fax number is a HIPAA identifier.",
    Category.EMAIL_ADDRESS: "A personal e-mail address identifies the patient; only the hospital's public addresses belong in a reply.",
    Category.SOCIAL_SECURITY_NUMBER: "A Social Security number must never appear in a public reply.",
    Category.MEDICAL_RECORD_NUMBER: "A medical record number identifies a patient's chart; never post it.",
    Category.HEALTH_PLAN_BENEFICIARY_NUMBER: "An insurance member or policy number identifies the patient and their coverage.",
    Category.ACCOUNT_NUMBER: "An account, claim or billing number ties the person to a hospital bill.",
    Category.CERTIFICATE_LICENSE_NUMBER: "A driver's license or certificate number identifies the person.",
    Category.VEHICLE_IDENTIFIER: "A license plate or VIN identifies the person (e.g. in the hospital garage).",
    Category.DEVICE_IDENTIFIER: "An implant or device serial number identifies the patient who carries it.",
    Category.URL: "A personal link (profile, portal link with identifiers) points to a specific person.",
    Category.IP_ADDRESS: "An IP address can identify the person who used it.",
    Category.BIOMETRIC_IDENTIFIER: "Fingerprints, DNA or other biometrics of a person are HIPAA identifiers.",
    Category.FULL_FACE_PHOTO: "A photo or video of a patient shows who they are; it needs written authorization.",
    Category.UNIQUE_IDENTIFIER: "A case, ticket or patient ID or a personal handle singles out one person.",
    Category.PATIENT_RELATIONSHIP: (
        "Confirms that this person (or their family member) was seen, treated, admitted, billed or "
        "scheduled here; on social media that alone is a disclosure, even with no name."
    ),
    Category.CLINICAL_DETAIL: "Tells a person's diagnosis, symptoms, procedure, medication, results or condition.",
    Category.THIRD_PARTY_DISCLOSURE: "Tells the public about another patient.",
    Category.STAFF_DISCLOSURE: "A staff member recounts what they saw or did with a patient; that discloses their care.",
    Category.SCAN_LIMITATION: "phigate could not judge this text reliably; a person must review it.",
}

# When two findings overlap in the redacted preview, the label of the higher one is shown.
REDACTION_PRIORITY: dict[Tier, int] = {Tier.DIRECT: 3, Tier.QUASI: 2, Tier.CONTEXT: 1, Tier.LIMITATION: 0}
