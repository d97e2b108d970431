"""The learned care classifier: packaged weights, deterministic scores, offsets, thread safety, verdicts."""

from __future__ import annotations

import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.phi.care_features import features, sentences
from bot.phi.categories import Category
from bot.phi.classifier import CATEGORIES, SOURCE, CareClassifier, load_model
from bot.phi.encoder import DIMENSION
from bot.phi.result import Finding, Verdict
from bot.phi.verdict import decide

DISCLOSING = (
    "Thanks for the update! So glad the swelling in your knee went down after the procedure last week.",
    "It was an honor to care for your grandmother during her stay. The whole floor misses her laugh.",
)
HARMLESS = (
    "Thanks for following us, Linda!",
    "Join us for a free blood pressure screening on Saturday, 9 to noon, in the main lobby.",
    "If you have chest pain, call 911 right away.",
)


@pytest.fixture(scope="module")
def classifier() -> CareClassifier:
    return CareClassifier()


def test_model_is_packaged_data_and_small() -> None:
    model = load_model()
    assert set(model) == {
        "vocabulary",
        "weights",
        "bias",
        "threshold",
        "dense_weights",
        "hidden_weights",
        "hidden_bias",
        "output_weights",
        "reference_texts",
        "reference_scores",
    }
    assert model["weights"].shape == (len(model["vocabulary"]), 1 + len(CATEGORIES))
    assert model["dense_weights"].shape == (DIMENSION,)
    units = model["output_weights"].shape[0]
    assert model["hidden_weights"].shape == (DIMENSION, units) and model["hidden_bias"].shape == (units,)
    assert 0.3 <= float(model["threshold"]) < 1.0


def test_loads_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the classifier must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert CareClassifier().detect(DISCLOSING[0])


def test_scores_are_deterministic_across_processes(classifier: CareClassifier) -> None:
    code = (
        "from bot.phi.classifier import CareClassifier;"
        f"print(repr([round(s, 12) for _, _, s in CareClassifier().sentence_scores({DISCLOSING[1]!r})]))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = [round(s, 12) for _, _, s in classifier.sentence_scores(DISCLOSING[1])]
    assert other.stdout.strip() == repr(here)
    assert classifier.detect(DISCLOSING[1]) == classifier.detect(DISCLOSING[1])


def test_this_machine_reproduces_the_scores_of_the_training_machine(classifier: CareClassifier) -> None:
    # bench/train_classifier.py stores what the classifier scored on reference sentences where it was
    # trained. A CPU that computes the encoder's 8-bit products differently (bot/phi/encoder.py) would
    # move the scores the threshold was chosen on; this catches it.
    model = load_model()
    texts, expected = [str(t) for t in model["reference_texts"]], model["reference_scores"]
    assert len(texts) >= 20
    here = [max(score for *_, score in classifier.sentence_scores(text)) for text in texts]
    assert max(abs(a - b) for a, b in zip(here, expected, strict=True)) < 0.005


@pytest.mark.parametrize("text", DISCLOSING)
def test_flags_disclosures_with_sentence_offsets(classifier: CareClassifier, text: str) -> None:
    found = classifier.detect(text)
    assert found, text
    spans = sentences(text)
    for detection in found:
        assert (detection.start, detection.end) in spans
        assert text[detection.start : detection.end].strip() == text[detection.start : detection.end]
        assert detection.category in CATEGORIES
        assert classifier.threshold <= detection.score <= 1.0
        assert "\n" not in detection.explanation and "learned" in detection.explanation


@pytest.mark.parametrize("text", HARMLESS)
def test_leaves_harmless_replies_alone(classifier: CareClassifier, text: str) -> None:
    assert classifier.detect(text) == []


def test_offsets_index_the_original_text_with_odd_spacing(classifier: CareClassifier) -> None:
    text = "  Hi there!\n\nSo glad your dad's surgery went well and he is home now.   \n- Dana, Social Team  "
    for start, end in sentences(text):
        assert text[start:end] == text[start:end].strip() and text[start:end]
    for detection in classifier.detect(text):
        assert "surgery" in text[detection.start : detection.end]


def test_empty_and_symbol_only_text(classifier: CareClassifier) -> None:
    assert classifier.detect("") == []
    assert classifier.detect("   \n ") == []
    assert classifier.detect("🎉🎉🎉") == []
    assert classifier.draft_score("") == 0.0
    assert features("") == []


def test_thread_safe_shared_use(classifier: CareClassifier) -> None:
    texts = list(DISCLOSING + HARMLESS) * 25
    expected = [classifier.detect(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(classifier.detect, texts)) == expected


def test_alone_it_gives_review_and_blocks_only_with_an_identifier() -> None:
    learned = Finding(Category.CLINICAL_DETAIL, 0, 10, 0.9, "x", SOURCE)
    other = Finding(Category.PATIENT_RELATIONSHIP, 12, 20, 0.8, "", "rule")
    name = Finding(Category.NAME, 22, 26, 0.85, "", "SpacyRecognizer")
    assert decide([learned]) is Verdict.REVIEW
    assert decide([learned, other]) is Verdict.REVIEW
    assert decide([learned, name]) is Verdict.BLOCK


def test_scanner_reports_the_classifier_finding(scanner) -> None:
    text = "Thanks for tagging us! Those are some seriously cool stitches, hope the finger heals fast"
    result = scanner.scan(text)
    assert result.verdict is not Verdict.CLEAR
    for finding in result.findings:
        assert 0 <= finding.start < finding.end <= len(text)
    learned = [f for f in result.findings if f.source == SOURCE]
    for finding in learned:
        assert finding.explanation and finding.to_dict()["explanation"] == finding.explanation


@pytest.mark.parametrize("text", DISCLOSING + HARMLESS)
def test_the_draft_score_is_what_detect_compares_with_the_threshold(
    classifier: CareClassifier, text: str
) -> None:
    score = classifier.draft_score(text)
    found = classifier.detect(text)
    assert bool(found) == (score >= classifier.threshold)
    if found:
        assert max(d.score for d in found) == pytest.approx(score)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welcome, Dr. Sunita Rao! We're thrilled.", ["Welcome, Dr. Sunita Rao!", "We're thrilled."]),
        ("An A1C of 6.5% or higher means diabetes.", ["An A1C of 6.5% or higher means diabetes."]),
        ("Forms are at example.org/records. Thanks!", ["Forms are at example.org/records.", "Thanks!"]),
        ("Thanks!🎉 See you Friday.", ["Thanks!", "🎉 See you Friday."]),
        ("Call us, etc., anytime. Really.", ["Call us, etc., anytime.", "Really."]),
        ("See you at 9 a.m. Bring your ID.\nCheers", ["See you at 9 a.m.", "Bring your ID.", "Cheers"]),
    ],
)
def test_sentences_keep_titles_numbers_and_addresses_whole(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in sentences(text)] == expected
