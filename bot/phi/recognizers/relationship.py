"""PATIENT_RELATIONSHIP: text that confirms or implies someone was seen, treated, admitted, billed..."""

from __future__ import annotations

import re

from bot.phi.categories import Category
from bot.phi.recognizers.base import ContextRecognizer, ContextRule
from bot.phi.recognizers.patterns import (
    BODY,
    CARE,
    CARE_VERBS,
    CLIN,
    COLLEAGUE_NEWS,
    FILLER,
    NAME,
    NOT_A_CONDITION,
    POSS,
    REL,
    SUBJECT,
    UNIT,
    WEAK,
    name_slots_hold_names,
)

# Inpatient places: being there means being admitted.
UNIT_NAMES_INPATIENT = r"(?:nicu|picu|icu|ccu|l&d|labor\s+and\s+delivery|mother-baby|postpartum|med-surg|telemetry|step-down|stepdown|burn\s+unit|psych\s+unit|behavioral\s+health\s+unit|rehab\s+unit|hospice|special\s+care\s+nursery|palliative\s+unit)\b"
_STAFF_BEFORE = re.compile(
    r"\b(?:secretary|clerk|manager|director|nurses?|educator|coordinator|supervisor|leader|volunteers?|staff|team|works|worked|working|shift|charge|aide|tech|physician|doctor)\b[\w\s,]{0,12}$",
    re.IGNORECASE,
)
# Right before the unit: its visiting rules ("Visiting hours on 6 West", "Visitors in the ICU can..."),
# not a visit to someone ("visiting your dad on 6 West" puts a person between the two).
_VISITS_BEFORE = re.compile(
    r"\b(?:visiting|visitation|visitors?)(?:\s+(?:hours|policy|policies|rules|guidelines))?\s*$",
    re.IGNORECASE,
)
_GROUP_BEFORE = re.compile(
    r"\b(?:kids|children|patients|families|babies|moms|parents|people|everyone|residents|veterans|seniors)\s*(?:\w+\s+)?$",
    re.IGNORECASE,
)
_AMENITY_BEFORE = re.compile(
    r"\b(?:lounge|lobby|cafe|café|cafeteria|chapel|garden|gift\s+shop|kiosk|elevators?|entrance|office|conference\s+room"
    r"|classroom|auditorium|library|station|desk|garage|parking|space|suite|wing|building|renovation|construction|mural|art"
    # gifts to a unit and jobs on it: "the donation to our NICU", "your new role in the ICU", "rooms in our hospice unit"
    r"|rooms|donations?|donated|gifts?|gave|given|quilts|blankets|toys?|books|role|position|job|career|residency|fellowship|rotation"
    # a drive or treats brought to a unit: "the toy drive to the oncology floor", "cookies to 4 West"
    r"|(?:toy|book|coat|food|sock|card|diaper|blanket|supply|snack)\s+drives?|cards|flowers|cookies|treats|snacks|pizzas?|care\s+packages?)"
    r"\s*(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# Right after the unit: its staff ("your kind words to the 6 East cardiac team", "the 4 West nurses"):
# the unit names a team, it places nobody there.
_TEAM_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:teams?|nurses|nursing\s+staff|staff|crew|docs|doctors|physicians|techs"
    r"|therapists|caregivers|colleagues|night\s+shift|day\s+shift|heroes)\b",
    re.IGNORECASE,
)
# "From the ICU to the dialysis unit to L&D": a list of places, not someone's move between two of them.
_UNIT_RANGE = re.compile(r"\bfrom\s+[^,.!?]{1,30}?\s+to\s+[^,.!?]{1,30}?\s+to\s", re.IGNORECASE)
_PERSON_WORD = re.compile(
    r"\b(?:you|your|he|she|him|her|his|they|them)\b|\b(?:mr|mrs|ms|miss)\.?\s+[A-Z]", re.IGNORECASE
)

E = str(Category.PATIENT_RELATIONSHIP)
THIRD = str(Category.THIRD_PARTY_DISCLOSURE)

_RULES = [
    # "your stay", "your mom's surgery", "Maria's appointment" (needs evidence in the sentence)
    ContextRule.of(E, rf"\b{POSS}\s+{FILLER}{CARE}\b{NOT_A_CONDITION}", 0.75, "possessive_care"),
    # "your time in our NICU", "your night on 4 West", "the wait in our ER"
    ContextRule.of(
        E,
        rf"\b(?:{POSS}|the)\s+{FILLER}(?:{WEAK}|stay|visit|wait|care|food|room|noise)\s+(?:in|at|on|with|through)\s+(?:our|the)?\s*{FILLER}{UNIT}\b",
        0.8,
        "time_on_unit",
    ),
    # "you were admitted", "your dad was discharged", "Maria was seen"
    ContextRule.of(
        E,
        rf"\b{SUBJECT}\s+(?:(?:were|was|are|is|'re|'s|have|has|had|been|got|get|just|recently|finally|safely|successfully|already|being|felt|feel|feeling|well|so)\s+){{1,3}}(?:{CARE_VERBS})\b",
        0.85,
        "care_verb",
        inherent=True,
    ),
    # "when you came in", "you were here", "you spent three nights with us", "you gave birth"
    ContextRule.of(
        E,
        rf"\b(?:you|your\s+(?:[\w-]+\s+)?{REL}|{NAME})\s+(?:came\s+(?:in|into|to\s+(?:us|our|the|see))|were\s+(?:here|with\s+us|in\s+(?:our|the)|at\s+(?:our|the)|on\s+(?:our|the))|was\s+(?:here|with\s+us|in\s+(?:our|the)|at\s+(?:our|the))|visited\s+(?:us|our|the)|stayed\s+(?:with\s+us|in|at|on)|spent\s+[\w\s]{{1,20}}?\s+(?:with\s+us|here|in\s+(?:our|the)|at\s+(?:our|the)|on\s+(?:our|the))|checked\s+in|arrived|gave\s+birth|delivered|had\s+(?:your|a|the|his|her|their)\s+{FILLER}(?:baby|surgery|procedure|appointment|operation|c-section|scan|mri|treatment|visit|twins|babies))\b",
        0.85,
        "encounter",
        inherent=True,
    ),
    # "came back to visit the NICU", "your partner is still with us", "you were the patient who"
    ContextRule.of(
        E,
        rf"\b(?:com(?:e|ing)|came|return(?:ed|ing)?)\s+back\s+to\s+(?:visit|see|thank)\s+(?:us|our|the\s+{FILLER}{UNIT}|the\s+(?:team|nurses|staff))\b",
        0.75,
        "came_back_to_visit",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b(?:you|your\s+(?:[\w-]+\s+)?{REL}|he|she|{NAME})\s*(?:'re|'s|\s+is|\s+are)\s+(?:still\s+|now\s+)?(?:here\s+with\s+us|with\s+us|in\s+our\s+care|in\s+(?:our|the)\s+{FILLER}{UNIT})\b",
        0.8,
        "still_with_us",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b(?:you|he|she|your\s+(?:[\w-]+\s+)?{REL})\s*(?:'ve\s+been|'re|\s+were|\s+was|\s+are|\s+is|\s+have\s+been|\s+has\s+been)\s+(?:the|a|our|one\s+of\s+our)\s+(?:[\w-]+\s+){{0,3}}?patients?\b(?!\s+(?:experience|relations|advocate|portal|rights))",
        0.85,
        "you_were_the_patient",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b(?:you|you're|you\s+are|your\s+(?:[\w-]+\s+)?{REL}(?:\s+is)?|he's|she's|{NAME}\s+is)\s+(?:all\s+)?(?:set|scheduled|booked|confirmed|cleared|good\s+to\s+go|on\s+the\s+(?:schedule|list|books))\s+(?:for|on)\b",
        0.8,
        "all_set_for",
        inherent=True,
    ),
    ContextRule.of(
        E,
        r"\b(?:was|were|is|are|has\s+been|have\s+been)\s+(?:such\s+|truly\s+|an\s+absolute\s+)?(?:a|an)?\s*(?:\w+\s+)?(?:delight|joy|pleasure|honou?r|privilege|treat|inspiration|blessing)\s+to\s+(?:care\s+for|treat|have|meet|look\s+after|work\s+with|take\s+care\s+of|nurse|get\s+to\s+know)\b",
        0.8,
        "delight_to_care",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b{POSS}\s+(?:final|last)\s+(?:days|weeks|hours|moments|months|breaths?)\b",
        0.8,
        "final_days",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b(?:you|your\s+(?:[\w-]+\s+)?{REL}|he|she|{NAME})\s+(?:had|spent)\s+(?:[\w-]+\s+){{0,4}}?(?:nights?|days?|weeks?|time|stay|visit|wait|morning|evening|afternoon)\s+(?:with\s+us|here|in\s+(?:our|the)|at\s+(?:our|the)|on\s+(?:our|the))\b",
        0.8,
        "spent_time_here",
        inherent=True,
    ),
    # "we started you on", "looked after your grandmother", "the nurse who saw your dad", "had to reschedule you"
    ContextRule.of(
        E,
        rf"\b(?:(?:who|that)\s+(?:\w+\s+)?(?:saw|treated|examined|admitted|discharged|delivered|operated\s+on|cared\s+for|took\s+(?:(?:good|great|such|amazing|excellent|wonderful|special|extra|really)\s+){{0,2}}care\s+of|looked\s+after|stitched\s+up|triaged|checked\s+on)|cared\s+for|took\s+(?:(?:good|great|such|amazing|excellent|wonderful|special|extra|really)\s+){{0,2}}care\s+of|looked\s+after|nursed|(?:loved|enjoyed|liked)\s+(?:taking\s+care\s+of|caring\s+for|looking\s+after|treating|nursing)|operated\s+on|stitched\s+up|rescheduled|re-scheduled|billed|overcharged|clears|cleared|readmitted|discharged|transferred|x-rayed|casted|intubated|sedated|induced|started|switched|weaned|referred|had\s+to\s+(?:reschedule|move|transfer|admit|sedate|intubate|bill|cancel|reschedule|restart|send))\s+(?:you|your\s+(?:[\w-]+\s+)?{REL}|him|her|{NAME})\b(?!\s+(?:a|an)\s+(?:dm|message|email|note|link|letter))",
        0.8,
        "care_object",
        inherent=True,
    ),
    # "visit your dad on 7 North", "She's moved from the ICU", "recovering on 8 North"
    ContextRule.of(
        E,
        rf"\b(?:on|in|up\s+on|to|from|onto|off|out\s+of|back\s+on|over\s+on)\s+(?:the\s+|our\s+)?(?:{FILLER}(?:floor|unit|ward|wing)|[0-9]{{1,2}}\s?(?:west|east|north|south)\b|[a-z]*icu\b|{UNIT_NAMES_INPATIENT})",
        0.75,
        "person_on_unit",
    ),
    # "sorry the IV took so many tries", "glad the discharge went smoothly", "hope the new inhaler is making..."
    ContextRule.of(
        E,
        rf"\b(?:sorry|glad|happy|relieved|thrilled|hope|hoping|great\s+to\s+hear|good\s+to\s+hear"
        r"|how\s+(?:hard|tough|difficult|scary|frightening|frustrating|painful|exhausting|rough|stressful|upsetting))"
        rf"\s+(?:that\s+|to\s+hear\s+(?:that\s+)?|about\s+|for\s+)?(?:the|your|his|her|those|that|this|our|a|an)\s+{FILLER}(?:{CARE}|{CLIN})\b{NOT_A_CONDITION}",
        0.75,
        "affect_about_care",
        inherent=True,
    ),
    ContextRule.of(
        E,
        r"\bcan'?t\s+wait\s+to\s+(?:meet|see|hold|welcome)\s+(?:your|this|the|that|their|his|her)\s+(?:little\s+one|baby|babies|twins|newborn|bundle|little\s+(?:guy|girl|man|lady))",
        0.75,
        "meet_the_baby",
        inherent=True,
    ),
    ContextRule.of(
        E,
        r"\bwelcome\s+(?:back|home)\b(?!\s+(?:to\s+(?:campus|work|the\s+team|school)|,?\s*(?:dr|nurse)\b))|\bwelcome\s+to\s+the\s+world\b",
        0.7,
        "welcome_back",
        inherent=True,
    ),
    # "our patient", "a former patient", "our NICU grad"
    ContextRule.of(
        E,
        r"\b(?:our|former|favorite|bravest|youngest|oldest)\s+(?:[\w-]+\s+){0,3}?(?:patient|grad|graduate|warrior)\b(?!s)(?!\s+(?:and|&)\s+famil)(?=\s*(?:[.,!?;:)\u2014\u2013-]|$|\s(?:who|that|was|is|has|had|and|from|in|on|at|with|for|since|of|to|this|last|here|named|ever)\b))",
        0.75,
        "our_patient",
        inherent=True,
    ),
    # "we reviewed your chart", "our billing team found your claim"
    ContextRule.of(
        E,
        rf"\b(?:we|i|our\s+(?:[\w-]+\s+)?(?:team|staff|office|department|folks|nurses|doctors))\s+(?:(?:have|'ve|just|already|went\s+ahead\s+and|did|quickly)\s+)*(?:reviewed|pulled\s+up|pulled|checked|looked\s+(?:at|into|over)|opened|located|found|updated|corrected|adjusted|processed|resubmitted|refunded|waived|fixed|escalated|flagged|forwarded|mailed|confirmed|verified|see|saw|noticed|researched|investigated|reached\s+out\s+about|called\s+about)\s+(?:(?:up|over|into|through|at|on)\s+)?(?:your|his|her|the\s+patient'?s?)\s+{FILLER}(?:chart|record|records|file|account|bill|statement|claim|case|results|labs|appointment|visit|referral|prescription|authorization|balance|charges|imaging|scans?|x-rays?|notes|history|insurance|stay|care)\b",
        0.9,
        "records_reviewed",
        inherent=True,
    ),
    # "the team who cared for your dad", "we loved taking care of you"
    ContextRule.of(
        E,
        rf"\b(?:we|our\s+(?:[\w&-]+\s+){{0,2}}?(?:team|teams|staff|nurses|doctors|providers|unit|crew|caregivers|folks|family|midwives|therapists)|the\s+(?:[\w&-]+\s+){{0,2}}?(?:team|staff|nurses|crew|unit|doctors|folks|midwives))\s+(?:who\s+|that\s+)?(?:(?:all|really|so|truly|just|still)\s+)*(?:cared\s+for|took\s+(?:(?:good|great|such|amazing|excellent|wonderful|special|extra|really)\s+){{0,2}}care\s+of|looked\s+after|treated|delivered|welcomed|(?:loved|enjoyed|adored)\s+(?:caring\s+for|having|meeting|taking\s+care\s+of|getting\s+to\s+know|working\s+with)|(?:was|were)\s+(?:honored|honoured|privileged|blessed|happy|glad)\s+to\s+(?:care\s+for|treat|meet|have)|got\s+to\s+(?:know|meet|care\s+for)|(?:is|are)\s+(?:caring\s+for|taking\s+care\s+of|looking\s+after))\s+(?:you|your\s+(?:[\w-]+\s+)?{REL}|him|her|them|{NAME})\b",
        0.85,
        "cared_for",
        inherent=True,
    ),
    # wishes: "speedy recovery", "feel better soon", "hope you're healing well", "glad you're home"
    ContextRule.of(
        E,
        r"\b(?:speedy|quick|fast|smooth|full|easy|swift|continued)\s+(?:recovery|healing)\b|\bget\s+well\s+soon\b|\bfeel\s+better\s+soon\b|\bheal\s+(?:up\s+)?(?:quickly|soon|fast)\b|\bon\s+the\s+mend\b",
        0.7,
        "wish_recovery",
        inherent=True,
    ),
    ContextRule.of(
        E,
        rf"\b(?:hope|hoping|glad|happy|relieved|thrilled|so\s+good\s+to\s+hear|great\s+to\s+hear|good\s+to\s+hear|wonderful\s+to\s+hear)\s+(?:that\s+|to\s+(?:hear|see|know)\s+(?:that\s+)?)?(?:you|your\s+(?:[\w-]+\s+)?{REL}|he|she|they|{NAME})(?:'s|\s+is|\s+are|'re|\s+was|\s+were|\s+has|\s+have|\s+had)?\s+(?:(?:now|finally|safely|already|back|still|continuing\s+to|starting\s+to|been|getting)\s+)*(?:home|feeling|doing\s+(?:better|well|great|ok|okay)|recovering|healing|resting|on\s+the\s+mend|out\s+of\s+(?:the\s+)?(?:hospital|icu|nicu|surgery|the\s+woods)|discharged|cancer-free|in\s+remission|better|stronger|awake|walking|eating|breathing|settling\s+in)\b",
        0.75,
        "wish_wellbeing",
        inherent=True,
    ),
    ContextRule.of(
        E,
        r"\bhope\s+(?:the|your|his|her)\s+(?:new\s+)?(?:meds|medication|medicine|treatment|therapy|pain|inhaler|brace|cast|boot|physical\s+therapy|pt|recovery|healing|incision|stitches|knee|hip|shoulder|back|ankle|wrist)\s+(?:is|are)\s+(?:helping|working|easing|going|better|improving|healing|feeling)",
        0.75,
        "wish_treatment",
        inherent=True,
    ),
    # "see you at your appointment tomorrow", "your surgery is scheduled for"
    ContextRule.of(
        E,
        rf"\b(?:your|his|her)\s+{FILLER}(?:appointment|appt|surgery|procedure|follow-up|followup|visit|consult|mri|scan|infusion|delivery|induction|c-section|session|bill|claim|prescription|refill|results|labs|biopsy)\s+(?:is|are|was|were|has\s+been|have\s+been|'s)\s+(?:(?:now|all|still|officially|already)\s+)?(?:scheduled|booked|confirmed|moved|rescheduled|canceled|cancelled|set|ready|approved|denied|processed|pending|overdue|past\s+due|in\s+collections|on\s+hold|delayed|covered|paid|back|in|normal|abnormal|clear|negative|positive)\b",
        0.85,
        "care_status",
        inherent=True,
    ),
    # pronoun subjects: "she was admitted" (third party unless the draft is about the reader's family)
    ContextRule.of(
        THIRD,
        rf"\b(?:he|she)\s+(?:(?:was|is|had|has|been|got|just|also|already)\s+){{1,3}}(?:{CARE_VERBS})\b",
        0.75,
        "pronoun_care",
        inherent=True,
    ),
]

_RULES += [
    # An inpatient unit code next to a person: "your dad on 7 North", "the team on 2 East is pulling for him"
    ContextRule.of(
        E,
        r"\b(?:on|in|to|from|up\s+on|back\s+on)\s+(?:the\s+|our\s+)?(?:\d{1,2}\s?(?:west|east|north|south)\b"
        r"|\d{1,2}(?:st|nd|rd|th)\s+floor|(?:[\w-]+\s+)?(?:med-surg|medsurg|telemetry|step-down|mother-baby|postpartum)\s+(?:floor|unit))",
        0.7,
        "person_on_unit_code",
        inherent=True,
    ),
    ContextRule.of(
        E,
        r"\b(?:you|you're|you\s+are|he|he's|she|she's|they're)\s+(?:\w+\s+)?(?:up\s+and\s+(?:walking|about|around|moving)"
        r"|back\s+on\s+(?:your|his|her|their)\s+feet|walking\s+again|off\s+(?:the\s+)?(?:oxygen|ventilator|iv))\b",
        0.7,
        "recovery_milestone",
        inherent=True,
    ),
    # "your post-op appointment", "his chemo schedule": the modifier alone says this person is in care
    ContextRule.of(
        E,
        rf"\b{POSS}\s+(?:post-?op|pre-?op|post-?operative|pre-?operative|post-?surgical|discharge|follow-?up|chemo|dialysis"
        rf"|infusion|prenatal|postpartum|oncology|radiation|surgical|transplant|cardiac\s+rehab|wound\s+care)\s+{FILLER}{CARE}\b",
        0.8,
        "care_specific_possessive",
        inherent=True,
    ),
    # "your mom is resting comfortably in Room 512"
    ContextRule.of(
        E,
        rf"\b(?:you|you're|you\s+are|your\s+(?:[\w-]+\s+)?{REL}|he|she|{NAME})(?:'s|'re|\s+is|\s+are|\s+was|\s+were)?\s+"
        r"(?:resting|recovering|sleeping|staying|being\s+(?:monitored|observed|treated))"
        r"(?:\s+(?:comfortably|well|peacefully|safely))?\s+(?:in|on|at)\s+(?:room|rm|bed|our|the)\b",
        0.8,
        "resting_in_room",
        inherent=True,
    ),
]

_RULES += [
    # "we'll see you at your next check-in", "see you for your follow-up Tuesday"
    ContextRule.of(
        E,
        rf"\bsee\s+(?:you|him|her|them|your\s+(?:[\w-]+\s+)?{REL})\s+(?:again\s+)?(?:at|for|on|in)\s+(?:your|his|her|the|their)\s+{FILLER}(?:{CARE}|check-?in)\b",
        0.8,
        "see_you_at_appointment",
        strong=True,
    ),
    # "since he went home", "now that you're home", "your mom got home"
    ContextRule.of(
        E,
        rf"\b(?:you|you're|he|he's|she|she's|they|your\s+(?:[\w-]+\s+)?{REL}|{NAME})\s+(?:went|got|came|is|are|was|were|'s|'re|finally|safely|now|is\s+now|are\s+now)\s+(?:finally\s+|safely\s+|back\s+)?(?:home|discharged)\b(?!\s+(?:page|team|visits?\s+program))",
        0.7,
        "went_home",
    ),
    # "repairing your shoulder", "delivering your twins", "setting his arm"
    ContextRule.of(
        E,
        rf"\b(?:repairing|fixing|replacing|operating\s+on|treating|delivering|setting|casting|stitching(?:\s+up)?|scanning|x-raying|examining|caring\s+for)\s+(?:your|his|her)\s+(?:[\w-]+\s+)?(?:{BODY}|baby|babies|twins|little\s+one)\b",
        0.85,
        "treating_body_part",
        inherent=True,
    ),
    # "we see you at dialysis every week", "saw your dad in the ER": a person met at their care
    ContextRule.of(
        E,
        rf"\b(?:we|i|they|the\s+team|our\s+(?:[\w-]+\s+)?(?:team|staff|nurses?))\s+(?:\w+\s+)?(?:see|saw|seeing|meet|met)\s+(?:you|your\s+(?:[\w-]+\s+)?{REL}|him|her)\s+(?:at|in|on|during)\s+(?:the\s+|our\s+|your\s+|his\s+|her\s+)?{FILLER}(?:{CARE}|{CLIN}|{UNIT_NAMES_INPATIENT}|er|ed)\b{NOT_A_CONDITION}",
        0.75,
        "seen_at_care",
    ),
    # "we cancelled your 2pm", "moved your 9:30": an appointment by its time
    ContextRule.of(
        E,
        r"\b(?:cancell?ed|moved|rescheduled|re-scheduled|bumped|pushed|confirmed|booked)\s+(?:you|your|his|her)\s+(?:\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d\d)(?!\s+(?:class|session|seminar|webinar|tour|talk|event))",
        0.8,
        "appointment_by_time",
        inherent=True,
    ),
    # "as you start cycle two", "before her last round"
    ContextRule.of(
        E,
        r"\b(?:you|he|she|they)\s+(?:start|begin|finish|complete|started|began|finished|completed|head\s+into|go\s+into)\s+(?:your\s+|his\s+|her\s+|their\s+|the\s+)?(?:next\s+|last\s+|final\s+|first\s+)?(?:cycle|round|dose|session|week)\s+(?:\w+\s+)?(?:of\s+\w+|\d+|one|two|three|four|five|six)?",
        0.75,
        "treatment_cycle",
        inherent=True,
    ),
    # "ringing the bell after his last radiation treatment"; not the custom told of people in general
    # ("Why do patients ring the bell at the end of treatment?")
    ContextRule.of(
        E,
        r"(?<!patients )(?<!people )(?<!survivors )(?<!families )(?<!kids )(?<!children )"
        r"\b(?:ring(?:s|ing)?|rang)\s+the\s+(?:\w+\s+)?bell\b",
        0.75,
        "rang_the_bell",
        inherent=True,
    ),
    # A newborn's weight, "7 lbs 4 oz" or "8 pounds even", announces a birth; a threshold ("babies under
    # 5 lbs 8 oz") is education. Needs evidence (congratulations, a time, past tense) like any event.
    ContextRule.of(
        E,
        r"(?<!under )(?<!below )(?<!than )(?<!over )(?<!above )(?<!to )(?<!as )(?<!least )(?<!between )"
        r"\b\d{1,2}\s?(?:lbs?\.?|pounds?)(?:,?\s*(?:and\s+)?\d{1,2}(?:\.\d)?\s?(?:oz|ounces?)\b|\s+even\b)",
        0.75,
        "birth_weight",
    ),
]

_FAMILY = re.compile(rf"\b(?:your|ur)\s+(?:[\w-]+\s+)?{REL}\b", re.IGNORECASE)


class RelationshipRecognizer(ContextRecognizer):
    """Confirmation that a person is or was a patient, stated as fact (not as advice or a condition)."""

    def __init__(self) -> None:
        super().__init__("RelationshipRecognizer", list(_RULES))

    def accept(self, rule, match, evidence):  # type: ignore[no-untyped-def]  # noqa: D102
        if not name_slots_hold_names(match):
            return False
        if rule.name == "welcome_back" and COLLEAGUE_NEWS.search(evidence.text):
            return False  # "Welcome back to the unit, Carol! Our favorite travel nurse...": a colleague
        if rule.name in {"person_on_unit", "person_on_unit_code"}:
            # Someone must be placed there (a person word in the sentence), and not a staff member.
            before = evidence.text[max(0, match.start() - 30) : match.start()]
            if _STAFF_BEFORE.search(before):
                return False
            if _GROUP_BEFORE.search(before):
                return False  # "cards for the kids on our pediatric floor": people in general
            if _TEAM_AFTER.match(evidence.text, match.end()):
                return False  # "pass your kind words to the 6 East cardiac team": a unit's staff
            if _AMENITY_BEFORE.search(before):
                # "our new family lounge on the 6th floor": a place in the building, not a patient
                return False
            if _VISITS_BEFORE.search(before) and not self.in_sentence(_FAMILY, match, evidence):
                return False  # "Visiting hours on 6 West run 8 to 8": the unit's rules, no relative of the reader's
            if self.in_sentence(_UNIT_RANGE, match, evidence):
                return False  # "From the ICU to the dialysis unit to L&D": every unit, nobody in particular
            return self.in_sentence(_PERSON_WORD, match, evidence)
        return True

    def entity_for(self, rule, match, text):  # type: ignore[no-untyped-def]  # noqa: D102
        if rule.name == "pronoun_care" and _FAMILY.search(text):
            return E
        return rule.entity
