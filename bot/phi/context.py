"""Turn recognizer output into findings: context decides whether a name, date or number is PHI.

The same name, date or number is harmless in one reply and a disclosure in another. A candidate
becomes a finding when it is tied to someone's care (the draft discloses care: relationship,
clinical detail, a third party or staff recollection) or when its wording makes it personal ("your
cell", "we called you at"); it is dropped when it is the hospital's own (allow-listed, or introduced
as "call us at", "our address") or when nothing ties it to care.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult

from bot.phi.allowlist import AllowList
from bot.phi.categories import TIER, Category, Tier
from bot.phi.recognizers import contact, dates, names, patterns, places
from bot.phi.result import Finding
from bot.phi.sentences import Evidence

_F = re.IGNORECASE

_CONTEXT = {c for c, tier in TIER.items() if tier is Tier.CONTEXT}
_DIRECT = {str(c) for c, tier in TIER.items() if tier is Tier.DIRECT}

# The hospital introducing its own contact details: "call us at", "our main line", "Patient Relations at".
_HOSPITAL_CUE = re.compile(
    r"\b(?:us|our|we|call|contact|reach\s+out|dial|hotline|line|office|desk|department|dept|clinic|center|team|toll[\s-]?free"
    r"|relations|experience|scheduling|appointments|visit|website|located|address|campus|directions|info|information|rsvp"
    r"|register|registration|volunteer|foundation|hr|careers|press|media|ask\s+for|main)\b",
    _F,
)
_PERSONAL_CUE = re.compile(
    r"\b(?:your|his|her|patient'?s?)\s+(?:own\s+|personal\s+|home\s+|cell\s+|mobile\s+|work\s+)?(?:phone|number|cell|mobile|home|email|e-mail|address|fax|house|apartment|street|profile|account|page|handle|ip)\b"
    r"|\b(?:called|texted|emailed|e-mailed|reached|contacted|mailed|sent|faxed|left\s+(?:a\s+)?(?:voicemail|message))\s+(?:you|him|her|them"
    r"|your\s+(?:husband|wife|partner|spouse|mom|mother|dad|father|son|daughter|sister|brother|parents?|family))\b"
    r"|\b(?:nurse|therapist|aide|courier|driver|we)\s+(?:will\s+|'ll\s+)?(?:stop\s+by|come\s+by|visit\s+you\s+at|drop\s+(?:it\s+)?off\s+at)\s*$"
    r"|\b(?:reach|contact|call|text|email|mail|ring)\s+(?:you|him|her)\s+(?:\w+\s+){0,2}?(?:at|on)\b"
    r"|\b(?<!be\s)(?:called|texted|dialed|tried|rang)\s*(?:you\s+)?(?:at\s+|on\s+)?\(?$"
    r"|\b(?:emailed|e-mailed|sent|mailed|forwarded|faxed|went|goes|going)\s+(?:[\w-]+\s+){0,4}?to\s*$|\bfrom\s+(?:fax\s+)?(?:number\s+)?\(?$"
    r"|\b(?:you|he|she|they)\s+(?:live|lives|lived)\b|\bon\s+file\b|\bwe\s+have\s+(?:you|your|him|her)\b",
    _F,
)
_ROLE_EMAIL = re.compile(
    r"^(?:info|contact|help|support|patient[._-]?(?:relations|experience|advocacy|advocate|services|financial)|feedback"
    r"|press|media|social|billing|records|medical[._-]?records|hr|jobs|careers|volunteer\w*|foundation|privacy|compliance"
    r"|questions|appointments?|scheduling|customer\w*|service|experience|advocate|communications|marketing|news|web"
    r"|admin|office|pharmacy|giving|donate|events?|community|wellness|education|classes|nurse\w*|\w*team|hello|ask\w*"
    r"|care|frontdesk|reception|clinic|noreply|no-reply|digital)@",
    _F,
)
_PERSONAL_URL = re.compile(
    r"[?&](?:id|mrn|patient\w*|pt|token|user\w*|acct|account|member|dob|ssn|name)=|(?:facebook|instagram|twitter|x|tiktok|linkedin)\.com/(?!(?:hashtag|events|groups|pages|company|school)\b)[\w.-]+"
    r"|(?:drive\.google|dropbox|box|photos\.google|imgur|flickr)\.com/|(?:caringbridge|gofundme|mealtrain|carepages|lotsahelpinghands|givesendgo)\.(?:org|com)/",
    _F,
)
# A fundraiser or a care journal is one person's page, whatever the draft says around it.
_PERSON_PAGE = re.compile(
    r"(?:caringbridge|gofundme|mealtrain|carepages|lotsahelpinghands|givesendgo|fundly|spotfund)\.(?:org|com)/",
    _F,
)
_CLINICIAN_BEFORE = re.compile(
    r"\b(?:dr|doctor|nurse|np|pa|rn|prof|professor|chaplain|midwife|pastor|rev|coach|therapist|surgeon|physician"
    r"|colleague|volunteer|ceo|president|director|manager|captain|officer|chef|resident|fellow|intern|tech|technician"
    r"|cna|paramedic|emt|pharmacist|dietitian|doula|lactation\s+consultant|our\s+own|team\s+member|employee|staff)\.?\s+$",
    _F,
)
_CLINICIAN_AFTER = re.compile(
    r"^,?\s*(?:md|do|rn|np|pa-c|pa|cnm|phd|dds|dmd|pharmd|msn|bsn|lpn|crna|facs|dnp|aprn|msw|lcsw|cna|pt|ot|slp|mph|mba|facog|faap|facc)\b"
    r"|^,?\s*(?:[\w-]+\s+){0,2}?(?:secretary|clerk|manager|director|educator|coordinator|supervisor|chaplain|volunteer|nurse|physician|surgeon|therapist|technician|pharmacist|midwife|dietitian|chef|officer|aide|specialist|navigator|administrator|ceo|president|founder)\b"
    r"|^,?\s*(?:(?:one\s+of\s+)?our\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:nurses?|doctors?|physicians?|surgeons?|techs?|therapists?|team|staff|volunteers?|chaplains?|midwives|midwife|employees?|pharmacists?|colleagues?|providers?|leaders?|manager|director)"
    r"|from\s+our\s+|on\s+our\s+|who\s+(?:works|leads|runs|manages|joined)|(?:is|was)\s+(?:our|a)\s+(?:new\s+)?(?:[\w-]+\s+)?(?:nurse|doctor|physician|surgeon|director|manager|volunteer|chaplain|leader|employee))",
    _F,
)
_ORG_AFTER = re.compile(
    r"^\s*(?:'s\s+)?(?:hospital|medical|center|centre|health|healthcare|clinic|foundation|pavilion|wing|building|institute"
    r"|campus|children'?s|regional|university|memorial|street|st\b|avenue|ave\b|road|rd\b|hall|house|park|county|valley"
    r"|heart|cancer|women'?s|family|community|medicine|care|road|garage|lot|auditorium|room|award|scholarship|fund)"
    r"|^\s+of\s+(?:the\s+)?(?-i:[A-Z])",  # "Friends of Mercy", "Knights of Columbus": an organization
    _F,
)
# Words the statistical model now and then tags PERSON on their own that are never a name: the greetings,
# and the chat interjections around them. Words that can be both ("Hope", "June", "Will") are left to it.
_LONE_NOT_NAMES = patterns.GREETINGS | {"awww", "omg", "lol", "cheers", "kudos", "hugs", "xoxo"}
_SIGN_OFF_BEFORE = re.compile(
    r"(?:^|[\n\-–—~^/|]|\b(?:best|thanks|warmly|sincerely|cheers|regards|love|xo),?)\s*$", _F
)
_UNIT_LIKE = re.compile(r"^\d{1,2}\s?(?:west|east|north|south|[a-z])$|^\d{1,2}(?:st|nd|rd|th)\s+floor$", _F)
_PRONOUN = re.compile(r"\b(?:you|your|you're|his|her|their|he|she|him)\b", _F)
_NOT_PATIENT_ROOM = re.compile(
    r"\b(?:conference|class|classroom|meeting|community|board|training|education|auditorium|waiting|family|break|office|building|suite|lobby|chapel|gift)\b[^.!?]{0,25}$",
    _F,
)
# A room numbered inside a named building or centre of ours: "Wellness Center Room 118", "Mercy Pavilion
# Room 2" (a capitalised name right before "Room"), not a patient's room.
_FACILITY_ROOM = re.compile(
    r"(?-i:[A-Z][\w'’-]*\s+)(?-i:Center|Centre|Pavilion|Hall|Building|Institute|Tower|Annex|Library)\s+"
    r"(?:room|rm\.?)\s*#?\s*$",
    _F,
)
_PATIENT_PLACE = re.compile(r"^(?:bed|bay|chair|pod|bassinet|isolette|crib)\b", _F)
_DURATION = re.compile(
    r"^(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few|many|\d+-\d+)\s+(?:minutes?|hours?|hrs?|days?|weeks?|months?|years?|nights?)$"
    r"|^(?:daily|weekly|monthly|annually|every\s+\w+|each\s+\w+|24/7|\d{4}|the\s+\w+s|this\s+year|last\s+year|next\s+year|years?|decades?|all\s+year)$",
    _F,
)


@dataclass(frozen=True)
class _Span:
    entity: str
    start: int
    end: int
    score: float
    source: str


class Resolver:
    """Applies context and allow-lists to one draft's raw recognizer results."""

    def __init__(self, text: str, evidence: Evidence, allow: AllowList) -> None:
        self.text = text
        self.evidence = evidence
        self.allow = allow
        self.allowed_spans = allow.spans(text)

    def resolve(self, raw: Iterable[RecognizerResult]) -> list[Finding]:
        """Findings for the draft, ordered by position."""
        spans = [_span(r) for r in raw]
        context = [s for s in spans if s.entity in _CONTEXT]
        self.care_sentences = {self.evidence.sentence(s.start) for s in context}
        self.care_in_draft = bool(context)
        findings = [self._finding(Category(s.entity), s) for s in context]
        for span in spans:
            if span.entity in _CONTEXT:
                continue
            category = self._classify(span)
            if category is not None and not self._allow_listed(span):
                findings.append(self._finding(category, span))
        return _dedupe(findings)

    # -- classification of one candidate -------------------------------------------------------
    def _classify(self, span: _Span) -> Category | None:
        entity = span.entity
        if entity in _DIRECT:
            return Category(entity)
        handler = _HANDLERS.get(entity)
        return handler(self, span) if handler else None

    def _person(self, span: _Span) -> Category | None:
        value = self.text[span.start : span.end]
        if not any(ch.islower() for ch in value) or len(value) < 2 or not value[:1].isupper():
            return None
        if value.lower() in _LONE_NOT_NAMES:
            return None  # the model's PERSON on "Congrats" or "Thanks": a greeting, not a name
        before = self.text[max(0, span.start - 40) : span.start]
        after = self.text[span.end : span.end + 60]
        if _CLINICIAN_BEFORE.search(before) or _CLINICIAN_AFTER.search(after) or _ORG_AFTER.search(after):
            return None
        if self._is_sign_off(span, before):
            return None
        return Category.NAME if self.care_in_draft else None

    def _is_sign_off(self, span: _Span, before: str) -> bool:
        tail = self.text[span.end :].strip(" .!)\n\t")
        return len(tail) <= 20 and bool(_SIGN_OFF_BEFORE.search(before)) and "\n" not in tail

    def _date(self, span: _Span) -> Category | None:
        if span.entity == dates.DOB:
            return Category.DATE
        if span.entity == dates.AGE_OVER_89:
            return Category.DATE if self.care_in_draft else None
        value = self.text[span.start : span.end].strip()
        if _DURATION.match(value) or _UNIT_LIKE.match(value) or not self._in_care_sentence(span):
            return None
        return Category.DATE

    def _phone(self, span: _Span) -> Category | None:
        before = self._before(span, 50)
        fax = bool(re.search(r"\bfax\b", before[-30:], _F))
        if self.allow.phone_allowed(self.text[span.start : span.end]):
            return None
        if fax and not re.search(r"\b(?:us|our)\b", before[-30:], _F) and self.care_in_draft:
            return Category.FAX_NUMBER
        personal = self._personal(span, before)
        return (Category.FAX_NUMBER if fax else Category.PHONE_NUMBER) if personal else None

    def _email(self, span: _Span) -> Category | None:
        value = self.text[span.start : span.end]
        if self.allow.domain_allowed(value):
            return None
        before = self._before(span, 50)
        if _PERSONAL_CUE.search(before):
            return Category.EMAIL_ADDRESS
        if _ROLE_EMAIL.match(value):
            return None
        return Category.EMAIL_ADDRESS if self._personal(span, before) else None

    def _url(self, span: _Span) -> Category | None:
        value = self.text[span.start : span.end]
        if self.allow.domain_allowed(value):
            return None
        before = self._before(span, 50)
        if _PERSONAL_CUE.search(before) or _PERSON_PAGE.search(value):
            return Category.URL
        if self.care_in_draft and _PERSONAL_URL.search(value):
            return Category.URL
        return None

    def _handle(self, span: _Span) -> Category | None:
        # An @mention next to care details singles the patient out; an @mention of a thank-you does not.
        return Category.UNIQUE_IDENTIFIER if self._in_care_sentence(span) else None

    def _address(self, span: _Span) -> Category | None:
        return Category.GEOGRAPHIC_LOCATION if self._personal(span, self._before(span, 50)) else None

    def _room(self, span: _Span) -> Category | None:
        before = self._before(span, 40)
        label = self.text[max(0, span.start - 12) : span.start].split()
        if _NOT_PATIENT_ROOM.search(before):
            return None
        if _FACILITY_ROOM.search(before) and not _PRONOUN.search(before):
            return None
        # A bed, bay or dialysis chair is only ever a patient's; a room may be a classroom or an office.
        if label and _PATIENT_PLACE.match(label[-1]) and _PRONOUN.search(self.text):
            return Category.GEOGRAPHIC_LOCATION
        if (
            self._in_care_sentence(span)
            or _PRONOUN.search(before)
            or (self.care_in_draft and _PRONOUN.search(self.text))
        ):
            return Category.GEOGRAPHIC_LOCATION
        if re.search(
            r"\b(?:meals?|trays?|belongings|left\s+in|nurse|call\s+light|visitors?|discharge|dinner|breakfast|lunch)\b",
            self.text,
            _F,
        ):
            return Category.GEOGRAPHIC_LOCATION
        return None

    def _residence(self, span: _Span) -> Category | None:
        return Category.GEOGRAPHIC_LOCATION if self.care_in_draft else None

    # -- helpers -----------------------------------------------------------------------------------
    def _personal(self, span: _Span, before: str) -> bool:
        """Personal wording wins; the hospital's wording loses; otherwise care in the draft decides."""
        if _PERSONAL_CUE.search(before):
            return True
        if _HOSPITAL_CUE.search(before[-40:]):
            return False
        return self.care_in_draft

    def _before(self, span: _Span, width: int) -> str:
        s_start, _ = self.evidence.sentence(span.start)
        return self.text[max(s_start, span.start - width) : span.start]

    def _in_care_sentence(self, span: _Span) -> bool:
        return self.evidence.sentence(span.start) in self.care_sentences

    def _allow_listed(self, span: _Span) -> bool:
        return any(start < span.end and span.start < end for start, end in self.allowed_spans)

    @staticmethod
    def _finding(category: Category, span: _Span) -> Finding:
        return Finding(
            category=category, start=span.start, end=span.end, score=span.score, source=span.source
        )


_HANDLERS = {
    names.PERSON: Resolver._person,
    "DATE_TIME": Resolver._date,
    dates.DOB: Resolver._date,
    dates.AGE_OVER_89: Resolver._date,
    contact.PHONE: Resolver._phone,
    contact.EMAIL: Resolver._email,
    contact.URL: Resolver._url,
    contact.IP: lambda self, span: Category.IP_ADDRESS,
    contact.HANDLE: Resolver._handle,
    "CREDIT_CARD": lambda self, span: Category.ACCOUNT_NUMBER,
    places.ADDRESS: Resolver._address,
    places.ROOM: Resolver._room,
    places.RESIDENCE: Resolver._residence,
}


def _span(result: RecognizerResult) -> _Span:
    metadata = result.recognition_metadata or {}
    source = str(metadata.get("rule") or metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) or "")
    return _Span(result.entity_type, result.start, result.end, float(result.score), source)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (category, overlapping span): keep the longest, highest-scoring."""
    ordered = sorted(findings, key=lambda f: (f.category, f.start, -(f.end - f.start), -f.score))
    kept: list[Finding] = []
    for finding in ordered:
        previous = kept[-1] if kept else None
        if previous and previous.category == finding.category and finding.start < previous.end:
            if finding.end > previous.end:
                kept[-1] = Finding(
                    previous.category,
                    previous.start,
                    finding.end,
                    max(previous.score, finding.score),
                    "",
                    previous.source,
                )
            continue
        kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end, f.category))
