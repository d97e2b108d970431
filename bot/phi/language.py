"""Can the scanner judge this text? English only, up to a length limit; anything else needs a person."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "it",
        "this",
        "that",
        "these",
        "those",
        "you",
        "your",
        "we",
        "our",
        "us",
        "i",
        "my",
        "me",
        "he",
        "she",
        "his",
        "her",
        "they",
        "them",
        "their",
        "not",
        "no",
        "so",
        "if",
        "as",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "please",
        "thank",
        "thanks",
        "hi",
        "hello",
        "here",
        "there",
        "what",
        "when",
        "where",
        "who",
        "how",
        "all",
        "any",
        "about",
    ]
)
# Frequent function words of the languages hospital social teams see most after English.
_FOREIGN_BY_LANGUAGE = {
    "es": "el la los las de del que y en un una por para con su sus es se lo al gracias usted ustedes nuestro "
    "nuestra nuestros muy pero como está están estamos hola le les nos más sobre cuando esta este fue ha hemos "
    "favor si también porque hay ser son equipo salud atención cita mensaje",
    "fr": "le les des du et est une pour avec vous nous notre votre merci bonjour sur dans pas qui",
    "pt": "os das dos não obrigado obrigada você vocês nosso nossa com uma",
    "vi/tl": "và của cho không cảm ơn ng mga sa salamat po ang",
}
_FOREIGN = frozenset(word for words in _FOREIGN_BY_LANGUAGE.values() for word in words.split())


def unsupported_reason(text: str) -> str | None:
    """Why the English scanner cannot judge ``text`` (another language or script), or None if it can."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters:
        non_latin = sum(1 for ch in letters if ord(ch) > 0x24F)
        if non_latin / len(letters) > 0.3:
            return "The text is mostly in a non-Latin script; phigate's scanner judges English only."
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return None
    english = sum(1 for w in words if w in _ENGLISH)
    foreign = sum(1 for w in words if w in _FOREIGN and w not in _ENGLISH)
    if foreign >= 2 and foreign > english:
        return (
            "The text appears to be in a language other than English; phigate's scanner judges English only."
        )
    return None
