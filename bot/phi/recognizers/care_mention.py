"""A broad net under the specific rules: a person and their care in one factual sentence.

"Kyle's mom, the team is pulling for him during rehab from the spinal cord injury" matches no single
construction, yet it names a person and their care. This recognizer reports a sentence that refers
to a specific person (you/your, he/she/him/her, a relative, or a name the model tags PERSON) *and*
mentions care (a care verb or a clinical term), when the sentence states a fact (past tense, a time,
sympathy or wishes) and is not generic advice. Its confidence is lower than the specific rules'.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from bot.phi import lexicon as lx
from bot.phi.categories import Category
from bot.phi.recognizers.base import make_result
from bot.phi.recognizers.patterns import CARE_VERBS, CLIN, GROUP_OBJECT, NOT_A_CONDITION, REL
from bot.phi.sentences import Evidence

E = str(Category.PATIENT_RELATIONSHIP)

_PERSON = re.compile(
    rf"\b(?:you|your|you're|you've|he|she|him|his|her|he's|she's|(?:your|ur)\s+{REL}|mom|dad|mama|papa|grandma|grandpa|nana"
    r"|(?:a|the|that|this)\s+(?:young\s+|elderly\s+|older\s+)?(?:gentleman|man|woman|lady|girl|boy|child|teen|patient|baby|toddler|infant|little\s+one|kid))\b",
    re.IGNORECASE,
)
_CARE = re.compile(rf"\b(?:{CARE_VERBS}|{CLIN}|{lx.alt(lx.RECOVERY)}){NOT_A_CONDITION}\b", re.IGNORECASE)


class CareMentionRecognizer(LocalRecognizer):
    """Sentences that tie a specific person to care, stated as fact."""

    def __init__(self) -> None:
        super().__init__(supported_entities=[E], name="CareMentionRecognizer", supported_language="en")

    def load(self) -> None:  # noqa: D102
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Report the care mention of each factual sentence that also names a person."""
        evidence = Evidence.of(text, nlp_artifacts)
        people = [(e.start_char, e.end_char) for e in nlp_artifacts.entities if e.label_ == "PERSON"]
        results = []
        for s_start, s_end in evidence.sentences:
            if evidence.generic_sentence(s_start, s_end) or _about_a_clinician(text, s_start, s_end):
                continue
            if _STAFFING.search(text, s_start, s_end):
                continue  # "Our NICU is lucky to have you on the night shift": a new colleague
            for care in _CARE.finditer(text, s_start, s_end):
                if _OFFERED.search(text, max(s_start, care.start() - 30), care.start()):
                    continue  # "the free blood pressure checks": a service on offer, not someone's care
                if _generic_subject(text, s_start, care.start(), care.end()):
                    continue
                if _PASSED_TO.search(text, max(s_start, care.start() - 60), care.start()):
                    continue  # "we've shared your kind words with our cath lab team": thanks passed on
                if GROUP_OBJECT.match(text, care.end()):
                    continue  # "she cared for heart attack and bypass patients": people in general
                if _names_a_thing(text, care.start(), care.end()):
                    continue  # "the diabetes cooking class", "our hospice chaplain": an event, a job
                c_start, c_end = evidence.clause(care.start(), care.end())
                if _ANIMAL.search(text, max(0, s_start - 200), s_end) and not _SECOND_PERSON.search(
                    text, s_start, s_end
                ):
                    break  # "Meet Luna, the facility dog ... She's trained": an animal, not a patient
                has_person = _PERSON.search(text, c_start, c_end) or any(
                    c_start <= a < c_end for a, _ in people
                )
                verdict = evidence.judge(care.start(), care.end(), inherent=True)
                if has_person and not verdict.generic and evidence.evidence_near(care.start(), care.end()):
                    results.append(make_result(self, E, care.start(), care.end(), 0.6, "person_and_care"))
                    break
        return results


_ANIMAL = re.compile(
    r"\b(?:dog|pup|puppy|cat|kitten|horse|pony|mascot|facility\s+dog|therapy\s+dog)\b", re.IGNORECASE
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you've)\b", re.IGNORECASE)
# Just before a care word: a service on offer ("the free blood pressure checks") or a gift to a unit
# ("the donation to our NICU"), not someone's care.
_OFFERED = re.compile(
    r"\b(?:(?:free|no-cost|low-cost|walk-in)\s+(?:[\w-]+\s+)?|(?:donations?|gifts?|donated|gave)\s+(?:\w+\s+)?(?:to|for)\s+(?:our|the)\s+)$",
    re.IGNORECASE,
)
# Thanks passed on to a team of ours: the care word names the team ("your kind words with our cath lab
# team", "passing this along to our Hem/Onc crew"), it is nobody's care.
_PASSED_TO = re.compile(
    r"\b(?:shar|pass|forward|sen[dt]|giv|show)\w*\s+(?:(?:your|the|this|these|those|such|all\s+(?:the|your))\s+)?"
    r"(?:(?:kind|sweet|lovely|generous|warm|nice|wonderful)\s+)?(?:words?|notes?|messages?|reviews?|feedback|praise"
    r"|thanks|compliments?|love|shout-?outs?|comments?|post|it|this|that)\s+(?:along\s+|on\s+)?(?:to|with)\s+"
    r"(?:all\s+of\s+)?(?:our|the)\s+(?:[\w/&-]+\s+){0,2}$",
    re.IGNORECASE,
)
_CLINICIAN = re.compile(
    r"\b(?:dr|doctor|nurse|rn|md|np|pa-c|do|phd|surgeon|physician|oncologist|researcher)\b\.?", re.IGNORECASE
)


# A care word as the subject of a modal opens a statement about care in general: "Physical therapy can
# help you get back to ...", "Chemo may make you tired".
# A relative clause may come between ("Headaches that wake you up at night should be checked") unless it
# tells of someone's own past ("Headaches that started after your fall").
_MODAL_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,2}?(?P<relative>\s+(?:that|which)\b[^.!?;]{0,80}?)?"
    r"\s+(?:can|could|may|might|should|must|will|often|usually)\b",
    re.IGNORECASE,
)
_OWN_PAST = re.compile(r"\b(?:your|his|her|their|ur)\b", re.IGNORECASE)
_OPENER = re.compile(r"^[\W\d]*(?:(?:and|but|so|also|yes|no|plus)\W+)?$", re.IGNORECASE)


def _generic_subject(text: str, s_start: int, start: int, end: int) -> bool:
    """The care word opens its sentence and a modal follows it."""
    if not _OPENER.match(text[s_start:start]):
        return False
    modal = _MODAL_AFTER.match(text, end)
    return bool(modal) and not _OWN_PAST.search(modal.group("relative") or "")


# A care word that modifies the name of an event or a piece of content ("the pet therapy fundraiser",
# "our kidney stone explainer", "the diabetes cooking class") is about that thing, not anyone's care;
# unless the thing is someone's own ("your physical therapy class"). A team is not such a thing: "the
# cath lab team wishes you the best" after "the heart attack" is still someone's care.
_THING_AFTER = re.compile(
    r"\s+(?:(?!(?:this|that|last|next|every|each)\b)[\w-]+\s+)?(?:class(?:es)?|course|workshop|seminar|talk"
    r"|lecture|webinar|fundraiser|gala|walk|run|5k|race|fair|drive|explainer|video|guide|blog|article|podcast"
    r"|series|awareness|club|booth|tour|open\s+house"
    # things made or given for a unit: "150 preemie hats", "chemo comfort bags"
    r"|hats|caps|blankets|quilts|onesies|outfits|clothes|diapers|socks|kits|bags|totes|packs|books|toys)\b",
    re.IGNORECASE,
)
_OWNED_BEFORE = re.compile(r"\b(?:your|ur|his|her|their|my)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


# Likewise a care word before a staff role names the job ("our hospice chaplain", "the NICU social
# worker"), unless the role is someone's own ("your oncology nurse"). Care verbs elsewhere still count.
_ROLE_AFTER = re.compile(
    r"\s+(?:chaplains?|social\s+workers?|nurses?|doctors?|physicians?|surgeons?|therapists?|pharmacists?"
    r"|dietitians?|navigators?|coordinators?|educators?|specialists?|counselors?|psychologists?|midwives|midwife"
    r"|doulas?|aides?|volunteers?|techs?|technicians?|managers?|directors?|staff(?:ers)?)\b",
    re.IGNORECASE,
)


def _names_a_thing(text: str, start: int, end: int) -> bool:
    """The care word at [start, end) modifies an event, a piece of content or a staff role of nobody's own."""
    modified = _THING_AFTER.match(text, end) or _ROLE_AFTER.match(text, end)
    return bool(modified) and not _OWNED_BEFORE.search(text, max(0, start - 30), start)


# A sentence about a new colleague: "lucky to have you on the night shift", "join our ICU team", "hiring".
_STAFFING = re.compile(
    r"\b(?:new\s+(?:job|role|position|hires?)|(?:we're|we\s+are|now|still)\s+hiring"
    r"|have\s+you\s+(?:on|join)\s+(?:the|our)\s+(?:[\w-]+\s+){0,2}(?:team|shift|staff|crew)"
    r"|join(?:s|ed|ing)?\s+(?:the|our)\s+(?:[\w-]+\s+){0,2}(?:team|staff|crew))\b",
    re.IGNORECASE,
)


def _about_a_clinician(text: str, start: int, end: int) -> bool:
    """Staff news ("Dr. Tanabe ... her grant to study leukemia"): a clinician, and no "you", in the sentence."""
    return bool(_CLINICIAN.search(text, start, end)) and not _SECOND_PERSON.search(text, start, end)
