"""The speed-ups change how the scanner works, not what it finds."""

from __future__ import annotations

import re

from bot.phi import lexicon as lx
from bot.phi.ner import ner_on_sentences
from bot.phi.scanner import Scanner


def _flat(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(r"[\s-]+".join(map(re.escape, w.split())) for w in ordered) + ")"


def test_trie_alternation_matches_like_the_flat_one() -> None:
    text = " ".join(
        lx.CARE_NOUNS + lx.CLINICAL_TERMS + lx.UNITS + ["labs labor lab c-section ct  scan mother baby"]
    )
    for words in (lx.CARE_NOUNS, lx.CLINICAL_TERMS, lx.UNITS, lx.RELATIVES):
        trie = re.compile(rf"\b{lx.alt(words)}\b", re.IGNORECASE)
        flat = re.compile(rf"\b{_flat(words)}\b", re.IGNORECASE)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_ner_on_parts_of_a_draft_keeps_the_entities_of_those_parts(scanner: Scanner) -> None:
    nlp = scanner._nlp
    text = (
        "Happy to hear you're sleeping better since starting the CPAP, Jorge! Parking is in the west garage. "
        "Maria Lopez and her husband visited on Tuesday. Our cafeteria opens at seven every day."
    )
    ner = nlp.get_pipe("ner")
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    chosen = [sentences[0], sentences[2]]
    whole = ner(nlp.make_doc(text))
    expected = [
        (e.start_char, e.text, e.label_) for e in whole.ents if any(a <= e.start_char < b for a, b in chosen)
    ]
    part = [(e.start_char, e.text, e.label_) for e in ner_on_sentences(ner, doc, chosen).ents]
    # Every entity of the chosen sentences, as the whole draft gives it (runs that meet are read as one,
    # so entities of the sentences between them may come too).
    assert set(expected) <= set(part) <= {(e.start_char, e.text, e.label_) for e in whole.ents}
    assert expected


def test_long_drafts_read_ner_only_around_words_that_may_start_a_name_or_date(scanner: Scanner) -> None:
    from bot.phi.ner import needs_ner
    from bot.phi.sentences import Evidence

    nlp = scanner._nlp
    filler = "Our cafeteria opens at seven and the garden is lovely this time of year. " * 8
    text = filler + "I'm so glad the ICU team took care of Marta, call 555-0101 if the ER bill looks wrong."
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    evidence = Evidence.of(text, _artifacts(doc))
    care = [text.index("took care")]
    phone = text.index("555-0101")
    words = {text[a:b] for a, b in needs_ner(doc, evidence, care, found=[(phone, phone + 8)])}
    assert "Marta" in words
    assert not words & {"I'm", "ICU", "ER", "555-0101", "555"}


def _artifacts(doc):  # type: ignore[no-untyped-def]
    from presidio_analyzer.nlp_engine import NlpArtifacts

    return NlpArtifacts(entities=[], tokens=doc, tokens_indices=[], lemmas=[], nlp_engine=None, language="en")


def test_dates_and_times_come_from_rules_not_only_from_ner() -> None:
    from bot.phi.recognizers.dates import DATE_TIME, RelativeDateRecognizer

    text = (
        "Your scan is on March 14 at 7:30 am; last Tuesday was rough, it was a long night, and two weeks ago "
        "you were here. We may call you. Thursday the 9th works too."
    )
    found = {text[r.start : r.end] for r in RelativeDateRecognizer().analyze(text, [DATE_TIME])}
    assert {
        "March 14",
        "7:30 am",
        "last Tuesday",
        "a long night",
        "two weeks ago",
        "Thursday the 9th",
    } <= found
    assert not any("may" in value.lower() for value in found)


def test_a_long_care_draft_still_reports_its_dates(scanner: Scanner) -> None:
    text = ("Our cafeteria opens at seven and the garden is lovely this time of year. " * 9) + (
        "We're so sorry your dad's surgery was moved, and we'll see him Thursday the 9th at 1 pm."
    )
    result = scanner.scan(text)
    dates = {text[f.start : f.end] for f in result.findings if f.category == "DATE"}
    assert "Thursday the 9th" in dates and "1 pm" in dates
