"""Where "now" comes from. The core never reads the clock; the edges pass `now` in."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

# How the bot waits (pacing, Retry-After). Injected everywhere so tests record waits instead of waiting.
Sleep = Callable[[float], Awaitable[None]]


class Clock(Protocol):
    """What every clock offers: the current, timezone-aware moment."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock tests move by hand, so a 20-week cohort runs in seconds."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now
