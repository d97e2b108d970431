"""Clocks: the real one, and one tests move by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SystemClock:
    """``bot.ports.Clock`` on the system time."""

    def now(self) -> datetime:
        """The current time, UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests, benchmarks)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        """The clock's time."""
        return self._now

    def advance(self, **delta: float) -> None:
        """Move forward, e.g. ``advance(hours=23)``."""
        self._now += timedelta(**delta)
