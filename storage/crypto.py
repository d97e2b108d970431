"""Encryption at rest for the columns that can hold PHI: draft bodies, reply context, comments.

With ``PHIGATE_ENCRYPTION_KEY`` set (one or more Fernet keys, comma-separated; the first encrypts,
all decrypt) these columns are stored as ``enc:v1:<Fernet token>``. Plain rows written before a key
was configured keep working and are sealed by ``phigate keys rotate``. The cipher hangs on the
engine's dialect, so every ``Database`` has its own and the column type finds it without globals.

Any future store of platform credentials (e.g. Slack OAuth installation tokens) must use
``SealedText`` too.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from storage.errors import StorageUnavailable

PREFIX = "enc:v1:"
# A plain value that happens to start with "enc:" is stored behind this marker, so it is never
# mistaken for a sealed one (a draft can say anything).
PLAIN_MARKER = "enc:plain:"
_ATTRIBUTE = "phigate_cipher"


class EncryptionKeyError(StorageUnavailable):
    """The key setting is malformed, missing for an encrypted row, or does not open it."""


def make_cipher(keys: str) -> MultiFernet | None:
    """A cipher from comma-separated Fernet keys; None when ``keys`` is empty.

    Raises:
        EncryptionKeyError: a key is not a Fernet key (32 url-safe base64-encoded bytes).
    """
    parts = [part.strip() for part in keys.split(",") if part.strip()]
    if not parts:
        return None
    fernets = []
    for number, part in enumerate(parts, 1):
        try:
            fernets.append(Fernet(part.encode()))
        except (ValueError, TypeError):
            raise EncryptionKeyError(
                f"PHIGATE_ENCRYPTION_KEY: key {number} is not a Fernet key (make one with `phigate keys generate`)"
            ) from None
    return MultiFernet(fernets)


def attach(dialect: Dialect, cipher: MultiFernet | None) -> None:
    """Make ``SealedText`` columns of this engine encrypt with ``cipher`` (None: store plain text)."""
    setattr(dialect, _ATTRIBUTE, cipher)


def cipher_of(dialect: Dialect) -> MultiFernet | None:
    """The cipher attached to an engine's dialect, if any."""
    return getattr(dialect, _ATTRIBUTE, None)


def seal(cipher: MultiFernet, value: str) -> str:
    """``value`` encrypted with the first key, with the version prefix."""
    return PREFIX + cipher.encrypt(value.encode()).decode()


def stored_form(cipher: MultiFernet | None, value: Any) -> Any:
    """What is written for ``value``: sealed with a cipher, else plain (escaped if it looks sealed)."""
    if not isinstance(value, str) or not value:
        return value  # an empty value tells nothing; kept as it is
    if cipher is not None:
        return seal(cipher, value)
    return PLAIN_MARKER + value if value.startswith("enc:") else value


def unseal(cipher: MultiFernet | None, value: str) -> str:
    """The plain text of a stored value (plain values are returned as they are).

    Raises:
        EncryptionKeyError: the value is encrypted and no key, or no configured key, opens it.
    """
    if value.startswith(PLAIN_MARKER):
        return value[len(PLAIN_MARKER) :]
    if not value.startswith(PREFIX):
        return value
    if cipher is None:
        raise EncryptionKeyError(
            "an encrypted value was read but PHIGATE_ENCRYPTION_KEY is not set: configure the key it was written with"
        )
    try:
        return cipher.decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise EncryptionKeyError(
            "an encrypted value does not open with any key in PHIGATE_ENCRYPTION_KEY: keep the old key "
            "listed (after the new one) until `phigate keys rotate` has finished"
        ) from None


class SealedText(TypeDecorator[str]):
    """TEXT that is encrypted at rest when the engine has a cipher attached."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Encrypt on the way in."""
        return stored_form(cipher_of(dialect), value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """Decrypt on the way out."""
        if value is None:
            return value
        return unseal(cipher_of(dialect), value)
