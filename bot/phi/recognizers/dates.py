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


# Dates and times as people write them in a reply ("last night", "Thursday the 9th at 1 pm", "two weeks
# ago"): the entity spaCy's NER reports as DATE/TIME, found by rule so that NER need not read a long
# draft's calendar words. Like NER's dates, they count only in a sentence about someone's care.
DATE_TIME = "DATE_TIME"
_PART = r"(?:morning|afternoon|evening|night|week|weekend|month|year|day|spring|summer|fall|autumn|winter|holidays?)"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December)"
_NUMBER = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|a\s+couple\s+of)"
_RELATIVE_RULES = [
    Rule.of(DATE_TIME, r"\b(?:yesterday|today|tonight|tomorrow|overnight)\b", 0.85, name="relative_day"),
    Rule.of(
        DATE_TIME,
        rf"\b(?:this|last|next|that|all|a\s+long|the\s+next|the\s+same|the\s+other|one|early\s+this|late\s+last)\s+{_PART}\b",
        0.85,
        name="relative_part",
    ),
    Rule.of(
        DATE_TIME,
        rf"\b(?:(?:this|last|next|on)\s+)?{_WEEKDAY}(?:\s+the\s+\d{{1,2}}(?:st|nd|rd|th))?"
        r"(?:\s+(?:morning|afternoon|evening|night))?\b",
        0.85,
        name="weekday",
    ),
    Rule.of(
        DATE_TIME, rf"\b{_MONTH}\b(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{{4}})?", 0.85, name="month"
    ),
    Rule.of(DATE_TIME, rf"\b{_NUMBER}\s+(?:days?|weeks?|months?|years?|hours?)\s+ago\b", 0.85, name="ago"),
    # "on the 3rd" is a day; "the 6th floor", "the 5th annual gala", "for the 2nd time" count something else.
    Rule.of(
        DATE_TIME,
        r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b(?!\s+(?:floor|fl\b|level|story|storey|wing|ward|street|st\b|avenue|ave\b"
        r"|row|place|grade|annual|time|round|year|edition|anniversary|birthday|percentile|person|patient))",
        0.85,
        name="ordinal_day",
    ),
    Rule.of(DATE_TIME, r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)", 0.85, name="clock_time"),
    Rule.of(
        DATE_TIME,
        r"\b(?:christmas(?:\s+eve)?|thanksgiving|easter|halloween|new\s+year'?s(?:\s+eve|\s+day)?|valentine'?s\s+day)\b",
        0.85,
        name="holiday",
    ),
]


class RelativeDateRecognizer(RegexRecognizer):
    """Days, weekdays, months, times and "N weeks ago" as written in replies (what NER calls DATE/TIME)."""

    def __init__(self) -> None:
        super().__init__("RelativeDateRecognizer", list(_RELATIVE_RULES))
