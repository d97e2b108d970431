"""Named-entity recognition only where it matters: the costly pass, run on the care sentences.

spaCy's entities feed two kinds of candidate (see context.py): a DATE counts only in a sentence with
care context, a PERSON anywhere in a draft that discloses care. NER costs about 2.5 ms per 100
characters on one core, most of a long draft's scan. So a draft of up to ``WHOLE_DRAFT_CHARS`` gets
NER on all of it (results as before), and a longer one only around the words of its care sentences
that can start a name (a capitalised word that is not a common word or an acronym; dates and times
come from rules), each widened by ``MARGIN`` tokens because the model reads a few tokens either side
of a word ("..., Jorge!" is a PERSON next to the words that follow it and an ORG without them). The
runs are read in one batch. In the rest of a long draft, names come from the rule-based
NameRecognizer (honorifics, "baby Ava", the person addressed: "Hi Sara,").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc, Span, Token

from bot.phi.recognizers.patterns import is_name_word
from bot.phi.sentences import Evidence

# Tokens of context NER reads on each side of a word that may start a name.
MARGIN = 4
# Up to this length NER reads the whole draft (a few milliseconds).
WHOLE_DRAFT_CHARS = 600


def needs_ner(
    doc: Doc, evidence: Evidence, care_offsets: Iterable[int], found: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """(start, end) character spans NER must read: the whole draft if short, else some words of its care.

    In a long draft, the words of its care sentences that can be part of a name; NER reads
    ``MARGIN`` tokens around each. Words inside ``found`` (spans the rules already recognized: a phone
    number, an ID, a date) are not read for themselves.
    """
    if len(doc.text) <= WHOLE_DRAFT_CHARS:
        return [(0, len(doc.text))]
    care = sorted({evidence.sentence(offset) for offset in care_offsets})
    # A name holds a capitalised word: NER reads around those only.
    known = sorted(found)
    return [
        (token.idx, token.idx + len(token.text))
        for start, end in care
        for token in doc.char_span(start, end, alignment_mode="expand") or ()
        if _may_hold_entity(token) and not _inside(token.idx, known)
    ]


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _may_hold_entity(token: Token) -> bool:
    # Dates and times come from rules (RelativeDateRecognizer, Presidio's DateRecognizer); NER is read
    # for names. "ER", "ICU", "I'm" are never part of a person's name, and "We" or "Your" after an emoji
    # is no name either (is_name_word knows the common words).
    text = token.text
    return (
        text[:1].isupper()
        and not (text.isupper() and len(text) <= 5)
        and "'" not in text
        and is_name_word(text)
    )


def ner_on_sentences(ner: Any, doc: Doc, spans: Iterable[tuple[int, int]], margin: int = MARGIN) -> Doc:
    """Run ``ner`` on the token runs covering ``spans`` (widened by ``margin``); set the entities on ``doc``.

    Runs that touch are merged; an entity is kept when it reaches into one of ``spans``.
    """
    regions: list[list[int]] = []  # [first, last, core_start, core_end] token indices
    for start, end in spans:
        core = doc.char_span(start, end, alignment_mode="expand")
        if core is None or not len(core):
            continue
        wide = [max(0, core.start - margin), min(len(doc), core.end + margin), core.start, core.end]
        if regions and wide[0] <= regions[-1][1]:
            regions[-1][1], regions[-1][3] = wide[1], wide[3]
        else:
            regions.append(wide)
    if len(regions) == 1 and regions[0][0] == 0 and regions[0][1] == len(doc):
        return ner(doc)
    entities: list[Span] = []
    # One batch: the model reads all the runs in a single pass (separate calls cost a third more).
    parts = ner.pipe(
        [doc[first:last].as_doc() for first, last, _, _ in regions], batch_size=len(regions) or 1
    )
    for (first, _, core_start, core_end), part in zip(regions, parts, strict=True):
        entities += [
            Span(doc, e.start + first, e.end + first, e.label)
            for e in part.ents
            if e.start + first < core_end and e.end + first > core_start
        ]
    doc.set_ents(entities, default="outside")
    return doc
