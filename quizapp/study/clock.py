"""The clock is injected: the app uses the system's, tests a manual one that never sleeps."""

from __future__ import annotations

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


@dataclass
class ManualClock:
    """A clock that moves only when told to; `tz` decides the local date."""

    current: datetime
    tz: tzinfo = UTC

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.astimezone(self.tz).date()

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def iso(moment: datetime) -> str:
    """The one timestamp format stored: UTC, microseconds, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())
