"""STAFF_DISCLOSURE: a staff member recounting what they saw or did with a patient."""

from __future__ import annotations

from bot.phi.categories import Category
from bot.phi.recognizers.base import ContextRecognizer, ContextRule
from bot.phi.recognizers.patterns import (
    COLLEAGUE_NEWS,
    COMMUNITY_EVENT,
    NAME,
    REL,
    STAFF,
    STAFF_CARE,
    WITNESS,
    is_name_word,
)

E = str(Category.STAFF_DISCLOSURE)

_OBJECT = rf"(?:you|your\s+(?:[\w-]+\s+)?{REL}|him|her|them|the\s+(?:patient|family|man|woman|baby|little\s+one)|that\s+(?:you|your|he|she)|how\s+(?:you|your|brave|strong|scared|much|sick|tiny|small|(?:\w+\s+){{1,2}}?(?:you|he|she|they)\b)|when\s+(?:you|your|he|she)|that\s+(?:call|night|day|shift|delivery|moment|transport|run|visit)|{NAME})"

_RULES = [
    # "I was your nurse", "I'm her midwife", "I was the nurse who ..."
    ContextRule.of(
        E,
        rf"\bI\s+(?:was|am|'m)\s+(?:your|his|her|their)\s+(?:[\w-]+\s+)?(?:{STAFF})\b|\bI\s+was\s+the\s+(?:[\w-]+\s+)?(?:{STAFF})\s+(?:on|who|that|when|for|in)\b",
        0.85,
        "i_was_your_role",
        inherent=True,
    ),
    # "As your physical therapist, I can say ...", "speaking as her midwife": the writer was their clinician
    ContextRule.of(
        E,
        rf"(?:^|[.!?]\s+|\bspeaking\s+)as\s+(?:your|his|her|their)\s+(?:[\w-]+\s+)?(?:{STAFF})\b(?=\s*,)",
        0.8,
        "as_your_role",
        inherent=True,
    ),
    # "I remember you", "I cared for your dad", "I still think about how brave he was"
    ContextRule.of(
        E,
        rf"\bI\s+(?:(?:still|really|clearly|personally|distinctly|will\s+always|always|also|actually|vividly|got\s+to|had\s+the\s+privilege\s+of|was\s+lucky\s+enough\s+to)\s+)*(?:{WITNESS}|{STAFF_CARE})\s+(?:(?:meeting|seeing|caring\s+for|taking\s+care\s+of|working\s+with|helping|holding|treating|delivering"
        rf"|stitching|watching|nursing|admitting|discharging)\s+)?{_OBJECT}\b",
        0.85,
        "i_witnessed",
        inherent=True,
    ),
    # "I'm one of the ER physicians who saw your dad"
    ContextRule.of(
        E,
        rf"\bI\s*(?:'m|am|was)\s+(?:one\s+of\s+)?(?:the|your|our|his|her)\s+(?:[\w&-]+\s+){{0,2}}?(?:{STAFF})\s+(?:who|that)\s+(?:\w+\s+)?(?:{WITNESS}|{STAFF_CARE}"
        r"|brought|transported|rushed|carried|drove|flew|found|resuscitated)\b",
        0.85,
        "i_am_the_staff_who",
        inherent=True,
    ),
    # "we remember your sister well", "we think of Eli often"
    ContextRule.of(
        E,
        rf"\bwe\s+(?:(?:still|all|really|truly|often|always|will\s+always)\s+)*(?:remember|remembered|recall|think\s+of|think\s+about|talk\s+about|miss)\s+{_OBJECT}\b(?!\s+(?:at|for)\s+(?:our|the)\s+(?:event|class|fair|walk|run|gala))",
        0.8,
        "we_remember",
        inherent=True,
    ),
    # "I was working that night", "I was on shift when ..."
    ContextRule.of(
        E,
        r"\bI\s+was\s+(?:working|on\s+shift|on\s+duty|on\s+call|there|the\s+charge\s+nurse|the\s+nurse|in\s+the\s+(?:er|ed|icu|nicu|or|room|unit))\s+(?:that|the\s+(?:night|day|morning|evening|shift)|when|last|on)\b",
        0.85,
        "i_was_on_shift",
        inherent=True,
    ),
    # "one of our nurses saw you", "our ER team still talks about your son", "the techs remember her"
    ContextRule.of(
        E,
        rf"\b(?:one\s+of\s+our|our|the|a|an)\s+(?:[\w&-]+\s+){{0,2}}?(?:{STAFF})(?:,?\s+(?-i:[A-Z][a-z]+),?)?\s+(?:who\s+(?:was|were)\s+(?:there|on\s+shift|working)\s+)?(?:(?:still|also|all|both|even|really|definitely|actually|just|who\s+\w+)\s+)*(?:{WITNESS})\s+{_OBJECT}\b",
        0.8,
        "staff_witnessed",
        inherent=True,
    ),
]

_RULES += [
    # "I was the nurse looking after your dad", "I was one of the paramedics who ..."
    ContextRule.of(
        E,
        rf"\bI\s*(?:was|am|'m)\s+(?:one\s+of\s+)?(?:the|a)\s+(?:[\w-]+\s+)?(?:{STAFF})\s+(?:[\w-]+\s+){{0,3}}?{_OBJECT}\b",
        0.8,
        "i_was_the_role_with",
        inherent=True,
    ),
    # "I was on the team that treated your brother"
    ContextRule.of(
        E,
        rf"\bI\s+(?:was|am|'m)\s+(?:on|part\s+of)\s+the\s+(?:[\w-]+\s+){{0,2}}?(?:team|crew|unit|staff|squad)\s+(?:that|who)\s+"
        rf"(?:\w+\s+)?(?:{STAFF_CARE}|{WITNESS}|brought|transported|rushed)\b",
        0.85,
        "i_was_on_the_team",
        inherent=True,
    ),
]

_RULES += [
    # "Everyone at the cardiac rehab gym still talks about how hard you pushed"
    ContextRule.of(
        E,
        rf"\b(?:everyone|everybody|all\s+of\s+us|the\s+whole\s+(?:team|crew|unit|floor|staff)|the\s+(?:crew|folks|gang))\s+(?:(?:at|on|in|from)\s+(?:the\s+|our\s+)?(?:[\w&-]+\s+){{0,4}}?)?(?:(?:still|also|all|really)\s+)*(?:{WITNESS})\s+{_OBJECT}\b",
        0.8,
        "everyone_remembers",
        inherent=True,
    ),
]


_RULES += [
    # "Dr. Patel remembers your twins", "Nurse Abby still asks about him"
    ContextRule.of(
        E,
        rf"\b(?-i:(?:Dr|Nurse|Dr\.)\s*[A-Z][a-z]+)\s+(?:(?:still|also|really|often|always)\s+)*(?:{WITNESS})\s+{_OBJECT}\b",
        0.8,
        "named_staff_remembers",
        inherent=True,
    ),
    # "one of our flight nurses who rode with your cousin", "the aide who sat with her"
    ContextRule.of(
        E,
        rf"\b(?:{STAFF})\s+(?:who|that)\s+(?:\w+\s+)?(?:rode|flew|drove|went|stayed|sat|was|were|worked|prayed|waited)\s+with\s+"
        rf"(?:you|your\s+(?:[\w-]+\s+)?{REL}|him|her|them)\b",
        0.8,
        "staff_was_with",
        inherent=True,
    ),
]


class StaffRecognizer(ContextRecognizer):
    """Staff recollection of a specific patient."""

    def __init__(self) -> None:
        super().__init__("StaffRecognizer", list(_RULES))

    def accept(self, rule, match, evidence):  # type: ignore[no-untyped-def]  # noqa: D102
        if rule.name in {"staff_witnessed", "we_remember"} and (
            COLLEAGUE_NEWS.search(evidence.text) or COMMUNITY_EVENT.search(evidence.text)
        ):
            # "Our team misses you already, Ruth! Happy retirement", "we remember you from our 5K": not a patient
            return False
        return is_name_word(match.groupdict().get("name"))
