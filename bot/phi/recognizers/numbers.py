"""Labelled numbers: SSN, medical record, health plan, account, license, vehicle, device and other IDs.

A number alone says little; its label ("MRN", "member ID", "claim #", "serial number") says what it
is. Each rule is a label class followed by a short link ("#", "no.", "is", ":") and a value with
digits. Hospital-specific formats from the configuration match with no label at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.phi.categories import Category
from bot.phi.recognizers.base import RegexRecognizer, Rule

# "#", "no.", "number", "is", ":", "ending in" ... between a label and its value.
# Labels and values are often a few words apart ("SSN (ending 3308)", "member ID was typed in with one
# character off (4TW7-QX2-HN58)"): up to 45 characters of the same sentence, with no digit, between them.
_LINK = r"[^\d.!?\n]{0,45}?"
# A value: 4-26 letters/digits/dashes with at least three digits, not part of a longer word.
_VALUE = r"(?P<v>(?=[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,24}[A-Z0-9])(?![\w-])"


def _labelled(category: Category, labels: str, score: float, name: str) -> Rule:
    return Rule.of(str(category), rf"\b(?:{labels}){_LINK}{_VALUE}", score, "v", name)


_SSN_LABEL = r"ssn|ss#|social security(?:\s+(?:number|no\.?|#))?|social"
_MRN_LABEL = (
    r"mrn|mr#|mr\s+number|medical\s+record(?:\s+(?:number|no\.?|#))?|med\s+rec|chart(?:\s+(?:number|no\.?|#))?"
    r"|record\s*(?:number|no\.?|#)|patient\s+(?:id|number|no\.?|#)|hospital\s+number|pt\.?\s+id|emr"
)
_PLAN_LABEL = (
    r"member(?:\s+(?:id|number|no\.?|#))?|subscriber(?:\s+(?:id|number))?|policy(?:\s+(?:number|no\.?|#|id))?"
    r"|insurance(?:\s+card)?\s+(?:id|number|no\.?|#)|group\s+(?:number|no\.?|#)|medicaid(?:\s+(?:id|number|no\.?|#))?"
    r"|medicare(?:\s+(?:id|number|no\.?|#))?|mbi|plan\s+id|beneficiary(?:\s+(?:id|number))?|health\s+plan\s+(?:id|number)"
)
_ACCOUNT_LABEL = (
    r"account|acct\.?|a/c|claim|invoice|billing\s+statement|statement|guarantor|bill|hospital\s+account|har"
    r"|card\s+ending|credit\s+card|debit\s+card|routing|bank\s+account"
)
_LICENSE_LABEL = (
    r"driver'?s'?\s+licen[cs]e|drivers\s+licen[cs]e|dl|licen[cs]e(?:\s+(?:number|no\.?|#))|permit\s+(?:number|no\.?|#)"
    r"|certificate(?:\s+(?:number|no\.?|#))?|birth\s+certificate|passport|state\s+id"
)
_VEHICLE_LABEL = r"licen[cs]e\s+plate|plates?(?:\s+(?:number|no\.?|#))?|tag\s+(?:number|no\.?|#)|vin|vehicle(?:\s+(?:id|identification number))?"
_DEVICE_LABEL = (
    r"serial(?:\s+(?:number|no\.?|#))?|s/n|sn|device\s+(?:id|number|serial)|udi|lot\s+(?:number|no\.?|#)"
    r"|model\s+(?:number|no\.?|#)|imei|implant\s+(?:id|number|card)|pump\s+(?:id|serial)"
)
_UNIQUE_LABEL = (
    r"accession|specimen|sample|barcode|wristband|armband|case|ticket|reference|ref\.?|confirmation|encounter|visit\s+(?:id|number|#)|fin|csn|rx|prescription"
    r"|order|request|requisition|req|incident|complaint|tracking|grievance|username|user\s+id|login|portal\s+id|id"
)

_PLATE_VALUE = r"(?P<v>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{2,4}[- ]?[A-Z0-9]{2,4})(?![\w-])"

_RULES: list[Rule] = [
    Rule.of(
        str(Category.SOCIAL_SECURITY_NUMBER),
        r"(?<![\d-])(?P<v>\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4})(?![\d-])",
        0.9,
        "v",
        "ssn_format",
    ),
    Rule.of(
        str(Category.SOCIAL_SECURITY_NUMBER),
        rf"\b(?:{_SSN_LABEL}){_LINK}(?P<v>\d{{3}}-?\d{{2}}-?\d{{4}}|x{{3}}-?x{{2}}-?\d{{4}}|\d{{4}})(?!\d)",
        0.95,
        "v",
        "ssn_labelled",
    ),
    _labelled(Category.MEDICAL_RECORD_NUMBER, _MRN_LABEL, 0.95, "mrn_labelled"),
    _labelled(Category.HEALTH_PLAN_BENEFICIARY_NUMBER, _PLAN_LABEL, 0.9, "plan_labelled"),
    _labelled(Category.ACCOUNT_NUMBER, _ACCOUNT_LABEL, 0.85, "account_labelled"),
    _labelled(Category.CERTIFICATE_LICENSE_NUMBER, _LICENSE_LABEL, 0.85, "license_labelled"),
    Rule.of(
        str(Category.VEHICLE_IDENTIFIER),
        rf"\b(?:{_VEHICLE_LABEL}){_LINK}{_PLATE_VALUE}",
        0.85,
        "v",
        "plate_labelled",
    ),
    Rule.of(str(Category.VEHICLE_IDENTIFIER), r"\b(?P<v>[A-HJ-NPR-Z0-9]{17})\b", 0.6, "v", "vin_format"),
    _labelled(Category.DEVICE_IDENTIFIER, _DEVICE_LABEL, 0.85, "device_labelled"),
    _labelled(Category.UNIQUE_IDENTIFIER, _UNIQUE_LABEL, 0.75, "id_labelled"),
]


class LabelledNumberRecognizer(RegexRecognizer):
    """Numbers whose label says what they identify, plus the hospital's own formats."""

    def __init__(self, formats: dict[Category, Iterable[str]] | None = None) -> None:
        rules = list(_RULES)
        for category, patterns in (formats or {}).items():
            rules += [Rule.of(str(category), pattern, 0.95, 0, "configured_format") for pattern in patterns]
        super().__init__("LabelledNumberRecognizer", rules)

    def accept(self, rule, match, text):  # type: ignore[no-untyped-def]  # noqa: D102
        if rule.name == "vin_format":
            value = match.group("v")
            return sum(ch.isdigit() for ch in value) >= 5 and sum(ch.isalpha() for ch in value) >= 3
        if rule.name == "ssn_format":
            return not _looks_like_phone_context(text, match.start("v"))
        if rule.name.endswith("_labelled"):
            value = match.group("v")
            return (
                not _YEAR.fullmatch(value)
                and not _PHONE_LIKE.fullmatch(value)
                and not _ORDINAL.match(text, match.end("v"))
            )
        return True


_YEAR = re.compile(r"(?:19|20)\d\d")
_PHONE_LIKE = re.compile(r"(?:1-)?(?:\d{3}-)?\d{3}-\d{4}")
_ORDINAL = re.compile(r"\s*(?:%|percent|patients|people|days|hours|years|beds|staff)")


def _looks_like_phone_context(text: str, start: int) -> bool:
    before = text[max(0, start - 25) : start].lower()
    return any(word in before for word in ("call", "phone", "fax", "text", "tel"))
