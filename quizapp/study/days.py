"""Study days: the one meaning of "a day" for due cards, daily limits and the missed queue.

A learner who studies until 1 am is still in the evening's day: like Anki, a study day starts at a
cut-off hour of the learner's local time ("next day starts at", 4 am unless changed), not at
midnight. Items fall due by the day, not by the minute: a card due tomorrow at 20:40 is due from
tomorrow's cut-off, so the evening's reviews are ready in the morning. The arithmetic is on the wall
clock, so a daylight-saving change moves the instant a day starts, never which day a moment is in.

Time zones: `tz` None means the system's own (what `SystemClock` reports); tests pass a zone, so the
results never depend on the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.study.clock import Clock

DEFAULT_CUTOFF = 4
"""Anki's default: a day starts at 4 am local time."""


def study_day(now: datetime, cutoff_hour: int, tz: tzinfo | None = None) -> date:
    """The study day `now` (an aware datetime) belongs to: its local date, or the day before when
    the local time is earlier than the cut-off hour."""
    local = now.astimezone(tz).replace(tzinfo=None)  # the wall clock, so DST shifts nothing
    return (local - timedelta(hours=cutoff_hour)).date()


def day_start(day: date, cutoff_hour: int, tz: tzinfo | None = None) -> datetime:
    """The instant (UTC) study day `day` starts: the cut-off hour on that local date. On the day
    clocks spring forward past the cut-off, it is the instant the clocks jump."""
    return _first_instant(datetime.combine(day, time(cutoff_hour)), tz)


def _first_instant(wall: datetime, tz: tzinfo | None) -> datetime:
    """The first instant (UTC) the local clock shows `wall`: the earlier one when clocks fall back and
    it shows twice, the instant the clocks jump past it when they spring forward and it never shows.
    Asked of both readings (fold 0 and 1), so a zone and the system's own agree on every edge."""

    def reading(fold: int) -> datetime:
        local = wall.replace(fold=fold)
        return (local.replace(tzinfo=tz) if tz is not None else local.astimezone()).astimezone(UTC)

    readings = (reading(0), reading(1))
    shown = [r for r in readings if r.astimezone(tz).replace(tzinfo=None) == wall]
    return min(shown) if shown else max(readings)


def day_end(now: datetime, cutoff_hour: int, tz: tzinfo | None = None) -> datetime:
    """The instant (UTC) the study day containing `now` ends, which is when the next one starts."""
    return day_start(study_day(now, cutoff_hour, tz) + timedelta(days=1), cutoff_hour, tz)


@dataclass(frozen=True)
class StudyClock:
    """The injected clock seen through the learner's cut-off: `now()` is the clock's own, `today()`
    is the study day. Sessions take it where they took a clock, so every answer's `day`, every
    card's introduction day and every daily limit use the same day."""

    clock: Clock
    cutoff_hour: int = DEFAULT_CUTOFF

    @property
    def tz(self) -> tzinfo | None:
        return getattr(self.clock, "tz", None)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """The current study day (not the calendar date between midnight and the cut-off)."""
        return study_day(self.clock.now(), self.cutoff_hour, self.tz)

    def start(self) -> datetime:
        """When the current study day started (UTC): what "done today" counts from."""
        return day_start(self.today(), self.cutoff_hour, self.tz)

    def end(self) -> datetime:
        """When the current study day ends (UTC): what is due before it is due today."""
        return self.ends(1)[0]

    def ends(self, days: int) -> list[datetime]:
        """The ends of the current study day and the `days - 1` after it (UTC), each from the wall
        clock, so a forecast's days are 23 or 25 hours long when the clocks change."""
        first = self.today()
        return [day_start(first + timedelta(days=i + 1), self.cutoff_hour, self.tz) for i in range(days)]
