"""PATIENT_RELATIONSHIP in the words of encouragement and logistics around a stay.

A unit's team cheering for someone ("the whole 3 North crew is rooting for him", "congrats from the
maternity team"), a return to hospital ("your dad had to go back in"), results or paperwork that are
ready ("the results from your glucose test are ready"), a birth the staff helped with, a patient
who was "with us", records "on file with" a clinic. Each is judged against its sentence like the
other contextual rules; the team rules also need a specific person in the sentence or the one before.
"""

from __future__ import annotations

import re

from bot.phi import lexicon as lx
from bot.phi.categories import Category
from bot.phi.recognizers.base import ContextRecognizer, ContextRule
from bot.phi.recognizers.patterns import (
    BODY,
    CARE,
    CLIN,
    COLLEAGUE_NEWS,
    FILLER,
    NAME,
    NOT_A_CONDITION,
    POSS,
    REL,
    SUBJECT,
    UNIT,
    name_slots_hold_names,
)

E = str(Category.PATIENT_RELATIONSHIP)
C = str(Category.CLINICAL_DETAIL)
T = str(Category.THIRD_PARTY_DISCLOSURE)

# Clinical services a team can belong to, beyond the unit names: "maternity", "peds endo", "infusion".
_SERVICE = (
    r"(?:maternity|infusion|endo|endocrine|outpatient|inpatient|surgical|surgery|newborn|birthing|cath\s+lab|sleep\s+lab"
    r"|wound\s+care|physical\s+therapy|pt|respiratory|palliative|transplant|burn|cardiac(?:\s+rehab)?|cardiology|oncology"
    r"|recovery|addiction|detox|iop|support|neuro(?:logy)?|ortho(?:pedics)?|pulmonary|renal|dialysis|hospice|rehab|nicu|picu|icu|er|ed|l&d|peds|pediatrics?"
    rf"|behavioral\s+health|psych|{UNIT})"
)
_GROUP = r"(?:team|crew|family|gang|folks|nurses|staff|group|squad|docs|doctors|therapists|techs|floor|unit)"
_TEAM = (
    rf"(?:(?-i:Dr\.?\s+[A-Z][a-z]+)'s\s+(?:whole\s+|entire\s+)?(?:care\s+)?team|the\s+(?:night|day|evening|weekend|overnight)\s+shift"
    rf"|(?:the|our|your)\s+(?:whole\s+|entire\s+)?(?:(?:[\w&-]+\s+){{0,3}}?{_SERVICE}\s+(?:[\w&-]+\s+)?{_GROUP}"
    rf"|{_GROUP}\s+(?:on|at|in|from)\s+(?:the\s+|our\s+)?(?:[\w&-]+\s+){{0,3}}?{_SERVICE}))"
)
_CHEER = (
    r"(?:(?:is|are|'s|was|were|all|still|also|really|so|truly|has\s+been|have\s+been)\s+)*"
    r"(?:rooting\s+for|pulling\s+for|cheering\s+(?:for|\w+\s+on)|praying\s+for|thinking\s+(?:of|about)\s+(?:you|him|her|them)"
    r"|sends?\s+(?:(?:their|its|you|big|huge|lots\s+of|so\s+much|all\s+their)\s+)*(?:hugs|love|congrats|congratulations|best"
    r"|well\s+wishes|wishes|prayers|high\s+fives?|hi|hello|greetings|healing|strength)"
    r"|says?\s+(?:hi|hello|hey|congrats)|miss(?:es|ed)?\s+(?:you|him|her|them|seeing|having)|following\s+(?:his|her|your|their)"
    r"|(?:still\s+)?buzzing|can'?t\s+wait\s+to\s+(?:see|hear|meet)|proud\s+of\s+(?:you|him|her|them)|wants?\s+you\s+to\s+know"
    r"|talks?\s+about\s+(?:you|him|her|how)|in\s+(?:your|his|her|their)\s+corner|behind\s+(?:you|him|her|them)\b"
    r"|on\s+(?:your|his|her|their)\s+side|says?\s+(?:your|you|he|she|his|her)\b|(?:was|were|is|are)\s+wondering\s+(?:how|about|if)"
    r"|asked\s+about\s+(?:you|him|her|how)|has\s+(?:his|her|your)\b)"
)
_GREETING = r"(?:hugs|love|congrats|congratulations|greetings|best\s+wishes|high\s+fives?|prayers|cheers|healing\s+vibes)"
_PERSON = re.compile(
    rf"\b(?:you|your|you're|he|she|him|her|his|they|them|{lx.alt(lx.RELATIVES)}|couple|triplets|patient|man|woman"
    r"|gentleman|lady|girl|boy|guy)\b|\b(?:hi|hey|hello|dear|thanks|congrats)\s*,?\s+(?-i:[A-Z][a-z]+)|\b(?:mr|mrs|ms)\.?\s+[A-Z]|(?<=,\s)(?-i:[A-Z][a-z]+)\b(?=\s*[,!.?])"
    r"|(?-i:\b[A-Z][a-z]+)(?='s\b)",
    re.IGNORECASE,
)
_CLINICIAN = re.compile(
    r"\b(?:dr|doctor|nurse|rn|md|np|colleagues?|coworkers?|co-workers?|retire\w*|promotion|award|graduat\w*|new\s+role|hired"
    r"|anniversary|job|position|career|old|former|winner|honoree|daisy|nurses\s+week|employee|staff\s+member)\b\.?",
    re.IGNORECASE,
)
_STATE = (
    r"(?:ready|back|in|available|posted|finalized|normal|clear|negative|scheduled|confirmed|approved|booked|done|complete"
    r"|completed|fixed|resolved|updated|corrected|reversed|waived|sent|faxed|mailed|on\s+file|up\s+to\s+date|in\s+our\s+system"
    r"|(?:so\s+much\s+|a\s+lot\s+|way\s+)?(?:better|improved|improving|stable|great))"
)

_RULES = [
    # "the whole 3 North crew sends hugs", "our NICU family is rooting for him", "the team on 2 East is pulling for him"
    ContextRule.of(
        E,
        rf"\b(?:(?:everyone|everybody|all\s+of\s+us|the\s+folks)\s+(?:at|on|in|from)\s+)?{_TEAM}(?:\s+(?:at|on|in|from|with)\s+(?:the\s+|our\s+)?(?:[\w&'-]+\s+){{0,4}}?[\w&'-]+)?\s+{_CHEER}",
        0.75,
        "team_cheers",
        inherent=True,
    ),
    # "congrats from the whole maternity team", "hugs from all of us on 4 West"
    ContextRule.of(
        E,
        rf"\b{_GREETING}\s+(?:\w+\s+)?from\s+(?:all\s+of\s+us\s+|everyone\s+)?(?:(?:on|in|at)\s+)?{_TEAM}",
        0.75,
        "greetings_from_team",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b{_GREETING}\s+(?:\w+\s+)?from\s+(?:all\s+of\s+us\s+|everyone\s+)(?:on|in|at)\s+(?:the\s+|our\s+)?(?:[\w&-]+\s+){{0,2}}?{_SERVICE}",
        0.75,
        "greetings_from_unit",
        inherent=True,
    ),
    # "your dad had to go back in", "she came back in last night"
    ContextRule.of(
        E,
        rf"\b{SUBJECT}\s+(?:(?:had|has|have|having|needed|needs)\s+to\s+)?(?:go|come|went|came|gone|going|coming|be\s+readmitted)\s+back\s+in\b",
        0.8,
        "back_in",
        inherent=True,
    ),
    # "the results from your glucose test are ready", "your referral is now on file", "his labs are back"
    ContextRule.of(
        E,
        rf"\b(?:(?:results?|report|labs?|images?|paperwork|records?|referral|prescription|refill|claim)\s+(?:from|of|for|on)\s+)?"
        rf"{POSS}\s+{FILLER}(?:{CARE}|{CLIN})\s+(?:(?:results?|report|labs?)\s+)?(?:is|are|was|were|has\s+been|have\s+been|'s|look|looks|looking|looked)\s+"
        rf"(?:now\s+|all\s+|finally\s+|already\s+)?{_STATE}\b",
        0.8,
        "care_item_state",
        inherent=True,
    ),
    # "help bring baby Liam into the world", "we delivered your twins"
    ContextRule.of(
        E,
        rf"\b(?:bring|brought|bringing|welcome|welcomed|welcoming)\s+(?:baby\s+(?-i:[A-Z][a-z]+)|your\s+(?:[\w-]+\s+)?{REL}|him|her|them|{NAME})\s+into\s+the\s+world\b",
        0.8,
        "into_the_world",
        inherent=True,
    ),
    # "it was lovely having your grandmother with them", "we loved having you on 5 South"
    ContextRule.of(
        E,
        rf"\b(?:having|had|have)\s+(?:you|your\s+(?:[\w-]+\s+)?{REL}|him|her|{NAME})\s+(?:with\s+(?:us|them|the\s+team)|here|as\s+(?:a|our)\s+patient|on\s+(?:our|the)\s+(?:[\w-]+\s+){{0,2}}?(?:unit|floor|ward))\b",
        0.75,
        "having_you_with_us",
    ),
    # "your cannabis card is on file with our pain clinic"
    ContextRule.of(
        E,
        r"\b(?:your|his|her|their)\s+(?:[\w-]+\s+){0,5}?(?:is|are)\s+(?:now\s+|already\s+|still\s+)?on\s+file\s+(?:with|at)\s+(?:us|our)\b",
        0.75,
        "on_file_with_us",
        inherent=True,
    ),
    # "after her fall", "your fall last week"
    ContextRule.of(
        C,
        r"\b(?:your|his|her|their|(?P<pname>(?-i:[A-Z][a-z]+))'s)\s+(?:bad\s+|recent\s+|nasty\s+|scary\s+|hard\s+)?(?:fall|spill|tumble)\b"
        r"(?!\s+(?:schedule|semester|season|classes|sports|break|festival|fair|event|line-?up|program|plans?|colors|decor))",
        0.75,
        "their_fall",
    ),
]

_RULES += [
    # "the appointment was cancelled at your request", "your surgery got pushed back"
    ContextRule.of(
        E,
        rf"\b(?:your|the|his|her|their)\s+{FILLER}{CARE}\s+(?:was|were|has\s+been|have\s+been|had\s+been|got|is\s+being)\s+"
        r"(?:cancel+ed|rescheduled|moved|rebooked|postponed|pushed(?:\s+back)?|bumped|delayed)\b",
        0.75,
        "care_item_changed",
        inherent=True,
    ),
    # "your shots are in our system", "our records show your dad ..."
    ContextRule.of(
        E,
        r"\b(?:in|on)\s+our\s+(?:system|records|files?|books)\b|\bour\s+records\s+(?:show|say|list|indicate)\b",
        0.7,
        "in_our_records",
        inherent=True,
    ),
    # "congrats on going home!", "so glad you're heading home"
    ContextRule.of(
        E,
        r"\b(?:congrats|congratulations|yay|hooray|glad|happy|thrilled|excited)\s+(?:\w+\s+){0,3}?(?:going|coming|heading|went|getting\s+to\s+go|got\s+to\s+go|being\s+sent)\s+home\b",
        0.75,
        "going_home",
        inherent=True,
    ),
    # "after 41 days with us", "for three weeks in our ICU"
    ContextRule.of(
        E,
        rf"\b(?:after|for)\s+(?:\d+|a\s+few|several|many|two|three|four|five|six|seven|eight|nine|ten|[\w]+-\w+)\s+(?:long\s+)?(?:days|nights|weeks|months)\s+"
        rf"(?:with\s+us|in\s+(?:the\s+|our\s+)?(?:hospital|{UNIT}))\b",
        0.75,
        "days_with_us",
        inherent=True,
    ),
    # "the hospice team was honored to walk alongside your family"
    ContextRule.of(
        E,
        r"\b(?:honou?red|privileged|blessed|lucky|humbled)\s+to\s+(?:have\s+(?:cared\s+for|treated|known|met)|care\s+for|treat|walk\s+(?:alongside|with)"
        r"|be\s+(?:with|there\s+for)|look\s+after|get\s+to\s+know|take\s+care\s+of)\s+(?:you|your|him|her|them)\b",
        0.8,
        "honored_to_care",
        inherent=True,
    ),
    # "his next infusion", "Luca's next dose": care that goes on
    ContextRule.of(
        E,
        rf"\b(?:his|her|their|(?P<pname>(?-i:[A-Z][a-z]+))'s)\s+next\s+(?:[\w-]+\s+)?(?:{CARE}|{CLIN}|infusion|dose|round|session|treatment)\b",
        0.75,
        "their_next_care",
        strong=True,
    ),
]

_RULES += [
    # "the 4th floor is too quiet without you", "5 South isn't the same without your jokes"
    ContextRule.of(
        E,
        rf"\b(?:the|our)\s+(?:[\w&-]+\s+){{0,2}}?(?:{_SERVICE}|floor|unit|ward|team|crew|nurses|staff)\s+(?:is|feels|was|seems|isn't|is\s+not)\s+"
        r"(?:so\s+|too\s+|very\s+|just\s+)?(?:quiet|empty|lonely|different|boring|sad|the\s+same)\s+without\s+(?:you|your|him|her|them)\b",
        0.75,
        "quiet_without_you",
        inherent=True,
    ),
    # "before she went home", "after you were sent home"
    ContextRule.of(
        E,
        rf"\b(?:before|after|when|since|once)\s+(?:you|he|she|they|your\s+(?:[\w-]+\s+)?{REL})\s+(?:went|got\s+to\s+go|headed|were\s+sent|was\s+sent|got\s+sent)\s+home\b",
        0.75,
        "before_going_home",
        inherent=True,
    ),
    # "your story about beating sepsis", "he's fighting leukemia"
    ContextRule.of(
        C,
        rf"\b(?:beat|beating|survived|surviving|fought|fighting|battled|battling|overcame|overcoming|recovered\s+from|recovering\s+from"
        rf"|living\s+with|diagnosed\s+with)\s+(?:a\s+|an\s+|the\s+|his\s+|her\s+|your\s+)?{CLIN}{NOT_A_CONDITION}",
        0.75,
        "beating_condition",
        inherent=True,
    ),
    # "you were so brave getting your ears tubed", "such a trooper during his shots"
    ContextRule.of(
        E,
        r"\b(?:brave|strong|tough|champ|trooper|rockstar|rock\s+star|warrior)\s+(?:getting|during|for|with|through)\s+"
        rf"(?:your|his|her|their|the|those|that)\s+(?:[\w-]+\s+){{0,2}}?(?:{CARE}|{CLIN}|{BODY}|needles?|pokes?)\b",
        0.7,
        "brave_during",
    ),
    # "the code in the bed across from you"
    ContextRule.of(
        T,
        r"\bthe\s+(?:bed|bay|room|curtain|stretcher|cubicle|chair)\s+(?:across\s+from|next\s+to|beside|near|opposite)\s+(?:you|yours|your\s+\w+|him|her)\b",
        0.75,
        "bed_across",
        strong=True,
    ),
]

_TEAM_RE = re.compile(_TEAM, re.IGNORECASE)
_TEAM_RULES = {"team_cheers", "greetings_from_team", "greetings_from_unit"}


class SupportRecognizer(ContextRecognizer):
    """Encouragement from a care team, returns to hospital, items of care that are ready or on file."""

    def __init__(self) -> None:
        super().__init__("SupportRecognizer", list(_RULES))

    def accept(self, rule, match, evidence):  # type: ignore[no-untyped-def]  # noqa: D102
        if not name_slots_hold_names(match):
            return False
        if rule.name in {"care_item_changed", "in_our_records", "beating_condition", "brave_during"}:
            return bool(_SECOND_PERSON.search(evidence.text, *evidence.sentence(match.start())))
        if rule.name not in _TEAM_RULES:
            return True
        if COLLEAGUE_NEWS.search(evidence.text):
            return False
        # A specific person in this sentence or the one before, and not staff news ("congrats, Dr. Lee").
        index = evidence.sentences.index(evidence.sentence(match.start()))
        start = evidence.sentences[max(0, index - 1)][0]
        end = evidence.sentence(match.start())[1]
        window = evidence.text[start:end]
        window = _TEAM_OF_A_DOCTOR.sub(" ", window)
        outside = _GROUP_OF_PEOPLE.sub(" ", _TEAM_RE.sub(" ", window))
        return bool(_PERSON.search(outside)) and not _CLINICIAN.search(window)


_SECOND_PERSON = re.compile(rf"\b(?:you|your|you're|{lx.alt(lx.RELATIVES)})\b", re.IGNORECASE)
# "Dr. Osei's team is in your corner": the doctor leads the team, the sentence is not staff news.
_TEAM_OF_A_DOCTOR = re.compile(r"\bdr\.?\s+\w+'s\s+(?:whole\s+|entire\s+)?(?:care\s+)?team\b", re.IGNORECASE)
# "all the kids at Lincoln Elementary", "every family": people in general, not one person.
_GROUP_OF_PEOPLE = re.compile(
    r"\byou\s+all\b|\ball\s+of\s+you\b|\by'all\b|\b(?:all|every|any|many|our)\s+(?:of\s+)?(?:the\s+|our\s+|your\s+)?\w+",
    re.IGNORECASE,
)
