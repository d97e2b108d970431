"""A learned check next to the rules: does a sentence confirm or disclose someone's care.

The hand-written rules follow the wording they were written from; on replies in other voices they miss
a fifth of the disclosures. This classifier reads each sentence (and each pair of adjacent sentences,
since "She's stable and resting with us now." needs the sentence before it) and gives the chance that
it discloses care: a patient relationship, clinical detail about a person, another patient, or staff
recounting what they saw. It is a logistic regression over words, word pairs, character n-grams and
word classes (bot/phi/care_features.py) and over the sentence's vector from a small local sentence
encoder (bot/phi/encoder.py; a pair's vector is the mean of its two sentences'). The words carry the
wording the rules were written from; the vector carries meaning, so a disclosure in words no training
reply used ("We'll have a wheelchair waiting for you at 7") can still score high. It is trained by
bench/train_classifier.py on the labelled development sets and the training sets (train..train27) in
tests/data/ (never on the blind or heldout5-heldout20 sets), with its threshold chosen by
cross-validation for a low false-alarm rate.

The weights are a small file in bot/phi/data/ loaded once (the encoder with them); nothing is trained
at run time. The model is read-only after loading, so one instance is safe to share between threads.
Alone, its finding gives a ``review`` verdict (bot/phi/verdict.py does not count it as a second kind of disclosure); with an
identifier tied to that care (a name, a date) the draft is blocked, as with the rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from bot.phi.care_features import context_features, is_generic, sentences, tokens, word_features
from bot.phi.categories import EXPLANATION, Category
from bot.phi.encoder import DIMENSION, shared_encoder, unit

SOURCE = "classifier"
MODEL_FILE = "care_classifier.npz"
# Column order of the weight matrix after the first (the "discloses care" score).
CATEGORIES = (
    Category.PATIENT_RELATIONSHIP,
    Category.CLINICAL_DETAIL,
    Category.THIRD_PARTY_DISCLOSURE,
    Category.STAFF_DISCLOSURE,
)
_WHAT = {
    Category.PATIENT_RELATIONSHIP: "confirm that someone was cared for here",
    Category.CLINICAL_DETAIL: "tell a person's clinical details",
    Category.THIRD_PARTY_DISCLOSURE: "tell about another patient",
    Category.STAFF_DISCLOSURE: "recount what staff saw or did with a patient",
}


@dataclass(frozen=True, slots=True)
class Detection:
    """One sentence the classifier flags: where it is, how sure, which kind of disclosure, and why."""

    category: Category
    start: int
    end: int
    score: float
    explanation: str


@dataclass(frozen=True, slots=True)
class SentenceHead:
    """The sentence vector's part of the "discloses care" logit (bot/phi/encoder.py).

    A linear term and a small rectified hidden layer: ``linear . v + output . relu(v @ hidden + bias)``.
    """

    linear: np.ndarray
    hidden: np.ndarray
    hidden_bias: np.ndarray
    output: np.ndarray

    @classmethod
    def of(cls, model: dict[str, Any]) -> SentenceHead:
        """The head stored in ``model`` (a model with only the linear term gets no hidden units)."""
        linear = _read_only(model["dense_weights"])
        return cls(
            linear=linear,
            hidden=_read_only(model.get("hidden_weights", np.zeros((len(linear), 0)))),
            hidden_bias=_read_only(model.get("hidden_bias", np.zeros(0))),
            output=_read_only(model.get("output_weights", np.zeros(0))),
        )

    def logit(self, vector: np.ndarray) -> float:
        """What the sentence vector ``vector`` adds to the logit."""
        return float(
            self.linear @ vector + self.output @ np.maximum(vector @ self.hidden + self.hidden_bias, 0.0)
        )


def _read_only(values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    array.setflags(write=False)
    return array


class CareClassifier:
    """Scores the sentences of a draft; flags those at or above the cross-validated threshold."""

    def __init__(self, model: dict[str, Any] | None = None) -> None:
        data = model if model is not None else load_model()
        vocabulary = [str(v) for v in data["vocabulary"]]
        self._index = {feature: row for row, feature in enumerate(vocabulary)}
        self._weights = np.asarray(data["weights"], dtype=np.float64)
        self._weights.setflags(write=False)
        self._bias = np.asarray(data["bias"], dtype=np.float64)
        self.threshold = float(data["threshold"])
        # A model trained without sentence vectors needs no encoder.
        self._head = SentenceHead.of(data) if "dense_weights" in data else None
        self._encoder = shared_encoder() if self._head is not None else None
        # Words repeat from draft to draft; their features are looked up once (lru_cache is thread-safe).
        self._word_rows = lru_cache(maxsize=50_000)(self._rows_of_word)

    def detect(self, text: str) -> list[Detection]:
        """The sentences of ``text`` that disclose care, in order; offsets index ``text``."""
        spans = sentences(text)
        if not spans:
            return []
        sums, counts, own, pairs = self._scores(text, spans)
        best: dict[int, float] = {i: p for i, p in enumerate(own) if p >= self.threshold}
        for i, pair in pairs.items():
            if pair >= self.threshold and i - 1 not in best and i not in best:
                # The pair says more than either sentence alone: report the one that says more of it.
                chosen = i if own[i] >= own[i - 1] else i - 1
                best[chosen] = pair
        return [self._detection(*spans[i], sums[i], counts[i], best[i]) for i in sorted(best)]

    def draft_score(self, text: str) -> float:
        """The highest score ``detect`` compares with the threshold: of a sentence, or a pair of them."""
        spans = sentences(text)
        if not spans:
            return 0.0
        _, _, own, pairs = self._scores(text, spans)
        return max([*own, *pairs.values()])

    def _scores(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[np.ndarray, list[int], list[float], dict[int, float]]:
        """Per sentence its weight sums, feature count and score; per adjacent pair its score.

        Pairs are keyed by their second sentence; a generic sentence scores 0 and forms no pair.
        """
        sums, counts = self._sentence_sums(text, spans)
        eligible = [not is_generic(text[start:end]) for start, end in spans]
        vectors = self._vectors(text, spans, eligible)
        own = [
            self._probability(sums[i], counts[i], vectors[i]) if eligible[i] else 0.0
            for i in range(len(spans))
        ]
        pairs = {
            i: self._probability(
                sums[i - 1] + sums[i], counts[i - 1] + counts[i], unit(vectors[i - 1] + vectors[i])
            )
            for i in range(1, len(spans))
            if eligible[i - 1] and eligible[i]
        }
        return sums, counts, own, pairs

    def sentence_scores(self, text: str) -> list[tuple[int, int, float]]:
        """Every sentence with its own score (no pairing): for tests and tuning."""
        spans = sentences(text)
        sums, counts = self._sentence_sums(text, spans)
        vectors = self._vectors(text, spans, [True] * len(spans))
        return [(s, e, self._probability(sums[i], counts[i], vectors[i])) for i, (s, e) in enumerate(spans)]

    def _vectors(self, text: str, spans: list[tuple[int, int]], wanted: list[bool]) -> np.ndarray:
        """Sentence vectors of the wanted sentences (zero rows for the others, or with no encoder)."""
        if self._encoder is None:
            return np.zeros((len(spans), 1))
        vectors = np.zeros((len(spans), DIMENSION))
        rows = [i for i, keep in enumerate(wanted) if keep]
        if rows:
            vectors[rows] = self._encoder.encode([text[spans[i][0] : spans[i][1]] for i in rows])
        return vectors

    def _sentence_sums(self, text: str, spans: list[tuple[int, int]]) -> tuple[np.ndarray, list[int]]:
        sums = np.zeros((len(spans), self._weights.shape[1]))
        counts = []
        index = self._index
        for i, (start, end) in enumerate(spans):
            lowered, words = tokens(text[start:end])
            rows: list[int] = []
            count = 0
            for word in words:
                word_rows, word_count = self._word_rows(word)
                rows += word_rows
                count += word_count
            context = context_features(lowered, words)
            rows += [row for row in map(index.get, context) if row is not None]
            if rows:
                sums[i] = self._weights[rows].sum(axis=0)
            counts.append(count + len(context))
        return sums, counts

    def _rows_of_word(self, word: str) -> tuple[tuple[int, ...], int]:
        """The weight rows of a word's own features, and how many features it has (known or not)."""
        names = word_features(word)
        return tuple(row for row in map(self._index.get, names) if row is not None), len(names)

    def _probability(self, weight_sum: np.ndarray, count: int, vector: np.ndarray) -> float:
        logit = self._bias[0] + weight_sum[0] / math.sqrt(max(count, 1))
        if self._head is not None:
            logit += self._head.logit(vector)
        return 1.0 / (1.0 + math.exp(-max(min(logit, 30.0), -30.0)))

    def _detection(self, start: int, end: int, weight_sum: np.ndarray, count: int, score: float) -> Detection:
        logits = self._bias[1:] + weight_sum[1:] / math.sqrt(max(count, 1))
        category = CATEGORIES[int(np.argmax(logits))]
        explanation = (
            f"A learned check (score {score:.2f}) reads this sentence as likely to {_WHAT[category]}. "
            + EXPLANATION[category]
        )
        return Detection(category, start, end, score, explanation)


def load_model() -> dict[str, Any]:
    """The packaged weights (vocabulary, weight matrix, biases, threshold) as plain arrays."""
    with (
        resources.files("bot.phi").joinpath("data", MODEL_FILE).open("rb") as handle,
        np.load(handle, allow_pickle=False) as archive,
    ):
        return {key: archive[key] for key in archive.files}
