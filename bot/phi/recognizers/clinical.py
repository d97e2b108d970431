"""CLINICAL_DETAIL: a person's diagnosis, symptoms, procedure, medication, results or condition."""

from __future__ import annotations

import re

from bot.phi.categories import Category
from bot.phi.recognizers.base import ContextRecognizer, ContextRule
from bot.phi.recognizers.patterns import (
    BODY,
    CARE,
    CLIN,
    FILLER,
    NOT_A_CONDITION,
    POSS,
    REL,
    SUBJECT,
    name_slots_hold_names,
)

E = str(Category.CLINICAL_DETAIL)

_HAVE = (
    r"diagnosed\s+with|battling|fighting|suffering\s+from|suffers\s+from|treated\s+for|tested\s+positive\s+for"
    r"|positive\s+for|admitted\s+for|in\s+for|on|started|starting|taking|took|prescribed|recovering\s+from"
    r"|recovers\s+from|recovered\s+from|heals\s+from|healing\s+from|dealing\s+with|living\s+with|going\s+through|struggling\s+with|coping\s+with|experiencing|having|had|has"
    r"|have|with|beat|beating|survived|finished|completed|needed|needs|got|getting|underwent|came\s+in\s+with"
)
_STATES = (
    r"pregnant|expecting|in\s+labor|in\s+remission|cancer-free|diabetic|suicidal|depressed|sober|in\s+recovery"
    r"|intubated|sedated|stable|critical|in\s+(?:critical|serious|stable|fair|good)\s+condition|on\s+a\s+ventilator"
    r"|on\s+life\s+support|on\s+dialysis|on\s+oxygen|in\s+a\s+coma|in\s+surgery|in\s+the\s+(?:icu|nicu|er|ed|picu)"
    r"|septic|allergic\s+to\s+\w+|contagious|dehydrated|anemic|immunocompromised|terminal|in\s+hospice"
    r"|high\s+risk|high-risk|full\s+term|\d+\s+weeks(?:\s+pregnant|\s+along)?|premature|a\s+preemie"
    r"|in\s+(?:so\s+much\s+|that\s+much\s+|a\s+lot\s+of\s+)?pain|in\s+withdrawal|in\s+crisis|in\s+(?:active\s+)?labor"
)
_CONGRATS_ON = (
    r"pregnancy|baby|twins|arrival|little\s+one|delivery|birth|bundle\s+of\s+joy|remission|last\s+(?:chemo|treatment|radiation|round|infusion)"
    r"|final\s+(?:chemo|treatment|round|infusion)|transplant|sobriety|recovery|graduation\s+from\s+\w+|new\s+(?:hip|knee|heart|kidney|liver|lungs?)"
    r"|(?:\d+|one|two|three|six)\s+(?:months?|years?|days?)\s+(?:sober|clean|cancer-free|seizure-free)|ringing\s+the\s+bell|bell\s+ringing"
    r"|(?:being|getting)\s+(?:discharged|released|sent\s+home|cleared\s+to\s+go\s+home|extubated|off\s+the\s+ventilator)"
    r"|(?:going|coming|heading)\s+home\s+from\s+(?:the\s+)?(?:hospital|nicu|icu|picu|rehab|unit)|(?:your|the)\s+discharge"
    # "surgiversary", "transplantiversary", "cancerversary": the anniversary of someone's own care
    r"|(?:\w+[-\s])?(?:surg|transplant|cancer|chemo|heart|kidney|liver|bone\s+marrow|stem\s+cell)\w*versary"
)


_RULES = [
    # "your diabetes", "his chemo", "your son's asthma" (needs evidence in the sentence)
    ContextRule.of(E, rf"\b{POSS}\s+{FILLER}{CLIN}\b{NOT_A_CONDITION}", 0.75, "possessive_clinical"),
    # "your son's tonsils", "Maria's lungs": a relative's or named person's body part
    ContextRule.of(
        E,
        rf"\b(?:(?:your|ur)\s+(?:[\w-]+\s+)?{REL}(?:'s|s')|(?P<pname>(?-i:[A-Z][a-z]+))'s)\s+{FILLER}{BODY}\b",
        0.7,
        "relative_body_part",
    ),
    # "after his bypass", "after a hip replacement" (needs a person in the sentence and evidence)
    ContextRule.of(
        E,
        rf"\b(?:after|since|following|from)\s+(?:a|an|the|your|his|her|their|that)\s+{FILLER}(?:{CLIN}|{CARE})\b{NOT_A_CONDITION}",
        0.7,
        "after_clinical",
    ),
    # "a fasting glucose of 212", "your A1C was 9.1", "potassium came back at 3.1"
    ContextRule.of(
        E,
        rf"\b{CLIN}\s+(?:level\s+|reading\s+|result\s+)?(?:of|was|were|is|at|came\s+back(?:\s+at)?|read|reading\s+of)\s+\d",
        0.8,
        "lab_value",
        inherent=True,
    ),
    # "a negative rapid strep", "an abnormal EKG", "your positive COVID test"
    ContextRule.of(
        E,
        rf"\b(?:a|an|the|your|his|her|that|this)\s+(?:positive|negative|normal|abnormal|elevated|high|low|clear|inconclusive|suspicious)\s+{FILLER}(?:{CLIN}|test|result|results|scan|screen|screening|biopsy|culture)\b",
        0.7,
        "result_statement",
    ),
    # "you were diagnosed with ...", "your dad is battling ...", "Maria has pneumonia"
    ContextRule.of(
        E,
        rf"\b{SUBJECT}\s+(?:(?:has|have|had|was|were|is|are|'s|'re|'ve|just|recently|finally|been|being|now|still|also|currently|successfully)\s+){{0,3}}(?:{_HAVE})\s+(?:(?:a|an|the|some|his|her|their|your|bad|severe|mild|acute|chronic|early|late|stage\s+\w+|new|another|more|two|three|several|multiple)\s+){{0,3}}{CLIN}\b{NOT_A_CONDITION}",
        0.8,
        "person_has_clinical",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b{SUBJECT}(?:'s|'re|\s+is|\s+are|\s+was|\s+were|\s+has\s+been|\s+have\s+been)\s+(?:(?:now|still|finally|currently|officially|so|very|already)\s+)*(?:{_STATES})\b",
        0.8,
        "person_state",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b(?:congrat(?:ulation)?s|happy|celebrating|cheers\s+to)\s+(?:again\s+|to\s+you\s+(?:both\s+|all\s+)?)?(?:on\s+)?(?:your|the|finishing|completing|ringing|beating|reaching|hitting|making\s+it\s+to)?\s*{FILLER}(?:{_CONGRATS_ON}|{CLIN}|(?:\d+|one|two|three|five|ten)[-\s](?:year|month|week|day)\s+(?:transplant|surgery|cancer|sobriety|remission|heart|kidney|liver)\s*(?:anniversary|milestone)?)\b{NOT_A_CONDITION}",
        0.7,
        "congrats_clinical",
        inherent=True,
    ),
]

_RULES += [
    # "No cavities!!", "no fractures on the x-ray": a result, in a reply addressed to someone
    ContextRule.of(
        E,
        r"\b(?:no|zero)\s+(?:more\s+)?(?:cavities|fractures?|breaks?|infection|tumou?rs?|cancer|seizures|signs?\s+of\s+(?:cancer|infection|a\s+\w+))\b",
        0.7,
        "negative_result",
    ),
    # "the surgeon who fixed your son's arm": a relative's or your body part with a care verb
    ContextRule.of(
        E,
        rf"\b(?:fixed|repaired|replaced|set|casted|stitched|scanned|x-rayed|operated\s+on|treated|removed)\s+(?:your|his|her)\s+(?:[\w-]+\s+)?{BODY}\b",
        0.8,
        "body_part_treated",
        inherent=True,
    ),
]

_RULES.append(
    ContextRule.of(
        E,
        rf"\b(?:after|since|following)\s+{POSS}\s+{FILLER}(?:{CLIN}|{CARE}){NOT_A_CONDITION}",
        0.75,
        "after_their_clinical",
        inherent=True,
    )
)


class ClinicalRecognizer(ContextRecognizer):
    """Clinical details tied to a person or to "you/your", stated as fact."""

    def __init__(self) -> None:
        super().__init__("ClinicalRecognizer", list(_RULES))

    def accept(self, rule, match, evidence):  # type: ignore[no-untyped-def]  # noqa: D102
        if not name_slots_hold_names(match):
            return False
        if _TOPIC.search(match.group(0)):
            return False  # "their research on sepsis": a topic of work, not a condition
        if rule.name == "lab_value" and self.in_sentence(_THRESHOLD, match, evidence):
            return False  # "a fever of 100.4 or higher ... in general": a threshold, not a result
        if rule.name in {"after_clinical", "result_statement", "lab_value", "negative_result"}:
            # A reply is addressed to someone: a specific result in it is about that person.
            return bool(_PERSON_WORD.search(evidence.text))
        return True


_PERSON_WORD = re.compile(
    r"\b(?:you|your|you're|he|she|him|her|his|they|them)\b|^\s*(?:hi|hey|hello|thanks|thank\s+you)?,?\s*(?-i:[A-Z][a-z]+)[,!]"
    r"|,\s*(?-i:[A-Z][a-z]+)\s*[!.]",
    re.IGNORECASE,
)


_TOPIC = re.compile(
    r"\b(?:research|study|studies|work|paper|papers|article|talk|lecture|book|expertise|presentation|podcast|webinar|grant|award)\b",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(
    r"\b(?:or\s+(?:higher|more|above|lower|less|greater|over|under)|and\s+(?:above|up|over)|at\s+least|greater\s+than"
    r"|less\s+than|in\s+general|generally|typically|usually|normal\s+range|target|goal|at\s+age|by\s+age|starting\s+at"
    r"|beginning\s+at|screenings?|(?:can|could|may)\s+save)\b",
    re.IGNORECASE,
)
