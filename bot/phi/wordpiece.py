"""BERT's uncased WordPiece tokenizer, for the sentence encoder (bot/phi/encoder.py).

Lower-case, accents stripped, control characters dropped, punctuation and CJK characters split off,
then longest-match sub-words from the vocabulary ("##" marks a continuation). Written out so the scanner
needs no tokenizer package; tests/bot/phi/test_wordpiece.py checks it against known tokenizations.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


# ASCII text (most drafts) needs none of the Unicode look-ups: its control characters are dropped, the
# rest of its whitespace separates words, and every ASCII punctuation mark or symbol is its own word.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_WORD = re.compile(r"[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~]+")


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenization (uncased): lower-case words and punctuation marks, accents removed."""
    if text.isascii():
        kept = _ASCII_CONTROL.sub("", text).lower()
        return [word for chunk in kept.split() for word in _ASCII_WORD.findall(chunk)]
    return _unicode_words(text)


def _unicode_words(text: str) -> list[str]:
    cleaned = []
    for char in text:
        code = ord(char)
        if (
            code == 0
            or code == 0xFFFD
            or (unicodedata.category(char).startswith("C") and char not in "\t\n\r")
        ):
            continue
        if _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(" " if char.isspace() else char)
    words: list[str] = []
    for chunk in "".join(cleaned).lower().split():
        chunk = "".join(c for c in unicodedata.normalize("NFD", chunk) if unicodedata.category(c) != "Mn")
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


class WordPiece:
    """Longest-match-first sub-word ids for a WordPiece vocabulary (read-only after loading)."""

    def __init__(self, vocabulary: list[str]) -> None:
        self._ids = {token: row for row, token in enumerate(vocabulary)}
        self.unknown = self._ids["[UNK]"]
        self.cls = self._ids["[CLS]"]
        self.sep = self._ids["[SEP]"]
        self._pieces = lru_cache(maxsize=50_000)(self._word_pieces)

    def token_ids(self, text: str) -> list[int]:
        """The ids of ``text``'s sub-words, without [CLS] and [SEP]."""
        ids: list[int] = []
        for word in basic_words(text):
            ids += self._pieces(word)
        return ids

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > _MAX_WORD_CHARS:
            return (self.unknown,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                found = self._ids.get(word[start:end] if start == 0 else "##" + word[start:end])
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unknown,)
            pieces.append(found)
            start = end
        return tuple(pieces)
