"""The fault and delay queues the fake Slack and fake Teams connector share (each for the next few calls)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar


class Pending(Protocol):
    """A queued fault or delay, good for ``remaining`` more calls."""

    remaining: int


P = TypeVar("P", bound=Pending)


@dataclass
class Delay:
    """Answer the next ``remaining`` calls ``seconds`` late."""

    seconds: float
    remaining: int


def take(queue: list[P]) -> P | None:
    """Use up one time of the first pending fault or delay in ``queue`` (``None`` when none is left)."""
    for entry in queue:
        if entry.remaining > 0:
            entry.remaining -= 1
            if entry.remaining == 0:
                queue.remove(entry)
            return entry
    return None
