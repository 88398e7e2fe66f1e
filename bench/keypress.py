"""Keypress latency through a whole practice exam, driven by Textual's Pilot at 80x24.

A key's latency is the time from pressing it to the screen having settled: the moment the last frame
the key caused was composed. Pilot presses the key and waits (`pilot.press` + `pilot.pause`) until the
app has processed everything it caused; every frame the screen composes meanwhile is stamped, and the
key's latency runs to the last of them. Frames that only redraw the exam clock are left out: that is
the 1 Hz countdown, not the key. The app is the real one (bundled bank, real loader, real store in a
temp data dir); only keys pressed inside the exam are timed, not start-up.

Why not the wall time of `press` + `pause` itself: Pilot detects idleness by sleeping in 20 ms slices
(`textual._wait.wait_for_idle`, three times per press + pause), so even an app that does nothing
takes about 60 ms there. That figure is still reported, beside `pilot_floor` (the same measurement on
a minimal Textual app), and so is the CPU time the process spent in the window.
"""

from __future__ import annotations

import asyncio
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.widgets.question import Choices

SIZE = (80, 24)
FLAG_EVERY = 9
BACK_EVERY = 13
MOVE_KEYS = frozenset({"right", "left"})


CLOCK_ONLY = frozenset({"clock"})


@dataclass
class Frames:
    """When each frame was composed, and whether it redrew more than the clock.

    Kept in flat arrays: the long-session bench (session_memory.py) measures the app's RSS growth, and a
    Python object per frame (a float, a set of widget ids) would count the bench's own bookkeeping as the
    app's."""

    times: array = field(default_factory=lambda: array("d"))
    own: bytearray = field(default_factory=bytearray)
    """0 for a frame that redrew the clock alone (its 1 Hz tick), 1 for any other."""

    def settled_after(self, start: float, first: int) -> float | None:
        """Seconds from `start` to the last frame from index `first` on that is not the clock's tick."""
        for index in range(len(self.times) - 1, first - 1, -1):
            if self.own[index]:
                return self.times[index] - start
        return None


FRAMES = Frames()


def _stamp_frames() -> None:
    """Stamp every frame a screen composes (bench-only instrumentation; idempotent).

    `Screen._compositor_refresh` is where Textual renders a frame and, in a real terminal, writes it;
    the headless driver skips only that write.
    """
    if getattr(Screen, "_bench_stamped", False):
        return
    compose = Screen._compositor_refresh

    def stamped(screen: Screen) -> None:
        dirty = screen._dirty_widgets
        own = not dirty or any(widget.id not in CLOCK_ONLY for widget in dirty)  # a full repaint: own
        compose(screen)
        FRAMES.times.append(time.perf_counter())
        FRAMES.own.append(own)

    Screen._compositor_refresh = stamped  # type: ignore[method-assign]
    Screen._bench_stamped = True  # type: ignore[attr-defined]


@dataclass
class KeyTimes:
    """Per key press, in press order: the key, seconds to the screen settled, and Pilot's wall and CPU
    seconds for press + pause. `unpainted` counts keys that drew no frame (their settled time is the wall
    time, the most it can be). Seconds are kept in flat arrays, so that a long session's bookkeeping is
    not counted as the app's memory (session_memory.py)."""

    keys: list[str] = field(default_factory=list)
    settled: array = field(default_factory=lambda: array("d"))
    wall: array = field(default_factory=lambda: array("d"))
    cpu: array = field(default_factory=lambda: array("d"))
    unpainted: int = 0

    def where(self, moves: bool) -> list[float]:
        """Settled seconds of the moves between questions (True) or of every other key (False)."""
        return [t for k, t in zip(self.keys, self.settled, strict=True) if (k in MOVE_KEYS) == moves]


@dataclass
class ExamRun(KeyTimes):
    """One exam's key times, and what it covered."""

    questions: int = 0
    types: set[str] = field(default_factory=set)
    submit_s: float = 0.0


async def _timed_press(pilot: Pilot, key: str, times: KeyTimes) -> None:
    first = len(FRAMES.times)
    start, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    await pilot.pause()
    wall = time.perf_counter() - start
    times.cpu.append(time.process_time() - cpu)
    times.wall.append(wall)
    times.keys.append(key)
    settled = FRAMES.settled_after(start, first)
    if settled is None:
        times.unpainted += 1
    times.settled.append(wall if settled is None else settled)


async def _ready(pilot: Pilot, screen_name: str, tries: int = 400) -> None:
    """Wait for a screen by name (the loading worker runs in a thread, so poll)."""
    for _ in range(tries):
        await pilot.pause()
        if type(pilot.app.screen).__name__ == screen_name:
            return
    raise RuntimeError(f"never reached {screen_name}; at {type(pilot.app.screen).__name__}")


def right_answer_keys(choices: Choices) -> list[str]:
    """The keys a learner presses to answer the shown question right (as tests/tui/helpers.py does)."""
    q = choices.question
    if q.type == "single":
        right = next(i for i, o in enumerate(q.options) if o.correct)
        return [str(choices.order.index(right) + 1)]
    if q.type == "multi":
        return [str(choices.order.index(i) + 1) for i, o in enumerate(q.options) if o.correct]
    if q.type == "ordering":
        keys: list[str] = []
        order, cursor = list(choices.order), choices.cursor
        for target in range(len(order)):  # selection sort with the cursor and [ moves
            at = order.index(target)
            keys += ["down"] * (at - cursor) if at >= cursor else ["up"] * (cursor - at)
            cursor = at
            while cursor > target:
                keys.append("left_square_bracket")
                order[cursor - 1], order[cursor] = order[cursor], order[cursor - 1]
                cursor -= 1
        return keys
    return [str(choices.responses.index(pair.response) + 1) for pair in q.pairs]


async def _exam(app: QuizApp, run: ExamRun, length: int | None) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, "HomeScreen")
        if length is not None:
            assert app.coach is not None
            app.coach.update_settings(exam_length=str(length))
        await pilot.press("e")
        await _ready(pilot, "ConfirmDialog")
        await pilot.press("y")
        await _ready(pilot, "ExamScreen")
        screen = app.screen
        session = screen.session  # type: ignore[attr-defined]
        run.questions = len(session)
        for position in range(len(session)):
            if session.position != position:
                raise RuntimeError(f"expected question {position + 1}, at {session.position + 1}")
            choices = screen.query_one(Choices)
            run.types.add(choices.question.type)
            for key in right_answer_keys(choices):
                await _timed_press(pilot, key, run)
            if not session.is_answered(position):
                raise RuntimeError(f"question {position + 1} ({choices.question.type}) not answered")
            if position % FLAG_EVERY == 0:
                await _timed_press(pilot, "m", run)
            if position % BACK_EVERY == BACK_EVERY - 1:  # look back at the previous one, then return
                await _timed_press(pilot, "left", run)
                await _timed_press(pilot, "right", run)
            if position < len(session) - 1:
                await _timed_press(pilot, "right", run)
        if session.unanswered():
            raise RuntimeError(f"unanswered after the exam: {session.unanswered()}")
        # Review and submit are timed apart: grading and committing 65 answers is not a keystroke.
        await pilot.press("r")
        await _ready(pilot, "ReviewDialog")
        await pilot.press("s")
        await _ready(pilot, "ConfirmDialog")
        start = time.perf_counter()
        await pilot.press("y")
        await _ready(pilot, "ResultsScreen")
        run.submit_s = time.perf_counter() - start


def exam_keypresses(data_dir: Path, length: int | None = None) -> ExamRun:
    """One exam in a fresh app and data dir: the blueprint's full length (65) unless `length` is set."""
    _stamp_frames()
    app = make_app(data_dir=data_dir, fuzz=False)
    run = ExamRun()
    asyncio.run(_exam(app, run, length))
    return run


class _Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("ready")


async def _floor(times: KeyTimes, presses: int) -> None:
    app = _Minimal()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = ("1", "down", "m", "right")
        for n in range(presses):
            await _timed_press(pilot, keys[n % len(keys)], times)


def pilot_floor(presses: int) -> KeyTimes:
    """The same measurement on a minimal Textual app with no bindings: what Pilot itself costs."""
    _stamp_frames()
    times = KeyTimes()
    asyncio.run(_floor(times, presses))
    return times
