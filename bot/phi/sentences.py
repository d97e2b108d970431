"""Sentence-level evidence: whether a phrase states a real person's care or gives generic advice.

"Your surgery went well" states a fact; "Schedule your surgery consult today" and "If your surgery is
delayed, call us" do not. The contextual rules find a phrase; ``Evidence.judge`` then looks at its
clause and sentence: a conditional, an offer, an instruction or a modal verb before it makes it
generic; a past-tense verb, a time reference, sympathy or good wishes make it a statement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from bot.phi import lexicon as lx

_F = re.IGNORECASE

# Anywhere before the phrase in its clause: the clause is a condition or is about people in general.
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|in\s+case|should\s+you|should\s+your|whether|anyone|anybody|everyone|whoever|all\s+patients"
    r"|patients\s+who|people\s+who|those\s+who|someone|somebody|to\s+protect|tips?|ways\s+to|how\s+to|what\s+to"
    r"|(?:kids|children|people|patients|adults|women|men|folks|families|anyone)\s+(?:with|living\s+with))\b"
    r"|\b" + lx.PEOPLE_IN_GENERAL,
    _F,
)
# Right after the phrase, a passive instruction: "Your mammogram can be booked online in two minutes".
_PASSIVE_INSTRUCTION = re.compile(
    r"\W*(?:can|may)\s+(?:easily\s+|now\s+|also\s+|always\s+)?be\s+(?:booked|scheduled|rescheduled|requested"
    r"|made|changed|cancell?ed|paid|viewed|accessed|done)\b",
    _F,
)
# Close before the phrase (or inside it): "questions about your bill", "before your appointment", "your next visit".
_NEAR_GENERIC = re.compile(
    r"\b(?:any|questions?|concerns?|information|info|regarding|privacy|before|ahead\s+of|prior\s+to|every|each"
    r"|options|next|upcoming|annual|yearly|future|routine|regular)\b",
    _F,
)
# "your first visit" is advice; "your first night post-op was rough" is an event.
_FIRST = re.compile(r"\bfirst\b(?!\s+(?:birthday|steps?|words?|smile|bath|christmas|holiday))", _F)
_MODAL = re.compile(r"\b(?:can|may|might|will|would|should|must|could)\b|'ll\b|'d\b|\bable\s+to\b", _F)
_NEAR_WORDS = 6
_MODAL_WORDS = 2  # a modal makes a phrase generic only when it governs it ("we can review your bill")
_OFFER_NEAR = re.compile(r"\b(?:happy|glad|love|like|want|able|ready|here)\s+to\b", _F)
_ONGOING = re.compile(r"\b(?:still|now|currently|right\s+now|tonight|today)\b", _F)
_RECOMMEND = re.compile(
    r"\b(?:recommend\w*|advise[ds]?|encourage[ds]?|available|eligible|ever|usually|typically|often|most\s+people|many\s+people|common|normal\s+to)\b",
    _F,
)
_IMPERATIVE_VERBS = (
    r"schedule|book|request|access|view|manage|pay|track|find|log\s+in|sign\s+up|download|bring|prepare|plan"
    r"|consider|ask|call|contact|reach\s+out|message|dm|send|visit|get|keep|check|learn|discuss|share|talk"
    r"|protect|remember|take|join|register|update|review|complete|fill\s+out|use|see|let"
    r"|submit|email|text|stop\s+by|head|come|make|give|set\s+up|arrive|allow|expect|note|follow|read|pre-?register"
    r"|roll\s+up|grab|stop\s+in|drop\s+by|swing\s+by|mark|save|donate|spread"
    # "tell your nurse" is an instruction; "tell your mom the nurses miss her" carries a message to someone
    r"|(?:tell|show|inform|notify|alert)(?!\s+(?:him|her|them|(?-i:[A-Z][a-z]+)\b|your\s+(?:[\w-]+\s+)?"
    + lx.alt(lx.RELATIVES)
    + r"))"
)
_IMPERATIVE_START = re.compile(
    r"^\s*(?:(?:please|pls|just|also|always|and|so|then|now|simply|kindly|feel\s+free\s+to|be\s+sure\s+to|remember\s+to"
    rf"|don'?t\s+forget\s+to|make\s+sure\s+to|you\s+can|you\s+may|don'?t|do\s+not|never)\s+)*(?:{_IMPERATIVE_VERBS})\b",
    _F,
)
_INFINITIVE = re.compile(
    rf"\b(?<!glad\s)(?<!good\s)(?<!nice\s)(?<!great\s)(?<!happy\s)(?<!sorry\s)(?<!thrilled\s)(?<!excited\s)(?<!relieved\s)to\s+(?:{_IMPERATIVE_VERBS})\b",
    _F,
)
# A sentence that opens with a condition, or speaks of what usually happens, is advice: every clause of it.
_GENERIC_SENTENCE = re.compile(
    r"^\W*(?:if|unless|in\s+case|should\s+you|whether)\b|\b(?:generally|in\s+general|usually|typically|as\s+a\s+rule|on\s+average|most\s+people|many\s+people)\b"
    # a standing rule, "Your discharge papers should always have your name" (not "should never have happened")
    r"|\b(?:should|must)\s+(?:always|never)\b(?!\s+have\s+(?:been|had|gone|\w+ed)\b)",
    _F,
)
_WHEN = re.compile(r"\b(?:when|whenever|once|after|while|during)\b", _F)
_REFUSAL = re.compile(
    r"\b(?:can'?t|cannot|can\s+not|unable|not\s+able|won'?t|will\s+not)\s+(?:\w+\s+){0,2}?(?:discuss|share|comment|confirm|disclose|talk)",
    _F,
)

_AFFECT = re.compile(r"\b" + lx.alt(lx.AFFECT) + r"\b", _F)
# "happy to help", "glad to assist": offers, not feelings about an event.
_OFFER = re.compile(
    r"\b(?:happy|glad|delighted|thrilled|love|like|hope|wish|want|hoping)\s+to\s+(?!hear|see|know|learn|read|report|welcome|have\s+(?:had|cared|met))",
    _F,
)
_TIME = re.compile(
    r"\b"
    + lx.alt(lx.TIME_SPECIFIC)
    + r"\b|\b(?:on|last|this|next)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    _F,
)
_DATE_LIKE = re.compile(
    r"\b\d{1,2}/\d{1,2}\b|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    _F,
)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2014\u2013]|\s-\s|\bbut\b|\bso\b(?=\s+(?:that|we|you|i|he|she|they|it|please|let|our|your)\b)|\bthough\b|\balthough\b",
    _F,
)

# Past tense without a tagger: irregular forms by list, regular ones by their "-ed" ending.
_IRREGULAR_PAST = frozenset(
    [
        "was",
        "were",
        "been",
        "had",
        "did",
        "done",
        "went",
        "gone",
        "came",
        "got",
        "gotten",
        "took",
        "taken",
        "gave",
        "given",
        "saw",
        "seen",
        "felt",
        "left",
        "made",
        "said",
        "told",
        "found",
        "brought",
        "thought",
        "kept",
        "knew",
        "known",
        "ran",
        "began",
        "begun",
        "became",
        "sent",
        "spent",
        "held",
        "met",
        "stood",
        "lost",
        "paid",
        "heard",
        "meant",
        "sat",
        "won",
        "fell",
        "fallen",
        "broke",
        "broken",
        "wrote",
        "written",
        "drove",
        "driven",
        "ate",
        "eaten",
        "slept",
        "woke",
        "woken",
        "wore",
        "worn",
        "chose",
        "chosen",
        "grew",
        "grown",
        "threw",
        "thrown",
        "flew",
        "flown",
        "drew",
        "drawn",
        "shown",
        "born",
        "torn",
        "spoke",
        "spoken",
        "hid",
        "hidden",
        "forgot",
        "forgotten",
        "caught",
        "taught",
        "bought",
        "fought",
        "sought",
        "led",
        "fed",
        "bled",
        "dealt",
        "swept",
        "wept",
        "understood",
        "arrived",
        "rang",
        "rung",
        "sang",
        "sung",
        "swam",
        "swum",
        "struck",
        "stuck",
        "hung",
        "shook",
        "shaken",
        "rode",
        "ridden",
        "rose",
        "risen",
        "beat",
        "beaten",
        "bit",
        "bitten",
        "awoke",
        "lay",
        "laid",
    ]
)
_NOT_PAST_ED = frozenset(
    [
        "need",
        "bed",
        "red",
        "shed",
        "seed",
        "speed",
        "feed",
        "breed",
        "deed",
        "weed",
        "bleed",
        "greed",
        "hundred",
        "sled",
        "fled",
        "wed",
        "creed",
        "proceed",
        "exceed",
        "succeed",
        "indeed",
        "embed",
        "ted",
        "ed",
        "med",
        "meds",
        "steed",
        "tweed",
    ]
)


def is_past_form(word: str) -> bool:
    """A past-tense verb or participle: "went", "admitted", "seen" (adjectives in -ed count too)."""
    if word in _IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST_ED


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a matched phrase reads in its sentence."""

    generic: bool
    evidence: bool


class Evidence:
    """Per-draft view of sentences, clauses and past-tense verbs, computed once from the spaCy doc."""

    def __init__(self, text: str, doc: Any) -> None:
        self.text = text
        self.sentences: list[tuple[int, int]] = [(s.start_char, s.end_char) for s in doc.sents] or [
            (0, len(text))
        ]
        self._sentence_starts = [start for start, _ in self.sentences]
        self.past_offsets: list[int] = [token.idx for token in doc if is_past_form(token.lower_)]

    @classmethod
    def of(cls, text: str, nlp_artifacts: Any) -> Evidence:
        """The cached view for this doc (every contextual recognizer shares one)."""
        doc = nlp_artifacts.tokens
        cached = doc.user_data.get("phigate_evidence")
        if cached is None or cached.text is not text:
            cached = cls(text, doc)
            doc.user_data["phigate_evidence"] = cached
        return cached

    def sentence(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence containing ``offset``."""
        index = max(0, bisect_right(self._sentence_starts, offset) - 1)
        return self.sentences[index]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the clause around [start, end): bounded by commas, dashes, "but", sentences."""
        s_start, s_end = self.sentence(start)
        before = self.text[s_start:start]
        breaks = list(_CLAUSE_BREAK.finditer(before))
        c_start = s_start + breaks[-1].end() if breaks else s_start
        after = _CLAUSE_BREAK.search(self.text, end, s_end)
        c_end = after.start() if after else s_end
        return c_start, max(c_end, end)

    def has_past(self, start: int, end: int) -> bool:
        """A past-tense verb (or a perfect/passive participle) lies in [start, end)."""
        index = bisect_right(self.past_offsets, start - 1)
        return index < len(self.past_offsets) and self.past_offsets[index] < end

    def judge(self, start: int, end: int, *, inherent: bool = False) -> Verdict:
        """Judge the phrase at [start, end): generic wording, and evidence of a real event.

        Args:
            start: Phrase start offset.
            end: Phrase end offset.
            inherent: The phrase itself states an event (e.g. "you were admitted"): evidence is given.
        """
        c_start, c_end = self.clause(start, end)
        s_start, s_end = self.sentence(start)
        prefix = self.text[c_start:start]
        words = prefix.split()
        near = " ".join(words[-_NEAR_WORDS:])
        governing = " ".join(words[-_MODAL_WORDS - 1 :])
        past_in_clause = self.has_past(c_start, c_end)
        ongoing = bool(_ONGOING.search(self.text, start, c_end))
        generic = bool(
            _CONDITIONAL.search(prefix)
            or _NEAR_GENERIC.search(near)
            or _NEAR_GENERIC.search(self.text, start, min(end, start + 40))
            or (
                not past_in_clause
                and (_FIRST.search(near) or _FIRST.search(self.text, start, min(end, start + 40)))
            )
            or _MODAL.search(" ".join(words[-_MODAL_WORDS:]))
            or _OFFER_NEAR.search(governing)
            or _IMPERATIVE_START.search(prefix)
            or _INFINITIVE.search(near)
            or _REFUSAL.search(prefix)
            or (_WHEN.search(prefix) and not past_in_clause and not ongoing)
            or _GENERIC_SENTENCE.search(self.text[s_start:s_end])
            or _PASSIVE_INSTRUCTION.match(self.text, end)
        )
        if inherent:
            return Verdict(generic=generic, evidence=True)
        sentence = self.text[s_start:s_end]
        evidence = past_in_clause or bool(_TIME.search(sentence) or _DATE_LIKE.search(sentence))
        return Verdict(generic=generic, evidence=evidence or self._affect_near(start))

    def _window(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence containing ``offset`` together with the sentence before it."""
        index = max(0, bisect_right(self._sentence_starts, offset) - 1)
        return self.sentences[max(0, index - 1)][0], self.sentences[index][1]

    def _affect_near(self, offset: int) -> bool:
        """Sympathy, wishes or thanks in this sentence or the one before ("Congrats, mama!! After ...")."""
        first, last = self._window(offset)
        span = self.text[first:last]
        return any(not _OFFER.match(span, m.start()) for m in _AFFECT.finditer(span))

    def generic_sentence(self, start: int, end: int) -> bool:
        """The sentence reads as advice about people in general (a condition or a recommendation)."""
        sentence = self.text[start:end]
        return bool(
            _CONDITIONAL.search(sentence) or _RECOMMEND.search(sentence) or _IMPERATIVE_START.search(sentence)
        )

    def states(self, start: int, end: int, *, inherent: bool = False, specific: bool = False) -> bool:
        """The phrase is a statement about a real person's care (evidence, and not generic).

        ``specific``: the phrase names a person ("Maddie's leukemia"); only a condition ("if")
        makes it generic.
        """
        verdict = self.judge(start, end, inherent=inherent)
        if specific and verdict.evidence:
            c_start, _ = self.clause(start, end)
            return not re.search(r"\b(?:if|unless|in\s+case)\b", self.text[c_start:start], _F)
        return verdict.evidence and not verdict.generic

    def evidence_near(self, start: int, end: int) -> bool:
        """Past tense, a time, or sympathy/wishes in this sentence or the one before it."""
        first, last = self._window(start)
        span = self.text[first:last]
        return (
            self._affect_near(start)
            or self.has_past(first, last)
            or bool(_TIME.search(span) or _DATE_LIKE.search(span))
        )
