"""Shared regex pieces for the contextual recognizers, built from the lexicon."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from bot.phi import lexicon as lx

REL = lx.alt(lx.RELATIVES)
OTHERS = lx.alt(lx.OTHERS)
CARE = lx.alt(set(lx.CARE_NOUNS) - lx.WEAK_CARE_NOUNS | {"account"}) + r"(?:s|es)?"
WEAK = lx.alt(lx.WEAK_CARE_NOUNS)
UNIT = r"(?:" + lx.alt(lx.UNITS) + r"|" + lx.UNIT_CODE + r"|[a-z]*icu)"
CLIN = r"(?:" + lx.alt(lx.CLINICAL_TERMS) + r"|" + lx.DRUG_SUFFIX + r"|" + lx.CLINICAL_COMPOUNDS + r")"
# "stroke program", "cancer center": a clinical word naming a service, not a person's condition.
NOT_A_CONDITION = (
    r"(?!(?:\s+(?:and|&)\s+[\w-]+)?\s+(?:program|programs|team|teams|center|centre|unit|awareness|month|week|day|support|group|groups|class|classes"
    r"|clinic|services|department|research|fund|walk|run|education|prevention|specialists?|experts?|nurses?|doctors?"
    r"|survivors?|surgeons?|physicians?|providers?|partners?|services?|care\s+team|navigators?|institute|foundation|pavilion|building|tower|suite|patients|resources|series|fair|event|drive|screenings?|awards?|prizes?|honou?rs?|certifications?|therapists?|technologists?|techs?|pharmacists?|counselors?|researchers?|poles?)\b)"
)
# The draft is about the addressee's own work with us (a retirement, a farewell, a welcome to the team):
# "our team misses you" then speaks to a colleague, not a patient.
COLLEAGUE_NEWS = re.compile(
    r"\b(?:happy\s+retirement|retir(?:ing|ement)\s+(?:party|after|from)|your\s+retirement"
    r"|last\s+(?:day|shift)\s+(?:with|at|on)\s+(?:us|the\s+unit|the\s+team)|welcome\s+(?:back\s+)?to\s+the\s+team"
    r"|years\s+of\s+service|work\s+anniversary|(?:former\s+)?co-?workers?|colleagues?|travel\s+nurse|new\s+hires?)\b",
    re.IGNORECASE,
)
# A clinician's tally: "her 500th robotic knee replacement", "his 1,000th delivery" counts the work a
# clinician has done; nobody's own care comes in the hundreds.
TALLY = re.compile(
    r"\b(?:\d{1,3}(?:,\d{3})+|\d{3,})(?:st|nd|rd|th)\b|\b(?:hundredth|thousandth)\b", re.IGNORECASE
)
# People in general, counted or all of them: "thousands of kidney patients", "all our NICU families",
# "300 moms" (followed by "their treatments", the possessive is theirs, nobody in particular).
_GROUP = r"(?:patients|families|kids|children|babies|people|moms|mothers|parents|veterans|seniors|survivors|residents)"
CROWD = re.compile(
    rf"\b(?:thousands|hundreds|dozens|millions|lots|many|all|countless|every|\d[\d,]*\+?)\s+(?:of\s+)?"
    rf"(?:(?:our|the|these|those)\s+)?(?:[\w&-]+\s+){{0,2}}?{_GROUP}\b",
    re.IGNORECASE,
)
# A care word whose object is people in general: "cared for heart attack and bypass patients".
GROUP_OBJECT = re.compile(
    rf"\s+(?:(?!(?:your|ur|his|her|my|their)\b)[\w&-]+\s+){{0,4}}?{_GROUP}\b", re.IGNORECASE
)
# The addressee's part in a community event of ours: "Of course we remember you! You ran our 5K three
# years in a row" remembers a runner, not a patient.
COMMUNITY_EVENT = re.compile(
    r"\b(?:(?:5|10)\s?k|fun\s+run|charity\s+(?:run|walk|ride)|marathon|gala|golf\s+(?:outing|tournament)"
    r"|fundraiser|volunteer(?:s|ed|ing)?|health\s+fair|open\s+house|blood\s+drive|toy\s+drive)\b",
    re.IGNORECASE,
)
CARE_VERBS = lx.alt(lx.CARE_VERBS)
STAFF = lx.alt(lx.STAFF_ROLES)
WITNESS = lx.alt(lx.WITNESS_VERBS)
STAFF_CARE = lx.alt(lx.STAFF_CARE_VERBS)
# A capitalised word standing for a person; checked by ``is_name_word`` (the regexes are case-insensitive).
NAME = r"(?P<name>(?-i:[A-Z][a-z]+))"
# "your", "your mom's", "your little one's", "his", "her", "their", "Maria's"
POSS = rf"(?:(?:your|ur|yr)(?:\s+(?:[\w-]+\s+)?{REL}(?:'s|’s|s’|s')?)?|his|her|their|(?P<pname>(?-i:[A-Z][a-z]+))(?:'s|’s))"
# "you", "your dad", "he", "she", "they", "Maria"
SUBJECT = rf"(?:you|your\s+(?:[\w-]+\s+)?{REL}|he|she|they|{NAME})"
# Up to two words between a possessive and its noun ("your son's mild asthma"), but not a preposition or
# a conjunction: in "your patience during flu season" the flu is nobody's.
FILLER = (
    r"(?:(?!(?:during|with|for|at|in|on|to|from|about|after|before|through|throughout|and|or|but|because"
    r"|while|when|than|since|until|over|into)\b)[\w-]+\s+){0,2}?"
)

BODY = (
    r"(?:tonsils|adenoids|lungs?|heart|kidneys?|liver|brain|spine|hip|knee|knees|shoulder|ankle|wrist|arm|leg|back"
    r"|eyes?|ears?|teeth|tooth|skin|belly|tummy|stomach|bladder|bowels?|blood|bones?|collarbone|elbow|foot|feet"
    r"|hand|finger|toe|neck|jaw|nose|ribs?|pelvis|incision|stitches|cast|scar|wound)"
)

# Greetings and interjections a reply opens with ("Thanks, Jorge!", "Congrats!!"): never a first name.
GREETINGS = frozenset(
    {"thank", "thanks", "hi", "hello", "hey", "dear", "sorry", "congrats", "congratulations", "welcome"}
    | {"aww", "wow", "yay"}
)
_NOT_NAMES = GREETINGS | {
    word.lower()
    for word in (
        "Please",
        "Happy",
        "Glad",
        "Hope",
        "Best",
        "Great",
        "Good",
        "Love",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Today",
        "Tonight",
        "Yesterday",
        "Tomorrow",
        "God",
        "Patient",
        "Patients",
        "Nurse",
        "Doctor",
        "Team",
        "Everyone",
        "Visitors",
        "Parking",
        "Staff",
        "Hospital",
        "Health",
        "Care",
        "Emergency",
        "Baby",
        "Center",
        "Centre",
        "Clinic",
        "Medical",
        "Foundation",
        "System",
        "Network",
        "University",
        "Institute",
        "Department",
        "Unit",
        "County",
        "City",
        "State",
        "Regional",
        "Memorial",
        "Children",
        "Today's",
        "Alzheimer",
        "Parkinson",
        "Crohn",
        "Down",
        "Hodgkin",
        "Huntington",
        "Tourette",
        "Asperger",
        "Graves",
        "Hashimoto",
        "Bell",
        "Lou",
        "Gehrig",
        "Addison",
        "Cushing",
        "Kawasaki",
        "Lyme",
        "Meniere",
        "Yes",
        "No",
        "Oh",
        "Ha",
        "Absolutely",
        "Totally",
        "Proud",
    )
}


def is_name_word(word: str | None) -> bool:
    """A capitalised word that is not a common word: a plausible first name."""
    if word is None:
        return True
    lowered = word.lower()
    return (
        word[:1].isupper()
        and lowered not in STOP_WORDS
        and lowered not in _NOT_NAMES
        and not _is_participle(lowered)
    )


# First names that end like a participle; every other capitalised "-ing" word of six letters or more
# opens a sentence as a verb ("Living with diabetes?", "Dealing with back pain?").
_ING_NAMES = frozenset(
    {"irving", "sterling", "channing", "manning", "fleming", "browning", "harding", "darling", "redding"}
)


def _is_participle(lowered: str) -> bool:
    return len(lowered) >= 6 and lowered.endswith("ing") and lowered not in _ING_NAMES


# A care word, a unit or a service with "'s" is that service's, not a person's: "Cedar Fork Rehab's
# physical therapists", "Oncology's new wing".
_SERVICE_WORDS = frozenset(
    word.lower() for word in (*lx.CARE_NOUNS, *lx.UNITS, *lx.DEPARTMENT_DEFAULTS) if " " not in word
) | {
    "health",
    "hospital",
    "clinic",
    "center",
    "centre",
    "medical",
    "medicine",
    "pharmacy",
    "imaging",
    "rehab",
}


def name_slots_hold_names(match: re.Match[str]) -> bool:
    """True when the rule's ``name`` and ``pname`` slots (if any) hold plausible first names."""
    groups = match.groupdict()
    pname = groups.get("pname")
    if pname is not None and pname.lower() in _SERVICE_WORDS:
        return False
    return is_name_word(groups.get("name")) and is_name_word(pname)
