"""The clock is injected: the app uses the system's, tests a manual one that never sleeps.

Two readings: `now()` is the wall clock (what is stored, what days are counted in), which the
system may set back or forward at any time; `monotonic()`, where a clock has it, only ever moves
forward and is what durations are measured with (`study.stopwatch`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    tz: tzinfo | None
    """The learner's time zone; None means the system's. Study days (`study.days`) are counted in it."""

    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...

    def today(self) -> date:
        """The learner's calendar date (days to the exam count from it). Daily limits, due cards and
        the missed queue use the study day instead, which starts at a cut-off hour: see `study.days`."""
        ...


class SystemClock:
    tz: tzinfo | None = None  # the system's zone, asked at each use, so a DST change is followed

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now().astimezone().date()

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes back when the wall clock is set, and (on
        Linux) stands still while the machine sleeps, so a closed laptop lid is not study time."""
        return time.monotonic()


@dataclass
class ManualClock:
    """A clock that moves only when told to; `tz` decides the local date.

    `advance()` moves both readings (the monotonic one only ever forward); assigning `current`
    directly is a jump of the wall clock alone, as when the system's time is set.
    """

    current: datetime
    tz: tzinfo = UTC
    ticks: float = 0.0
    """The monotonic reading, in seconds."""

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.astimezone(self.tz).date()

    def monotonic(self) -> float:
        return self.ticks

    def advance(self, **delta: float) -> None:
        step = timedelta(**delta)
        self.current += step
        self.ticks += max(0.0, step.total_seconds())


def monotonic_of(clock: object) -> Callable[[], float]:
    """The clock's reading for measuring durations, in seconds.

    Its own `monotonic()` when it has one; a wrapper that has none (`days.StudyClock`) is looked
    through to the clock it wraps (`.clock`). A clock with neither falls back to its wall clock,
    which a jump can move either way: `Stopwatch` never counts a gap below zero and caps each one,
    so a jump costs at most the idle cap.
    """
    seen = 0
    while clock is not None and seen < 8:  # a wrapper of a wrapper, never a loop
        reading = getattr(clock, "monotonic", None)
        if callable(reading):
            return reading
        inner = getattr(clock, "clock", None)
        if inner is None:
            break
        clock, seen = inner, seen + 1
    wall = clock.now  # type: ignore[union-attr]
    return lambda: wall().timestamp()


def iso(moment: datetime) -> str:
    """The one timestamp format stored: UTC, microseconds, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())
