"""Keypress latency through a whole practice exam, driven by Textual's Pilot at 80x24.

A key's latency is the wall time of `await pilot.press(key); await pilot.pause()`: from pressing it
to the screen having processed everything it caused. The app is the real one (bundled bank, real
loader, real store in a temp data dir); only keys pressed inside the exam are timed, not start-up.

Two companions keep that number honest. Pilot waits for idleness by sleeping in 20 ms slices
(`textual._wait.wait_for_idle`, three times per press + pause), so even an app that does nothing
scores about 60 ms: `pilot_floor` measures exactly that on a minimal Textual app. And the CPU time
the process spends inside the same window excludes those sleeps: it is the work a key costs, the
part a frame budget (16.7 ms at 60 Hz) is really about.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.widgets.question import Choices

SIZE = (80, 24)
FLAG_EVERY = 9
BACK_EVERY = 13
MOVE_KEYS = frozenset({"right", "left"})


@dataclass
class KeyTimes:
    """Wall and CPU seconds per key press, in press order, with the key that was pressed."""

    keys: list[str] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def where(self, moves: bool) -> list[float]:
        """CPU seconds of the moves between questions (True) or of every other key (False)."""
        return [c for k, c in zip(self.keys, self.cpu, strict=True) if (k in MOVE_KEYS) == moves]


@dataclass
class ExamRun(KeyTimes):
    """One exam's key times, and what it covered."""

    questions: int = 0
    types: set[str] = field(default_factory=set)
    submit_s: float = 0.0


async def _timed_press(pilot: Pilot, key: str, times: KeyTimes) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    await pilot.pause()
    times.wall.append(time.perf_counter() - start)
    times.cpu.append(time.process_time() - cpu)
    times.keys.append(key)


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
    times = KeyTimes()
    asyncio.run(_floor(times, presses))
    return times
