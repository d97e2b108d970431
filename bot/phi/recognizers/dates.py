"""Dates that are identifiers by themselves: birth dates and ages over 89."""

from __future__ import annotations

from bot.phi.recognizers.base import RegexRecognizer, Rule

DOB = "DOB"
AGE_OVER_89 = "AGE_OVER_89"

_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:,?\s+\d{4})?)"
)

_RULES = [
    Rule.of(
        DOB,
        rf"\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthdate|born(?:\s+on)?|birthday(?:\s+is|\s+on)?)\s*[:#-]?\s*(?P<v>{_DATE})",
        0.95,
        "v",
        name="dob_labelled",
    ),
    Rule.of(
        AGE_OVER_89,
        r"\b(?P<v>(?:9\d|1[01]\d)(?:[\s-]*(?:years?|yrs?)[\s-]*old|[\s-]*y/?o\b|(?:st|nd|rd|th)\s+birthday))"
        r"|\b(?:age[ds]?|turn(?:s|ed|ing)?)\s+(?P<v2>9\d|1[01]\d)\b",
        0.85,
        name="age_over_89",
    ),
]


class DateIdentifierRecognizer(RegexRecognizer):
    """Birth dates (with their label) and ages over 89 (Safe Harbor aggregates those into 90+)."""

    def __init__(self) -> None:
        super().__init__("DateIdentifierRecognizer", list(_RULES))
