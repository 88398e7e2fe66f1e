"""Time on an item, as the screens see it: one stopwatch per screen, paused while the learner is away.

The study layer's `Stopwatch` measures; this module decides when it runs, the same way on every
screen that times an item (practice, flashcards, the exam):

- a key or a click on the screen is activity (`touch`), so a long silence counts only up to the
  stopwatch's idle cap;
- the item is out of sight, and its time stands still, while anything is held over it: the app has
  lost focus ("away", from `QuizApp`), the process is suspended ("suspended"), or another screen
  covers it, a dialog, the navigator, Help or the command palette ("covered", from Textual's
  ScreenSuspend/ScreenResume). Each is a reason of its own and the time runs on only when none is
  left, so regaining focus while the navigator is still open does not start the clock.

Everything here is a few attribute writes: it runs on every key and must stay free of I/O and of
anything that grows with the learner's history.
"""

from __future__ import annotations

import math

from textual import events

from quizapp.study.stopwatch import Stopwatch

AWAY = "away"
SUSPENDED = "suspended"
COVERED = "covered"


class ItemTimer:
    """A stopwatch and the reasons it is held (see the module's docstring)."""

    def __init__(self, clock: object) -> None:
        self.watch = Stopwatch(clock)
        self._holds: set[str] = set()

    @property
    def held(self) -> bool:
        return bool(self._holds)

    def start(self) -> None:
        """An item is shown: time it from zero; if something is held over it, from when that ends."""
        self.watch.start()
        if self._holds:
            self.watch.pause()

    def touch(self) -> None:
        self.watch.touch()

    def hold(self, reason: str) -> None:
        self._holds.add(reason)
        self.watch.pause()

    def release(self, reason: str) -> None:
        self._holds.discard(reason)
        if not self._holds:
            self.watch.resume()

    def elapsed_ms(self) -> int:
        return self.watch.elapsed_ms()

    def lap(self) -> int:
        return self.watch.lap()

    def stop(self) -> int | None:
        return self.watch.stop()


ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
"""What says the learner is at the screen: a key, a click, scrolling the item."""
PRESENT = (events.Key, events.MouseDown)
"""What says the terminal has the focus again, as Textual takes it (`App.on_event`): a wheel can
scroll a window that is not focused, a key or a click cannot reach one."""


class TimesItems:
    """Mixed into a `Screen` that times the item it shows: `self.timer` (an `ItemTimer`) is set in
    `__init__` by the screen, which starts and stops it as items come and go; this mixin feeds it the
    learner's activity and the screen being covered. `QuizApp` holds it while the app is away.

    Put it before `Screen` in the bases: its `on_event` sees every event before any handler does
    (a screen's `on_key` may prevent the default, which stops handlers further down the MRO).
    """

    timer: ItemTimer

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            if isinstance(event, PRESENT):
                # The learner is back: a terminal that reported losing focus but not regaining it
                # would otherwise keep the item paused for good.
                self.timer.release(AWAY)
            self.timer.touch()
        elif isinstance(event, events.ScreenSuspend):
            self.timer.hold(COVERED)
        elif isinstance(event, events.ScreenResume):
            self.timer.release(COVERED)
        await super().on_event(event)  # type: ignore[misc]


def timed_screens(screens: object) -> list[TimesItems]:
    """The screens in a stack that time an item."""
    return [s for s in screens if isinstance(s, TimesItems)]  # type: ignore[attr-defined]


def seconds(value: float) -> str:
    """A time as the learner reads it, in whole seconds like the exam's pace ("83 s"); under a
    second is "<1 s", not a misleading 0."""
    if value < 0.5:
        return "<1 s"
    return f"{math.floor(value + 0.5)} s"  # half up: 5.5 s reads as 6 s, as a learner rounds


def took(ms: int | None) -> str:
    """'41 s' for a measured time in ms; '' when it was not measured (never shown as 0)."""
    return "" if ms is None else seconds(ms / 1000)
