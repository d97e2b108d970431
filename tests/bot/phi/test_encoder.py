"""The sentence encoder: offline, unit vectors, meaning over wording, long input, shared across threads."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from bot.phi.encoder import DIMENSION, MAX_TOKENS, SentenceEncoder, shared_encoder


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return shared_encoder()


def test_loads_and_encodes_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the encoder must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    vectors = SentenceEncoder().encode(["Our lobby opens at 6 am."])
    assert vectors.shape == (1, DIMENSION)


def test_vectors_have_unit_length_and_empty_text_is_zero(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(["Thanks for following us, Linda!", "", "🎉"])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
    assert not vectors[1].any()
    assert np.isclose(np.linalg.norm(vectors[2]), 1.0, atol=1e-5)  # [UNK] alone is still a sentence


def test_sentences_that_mean_the_same_are_nearer_than_sentences_that_share_words(
    encoder: SentenceEncoder,
) -> None:
    pickup, van, garage = encoder.encode(
        [
            "We'll have a wheelchair waiting for you at the entrance at 7.",
            "The van will pick you up after your appointment.",
            "The new garage at the entrance opens at 7 for visitors.",
        ]
    )
    assert float(pickup @ van) > float(pickup @ garage)


def test_a_long_sentence_is_cut_not_refused(encoder: SentenceEncoder) -> None:
    words = " ".join(["recovery"] * (MAX_TOKENS * 3))
    long, cut = encoder.encode([words, " ".join(["recovery"] * (MAX_TOKENS - 2))])
    assert np.allclose(long, cut, atol=1e-6)


def test_same_vectors_from_many_threads(encoder: SentenceEncoder) -> None:
    texts = [f"Sentence number {i} about visiting hours on 4 West." for i in range(24)]
    alone = encoder.encode(texts)
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda text: encoder.encode([text])[0], texts))
    assert np.allclose(alone, np.vstack(together), atol=1e-6)
