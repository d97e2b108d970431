"""Features of the learned care classifier: sentences of a draft and the strings that describe them.

Shared by the classifier (bot/phi/classifier.py) and its training script (bench/train_classifier.py),
so that training and scanning see exactly the same features. Pure Python and deterministic: no
randomness, no hashing that changes between processes (features are looked up by their string).

A sentence is described by

- its words (lower-cased, digits as ``0``) and word pairs: ``w:your``, ``b:your dad``;
- character 3- and 4-grams inside each word (``c: da``, ``c:dad ``), which carry a word's stem to its
  other forms ("discharge", "discharged") and to words the training data never had;
- the word classes of bot/phi/lexicon.py (``k:RELATIVE``, ``k:CLINICAL``...) and pairs of a word with a
  class (``q:your RELATIVE``), so that "your nephew" looks like "your dad" even if "nephew" was never seen;
- a few engineered cues (``e:``): second person with a care word, a possessive before a relative, a
  past-tense verb, a sentence that opens with a condition or an instruction, a staff member in the
  first person, a refusal to confirm ("we can't discuss").
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from bot.phi import lexicon as lx

# A sentence ends at . ! ? or … (and closing quotes or brackets) before white space or a symbol such as an
# emoji, and at a line break. Not inside "6.5", "example.org/records" or "etc.," and not after a title
# ("Welcome, Dr. Rao!"): those fragments read as sentences of their own gave the classifier no context.
_SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s|[^\w\s,;:/@.\-])\s*(?=\S)|\n\s*")
_TITLE_BEFORE = re.compile(
    r"\b(?:dr|mr|mrs|ms|mx|st|jr|sr|mt|prof|rev|fr|sgt|capt|lt|col|no|vs|e\.g|i\.e)$", re.IGNORECASE
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DIGITS = re.compile(r"\d")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

_SECOND_PERSON = frozenset(
    ["you", "your", "you're", "you've", "you'll", "yours", "yourself", "ya", "u", "ur"]
)
_POSSESSIVE = frozenset(["your", "his", "her", "their", "my", "our", "ur"])
_THIRD_PERSON = frozenset(["he", "she", "him", "her", "his", "they", "them"])
_CONDITION_START = frozenset(["if", "when", "whether", "unless", "should", "whenever", "anyone", "everyone"])
_IMPERATIVE_START = frozenset(
    [
        *("call", "schedule", "book", "ask", "visit", "join", "register", "bring", "remember", "check"),
        *("learn", "find", "download", "sign", "get", "talk", "use", "drink", "wear", "keep", "stop"),
        *("please", "mark", "follow", "meet", "don't", "try", "see", "enjoy", "help", "make"),
    ]
)
_REFUSAL = re.compile(
    r"\b(?:can't|cannot|can not|unable to|won't)\s+(?:\w+\s+){0,2}?(?:discuss|share|confirm|comment)"
)
_STAFF_FIRST_PERSON = re.compile(r"\b(?:i was|i'm the|i am the|as the|i took care|i cared|i remember)\b")
_PAST = re.compile(r"^[a-z]{3,}ed$")

_CLASSES = {
    "RELATIVE": lx.RELATIVES,
    "OTHER": lx.OTHERS,
    "CARE": lx.CARE_NOUNS,
    "UNIT": lx.UNITS,
    "CLINICAL": lx.CLINICAL_TERMS,
    "RECOVERY": lx.RECOVERY,
    "CAREVERB": lx.CARE_VERBS,
    "AFFECT": lx.AFFECT,
    "TIME": lx.TIME_SPECIFIC,
    "STAFF": lx.STAFF_ROLES,
    "WITNESS": lx.WITNESS_VERBS,
    "STAFFCARE": lx.STAFF_CARE_VERBS,
    "STAY": lx.STAY_THINGS,
}


@lru_cache(maxsize=1)
def _phrase_classes() -> dict[str, tuple[str, ...]]:
    """One- and two-word phrases of the lexicon's word classes -> their class names."""
    table: dict[str, set[str]] = {}
    for name, words in _CLASSES.items():
        for phrase in words:
            parts = phrase.lower().split()
            if 1 <= len(parts) <= 2 and all(_WORD.fullmatch(p) for p in parts):
                table.setdefault(" ".join(parts), set()).add(name)
    return {phrase: tuple(sorted(names)) for phrase, names in table.items()}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, surrounding whitespace excluded; empty text gives []."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        mark = match.group(0).rstrip()
        if mark == "." and _TITLE_BEFORE.search(text, max(0, match.start() - 5), match.start()):
            continue
        end = match.start() + len(mark)
        _add(text, start, end, spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


_GENERIC_OPENING = re.compile(
    r"^\W*(?:if|unless|in\s+case|should\s+you|whether)\b"
    # people in general as the subject: "Many survivors ring the bell...", "Most adults need..."
    r"|^\W*" + lx.PEOPLE_IN_GENERAL,
    re.IGNORECASE,
)


def is_generic(sentence: str) -> bool:
    """A sentence that opens with a condition or has people in general as its subject.

    "If you have surgery scheduled, ..." is advice; "Many survivors ring the bell..." tells a custom.
    The classifier neither scores nor reports such sentences: bag-of-words features cannot see that
    "if" governs the care words after it, and the rules (bot/phi/sentences.py) judge them the same way.
    """
    return _GENERIC_OPENING.match(sentence) is not None


def features(sentence: str) -> list[str]:
    """The feature strings of one sentence (repeats kept: a feature counts once per occurrence)."""
    lowered, words = tokens(sentence)
    out = [feature for word in words for feature in word_features(word)]
    return out + context_features(lowered, words)


def tokens(sentence: str) -> tuple[str, list[str]]:
    """The sentence lower-cased with digits as ``0``, and its words."""
    lowered = _DIGITS.sub("0", sentence.translate(_QUOTES).lower())
    return lowered, _WORD.findall(lowered)


def word_features(word: str) -> list[str]:
    """What one word contributes on its own: the word and its character 3- and 4-grams."""
    padded = f" {word} "
    return ["w:" + word] + ["c:" + padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)]


def context_features(lowered: str, words: list[str]) -> list[str]:
    """What the words contribute together: pairs, word classes, and the engineered cues."""
    classes = _phrase_classes()
    tags = [classes.get(word, ()) for word in words]
    out: list[str] = []
    for index in range(len(words) - 1):
        pair = words[index] + " " + words[index + 1]
        out.append("b:" + pair)
        for name in classes.get(pair, ()):
            out.append("k:" + name)
        for name in tags[index + 1]:
            out.append(f"q:{words[index]} {name}")
        for name in tags[index]:
            out.append(f"r:{name} {words[index + 1]}")
    found = {name for tag in tags for name in tag}
    out.extend("k:" + name for tag in tags for name in tag)
    out.extend(_cues(lowered, words, found))
    return out


def _cues(lowered: str, words: list[str], found: set[str]) -> list[str]:
    cues = []
    word_set = set(words)
    second = bool(word_set & _SECOND_PERSON)
    third = bool(word_set & _THIRD_PERSON)
    we = bool(word_set & {"we", "our"})
    care = found & {"CARE", "CLINICAL", "CAREVERB", "RECOVERY", "UNIT"}
    if second:
        cues.append("e:2p")
    if third:
        cues.append("e:3p")
    for name in sorted(care):
        if second:
            cues.append("e:2p+" + name)
        if third:
            cues.append("e:3p+" + name)
    if second:
        # "you" with staff, a thing of a stay, a specific time, feelings, a relative, or "we"/"our".
        for name in sorted(found & {"STAFF", "STAY", "TIME", "AFFECT", "RELATIVE"}):
            cues.append("e:2p+" + name)
        if we:
            cues.append("e:2p+we")
    if "see you" in lowered or "seeing you" in lowered or "saw you" in lowered:
        cues.append("e:see-you")
    if any(a in _POSSESSIVE and b in _RELATIVE_WORDS for a, b in pairwise(words)):
        cues.append("e:poss+relative")
    past = any(_PAST.match(w) for w in words) or bool(word_set & {"was", "were", "had", "did", "got", "came"})
    if past:
        cues.append("e:past")
        if second:
            cues.append("e:past+2p")
            if we:
                cues.append("e:past+2p+we")
        if care:
            cues.append("e:past+care")
    if words and words[0] in _CONDITION_START:
        cues.append("e:condition")
    if words and words[0] in _IMPERATIVE_START:
        cues.append("e:imperative")
    if _REFUSAL.search(lowered):
        cues.append("e:refusal")
    if _STAFF_FIRST_PERSON.search(lowered):
        cues.append("e:staff-first-person")
    if "?" in lowered:
        cues.append("e:question")
    return cues


_RELATIVE_WORDS = frozenset(w for w in lx.RELATIVES if " " not in w)
