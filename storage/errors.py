"""Storage errors every layer above may see (kept apart so that storage modules can share them)."""

from __future__ import annotations


class StorageUnavailable(Exception):  # noqa: N818 - reads as what the operator sees
    """The database cannot be reached or used; the message says what to check (no secrets in it)."""
