"""Name candidates the statistical model misses: honorific names and "my name is ..." phrases.

spaCy's PERSON entities (through Presidio's SpacyRecognizer) are the other source. Whether a name is
a patient's (a finding) or a clinician's, the commenter's or a sign-off (not) is decided in
``bot/phi/context.py``.
"""

from __future__ import annotations

from bot.phi.recognizers.base import RegexRecognizer, Rule

PERSON = "PERSON"

_CAP = r"(?-i:[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?)"

_RULES = [
    Rule.of(PERSON, rf"\b(?:mr|mrs|ms|miss|mx)\.?\s+(?P<v>{_CAP}(?:\s+{_CAP})?)", 0.8, "v", "honorific"),
    Rule.of(PERSON, rf"\b(?:baby|little|patient|pt\.?)\s+(?P<v>{_CAP}(?:\s+{_CAP})?)", 0.6, "v", "role_name"),
    # The person addressed: "Hi Sara,", "Thanks so much, Jorge!", "Congrats, Tanya!!"
    Rule.of(
        PERSON,
        r"(?:^|[.!?]\s+)(?:hi|hey|hello|dear|thanks|thank\s+you|congrats|congratulations|welcome\s+back)"
        rf"(?:\s+(?:so|very)\s+much)?,?\s+(?P<v>{_CAP})\b(?!\s+(?-i:[A-Z])|\s+of\s+(?:the\s+)?(?-i:[A-Z]))",
        0.6,
        "v",
        "addressed",
    ),
    Rule.of(PERSON, rf",\s+(?P<v>{_CAP})\s*(?:[!?]|\.(?:\s|$)|$)", 0.6, "v", "addressed_last"),
]


class NameRecognizer(RegexRecognizer):
    """Honorific and role-prefixed names (case-sensitive on the name itself)."""

    def __init__(self) -> None:
        super().__init__("NameRecognizer", list(_RULES))

    def accept(self, rule, match, text):  # type: ignore[no-untyped-def]  # noqa: D102
        value = match.group("v")
        return value[:1].isupper() and value.split()[0].lower() not in _NOT_NAMES


_NOT_NAMES = {"the", "our", "your", "and", "or", "care", "relations", "experience", "portal", "advocate"}
