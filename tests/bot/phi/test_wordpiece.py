"""BERT's uncased WordPiece, written out for the sentence encoder: tokenizations match the reference.

The expected pieces below are what the reference tokenizer (transformers' BertTokenizerFast for
sentence-transformers/all-MiniLM-L6-v2) produced for these texts on 2026-12-01.
"""

from __future__ import annotations

import pytest

from bot.phi.encoder import VOCABULARY_FILE
from bot.phi.wordpiece import WordPiece, basic_words

REFERENCE = [
    ("Glad your knee surgery went well, John!", "glad your knee surgery went well , john !"),
    (
        "Café crème at the NICU’s bake-sale 🎉 #NurseLife",
        "cafe cr ##eme at the nic ##u ’ s ba ##ke - sale [UNK] # nurse ##life",
    ),
    (
        "Dr. O'Neil's ER—4 West, bed 12B (555) 013-2298",
        "dr . o ' neil ' s er — 4 west , bed 12 ##b ( 555 ) 01 ##3 - 229 ##8",
    ),
    ("慈善 hospital", "[UNK] [UNK] hospital"),
    ("supercalifragilisticexpialidocious" * 4, "[UNK]"),
]


@pytest.fixture(scope="module")
def wordpiece() -> WordPiece:
    from importlib import resources

    text = resources.files("bot.phi").joinpath("data", VOCABULARY_FILE).read_text(encoding="utf-8")
    return WordPiece(text.splitlines())


@pytest.mark.parametrize(("text", "expected"), REFERENCE)
def test_matches_the_reference_tokenizer(wordpiece: WordPiece, text: str, expected: str) -> None:
    vocabulary = {row: token for token, row in wordpiece._ids.items()}
    assert " ".join(vocabulary[i] for i in wordpiece.token_ids(text)) == expected


def test_control_characters_and_whitespace_are_dropped() -> None:
    # A zero-width space is a format character: removed, so the words on either side join (as in BERT).
    assert basic_words("a\u0000b\tc\u200bd\r\ne") == ["ab", "cd", "e"]


def test_empty_text_has_no_pieces(wordpiece: WordPiece) -> None:
    assert wordpiece.token_ids("") == []
    assert wordpiece.token_ids("   \n ") == []


def test_the_ascii_path_splits_as_the_unicode_path() -> None:
    import random

    from bot.phi.wordpiece import _unicode_words

    rng = random.Random(20261206)
    samples = ["Dr. O'Neil's ER-4 West, bed 12B (555) 013-2298\x0bok\x1fthen\x7f", "tab\there\r\nx_y~z"]
    samples += ["".join(chr(rng.randrange(128)) for _ in range(rng.randrange(60))) for _ in range(2000)]
    for text in samples:
        assert basic_words(text) == _unicode_words(text), repr(text)
