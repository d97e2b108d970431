"""THIRD_PARTY_DISCLOSURE: telling the public about another patient."""

from __future__ import annotations

import re

from bot.phi.categories import Category
from bot.phi.recognizers.base import ContextRecognizer, ContextRule
from bot.phi.recognizers.patterns import CARE, CARE_VERBS, CLIN, FILLER, OTHERS

E = str(Category.THIRD_PARTY_DISCLOSURE)

_PERSON = (
    r"patient|man|woman|gentleman|lady|guy|girl|boy|child|kid|baby|infant|teen|teenager|toddler|person|family|couple"
    r"|mom|mother|dad|father|\d+-year-old(?:\s+[\w-]+)?|resident|roommate|neighbor|visitor|individual|young\s+man|young\s+woman|driver|victim"
    r"|gal|fellow|student|player|athlete|runner|cyclist|worker|firefighter|officer|deputy|trooper|soldier|veteran"
    r"|hiker|swimmer|motorcyclist|pedestrian|passenger|driver|boater|skier|climber|hunter|farmer|bystander"
)
_WHERE = (
    r"in|on|at|next\s+to|across|beside|who|that|from|you\s+saw|you\s+mentioned|you\s+noticed|sharing|behind"
    r"|ahead\s+of|down\s+the\s+hall|before\s+you|after\s+you|in\s+the\s+next|near|hurt|injured|brought|rushed"
    r"|airlifted|admitted|treated|hit|involved|rescued|transported|shot|stabbed|burned|pulled|found|whose|having|getting"
)
_CARE_SIGNAL = re.compile(
    rf"\b(?:{CARE_VERBS}|{CLIN}|sick|ill|critical|hurt|injured|screaming|dying|coding|unresponsive|in\s+pain|bleeding|overdos\w*|ambulance|trauma|code\s+blue"
    rf"|emergency|delivery|birth|born|went\s+home|surgery|recovering|stable|awake|crisis|collapsed|icu|nicu|er|ed"
    r"|next\s+(?:bay|bed|room|curtain|cubicle)|bay|bedside|rough\s+night|bad\s+night|very\s+sick|struggling|declining"
    r"|passed\s+away|died|twins|triplets|newborn|welcomed|peds|pediatric\w*|playroom|chemo|dialysis|rehab|hospice|unit|ward)\b",
    re.IGNORECASE,
)

_RULES = [
    ContextRule.of(
        E,
        rf"\b(?:the|another|that|this|one|other|a|our)\s+(?:other\s+)?(?:[\w-]+\s+){{0,2}}?(?:{_PERSON})\s+(?:{_WHERE})\b",
        0.75,
        "specific_other_person",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\byour\s+(?:{OTHERS})(?:'s|’s)?\s+{FILLER}(?:{CARE}|{CLIN}|(?:was|is|got|has\s+been)\s+(?:{CARE_VERBS}))\b",
        0.8,
        "your_friend_care",
        inherent=True,
    ),
    ContextRule.of(
        E,
        r"\b(?:other|several|two|three|four|five|many|multiple|a\s+few|some|a\s+number\s+of)\s+(?:other\s+)?(?:critical(?:ly\s+ill)?\s+|trauma\s+|sicker\s+|seriously\s+ill\s+|very\s+sick\s+|emergency\s+|critical\s+care\s+)?(?:patients|people|cases|traumas|ambulances|families)\s+(?:came\s+in|arrived|were\s+(?:brought|rushed|admitted|being|also|there)|ahead\s+of\s+you|in\s+the\s+(?:waiting\s+room|er|ed|unit|hall|room)|that\s+(?:night|day|morning|evening|afternoon)|at\s+the\s+same\s+time|before\s+you)",
        0.75,
        "other_patients_then",
        inherent=True,
    ),
]

_RULES += [
    # "the driver was brought to our ER", "a teen who was airlifted", "that 8-year-old whose appendix ruptured"
    ContextRule.of(
        E,
        rf"\b(?:the|a|an|another|that|this|one)\s+(?:[\w-]+\s+){{0,2}}?(?:{_PERSON}|\d+-year-old|one|little\s+one)\s+(?:(?:who|that)\s+)?(?:was|were|is|got|had\s+been|has\s+been)\s+(?:just\s+|also\s+)?(?:brought|rushed|airlifted|flown|admitted|transported|taken\s+back|taken|treated|hurt|injured|hospitalized|stabilized|discharged|transferred|in\s+(?:much\s+)?(?:more\s+)?(?:serious|critical|stable|grave)\s+condition)\b",
        0.8,
        "other_person_in_care",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b(?:the|that|this)\s+(?:[\w-]+\s+){{0,2}}?(?:{_PERSON}|\d+-year-old|one)\s+whose\s+(?:[\w-]+\s+)?(?:{CLIN}|{CARE})",
        0.8,
        "other_person_whose",
        inherent=True,
    ),
    ContextRule.of(
        E,
        r"\b(?:two|three|four|five|several|multiple|many|a\s+few)\s+(?:other\s+)?(?:people|patients|kids|children|victims|cases)\s+(?:from|in|with|after)\s+(?:[\w-]+\s+){0,3}?(?:came\s+in|arrived|were\s+(?:brought|rushed|admitted))",
        0.75,
        "others_arrived",
        inherent=True,
    ),
]


_RULES += [
    # "Another visitor had a seizure", "a patient with a ruptured appendix", "one man suffered a heart attack"
    ContextRule.of(
        E,
        rf"\b(?:another|one|a|an|the|that|this)\s+(?:other\s+)?(?:[\w-]+\s+)?(?:{_PERSON})\s+(?:(?:who|that)\s+)?(?:had|suffered|went\s+into|was\s+having|is\s+having|with)\s+(?:a|an|the|his|her|their)?\s*{FILLER}{CLIN}\b",
        0.75,
        "other_person_condition",
    ),
    # "the two teens from the crash are both out of surgery", "both drivers remain in critical condition"
    ContextRule.of(
        E,
        rf"\b(?:the|both|two|three|four|all)\s+(?:[\w-]+\s+)?(?:(?:{_PERSON})s?|people|patients|kids|children|victims)\s+(?:[\w-]+\s+){{0,5}}?(?:are|were|remain|remains|is|was)\s+(?:(?:both|all|now|still|currently)\s+)*(?:out\s+of\s+surgery|in\s+surgery|in\s+(?:critical|serious|stable|fair|good|grave)(?:\s+condition)?|recovering|being\s+treated|expected\s+to\s+(?:recover|survive))\b",
        0.8,
        "others_condition",
        inherent=True,
    ),
]


class ThirdPartyRecognizer(ContextRecognizer):
    """A specific other person (or other patients at that moment) tied to care."""

    def __init__(self) -> None:
        super().__init__("ThirdPartyRecognizer", list(_RULES))

    def accept(self, rule, match, evidence):  # type: ignore[no-untyped-def]  # noqa: D102
        # The person must be tied to care in the same sentence ("the woman at the front desk" is not).
        return rule.name != "specific_other_person" or self.in_sentence(_CARE_SIGNAL, match, evidence)
