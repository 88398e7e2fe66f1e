"""How long an item was in front of the learner: from shown to submitted, pauses and time away left out.

The screens own one `Stopwatch` each and drive it; the sessions only receive the figure
(`PracticeSession.answer(..., duration_ms=)`, `FlashcardSession.rate(..., duration_ms=)`,
`ExamSession.spend(position, ms)`). It reads the injected clock's monotonic reading
(`clock.monotonic_of`), so setting the system's time mid-question neither adds an hour nor makes
a time negative, and tests move it with `ManualClock.advance`.

States: idle (nothing timed), running, paused. `start()` begins timing an item from zero;
`pause()`/`resume()` are for the app losing and regaining focus and for a suspend (ctrl+z), and
do nothing when no item is being timed, so a focus event on a feedback panel starts nothing.
"""

from __future__ import annotations

from quizapp.study.clock import monotonic_of

IDLE_CAP_S = 300.0
"""At most this much of any stretch without a key press is counted (5 minutes).

Pausing on blur catches a learner who switches to another window, but not one who walks away
and leaves the terminal focused: the question stays "on screen" over lunch. Nobody reads one exam
question for more than a few minutes without touching a key, so a longer silence is counted as
this cap, not as its length: the time stays an honest upper bound of the thinking, and one lunch
break cannot swamp a median. The screens report key presses with `touch()`."""


class Stopwatch:
    """Time spent on one item, in whole milliseconds."""

    def __init__(self, clock: object, idle_cap_s: float = IDLE_CAP_S) -> None:
        if idle_cap_s <= 0:
            raise ValueError("the idle cap must be positive")
        self._read = monotonic_of(clock)
        self._offset = 0.0
        self._last = self._read()
        self.idle_cap_s = idle_cap_s
        self._counted = 0.0
        self._mark: float | None = None
        """The reading at the last activity while running; None while idle or paused."""
        self._timing = False
        """An item is being timed (running or paused)."""

    # ----------------------------------------------------------------- state

    @property
    def running(self) -> bool:
        return self._mark is not None

    @property
    def paused(self) -> bool:
        return self._timing and self._mark is None

    def _now(self) -> float:
        """The clock's reading, made monotonic: a reading that went back (only a wall-clock
        fallback does) stands still at the last one and goes on from there, so a clock set back
        costs nothing and the stretch after it is still counted."""
        raw = self._read() + self._offset
        if raw < self._last:
            self._offset += self._last - raw
            raw = self._last
        self._last = raw
        return raw

    def _stretch(self) -> float:
        """Seconds since the last mark, at most the idle cap (a jump forward counts as the cap)."""
        assert self._mark is not None
        return min(self._now() - self._mark, self.idle_cap_s)

    def _fold(self) -> None:
        """Count the stretch since the last mark and mark now."""
        if self._mark is None:
            return
        self._counted += self._stretch()
        self._mark = self._last

    # ----------------------------------------------------------------- what the screens call

    def start(self) -> None:
        """An item is shown: time it from zero (whatever was being timed is dropped)."""
        self._counted = 0.0
        self._timing = True
        self._mark = self._now()

    def touch(self) -> None:
        """A key was pressed: the learner is here, so the silence before it counts in full up
        to the idle cap, and a new stretch begins."""
        self._fold()

    def pause(self) -> None:
        """The app lost focus or is suspended: stop counting until `resume()`."""
        self._fold()
        self._mark = None

    def resume(self) -> None:
        """The app has focus again: count on, if an item is being timed and was paused."""
        if self.paused:
            self._mark = self._now()

    def elapsed_ms(self) -> int:
        """Time counted so far; the stopwatch keeps going."""
        counted = self._counted
        if self._mark is not None:
            counted += self._stretch()  # a reading, not activity: the mark stays, so the cap holds
        return round(counted * 1000)

    def lap(self) -> int:
        """Time counted since `start()` or the last lap, and go on from zero in the same state
        (an exam item's time handed to the session on a checkpoint, its timing continuing)."""
        self._fold()
        counted = round(self._counted * 1000)
        self._counted = 0.0
        return counted

    def stop(self) -> int | None:
        """The item is done (submitted, rated, left): its time, or None when nothing was being
        timed (a duration the app did not measure is unknown, never 0)."""
        if not self._timing:
            return None
        self._fold()
        counted = round(self._counted * 1000)
        self._counted = 0.0
        self._mark = None
        self._timing = False
        return counted
