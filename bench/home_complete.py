"""One whole process to Home complete, for the `history` suite: `python bench/home_complete.py DATA_DIR`.

Home is complete when every figure it shows is on screen: today's counts, the bank's line and the
pass chance (no "Pass chance: …", "Opening your progress…" or "loading" left). `minimal` instead of a
data dir is the floor: the smallest Textual app, whose first frame is its complete screen.

Both stamp the same way: right after a frame is composed (`Screen._compositor_refresh`, where the
headless driver would write it), with `time.perf_counter()` (CLOCK_MONOTONIC, shared across processes
on Linux), so the parent subtracts the moment it spawned the process and gets interpreter start,
imports, store and bank load, and every worker Home waits on. Prints one JSON line of stamps.
The app runs at the histories' clock (`histories.NOW`), as the in-process figures do, and starts
as the `quizapp` command starts it (`cli/app.run_app`): the collector held (`heap.hold_collector`)
before Textual is imported. So nothing here imports Textual before the app or the floor is chosen.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # histories.NOW, without importing the builder
UNFINISHED = ("Pass chance: …", "Opening your progress…", "(loading the bank)", "loading…")
TIMEOUT_S = 120
SETTLE_S = 1.0


def _on_frames(check) -> None:  # noqa: ANN001 - called with the screen after each composed frame
    from textual.screen import Screen

    compose = Screen._compositor_refresh

    def stamped(screen: Screen) -> None:
        compose(screen)
        check(screen)

    Screen._compositor_refresh = stamped  # type: ignore[method-assign]


def minimal() -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    stamps: dict[str, float] = {}

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("ready")

    app = Minimal()

    def check(screen: Screen) -> None:
        if "first_screen" not in stamps:
            stamps["first_screen"] = stamps["complete"] = time.perf_counter()
            app.exit()

    _on_frames(check)
    app.run(headless=True, size=(80, 24))
    return stamps


def _text(screen: Screen, selector: str) -> str:
    from textual.widgets import Static

    found = screen.query(selector)
    return "\n".join(str(w.content) for w in found if isinstance(w, Static))


def quizapp(data_dir: str, settle: bool = False) -> dict[str, float]:
    from pathlib import Path

    from quizapp.tui.heap import hold_collector

    hold_collector()  # as `quizapp` does before it imports Textual
    from quizapp.study import ManualClock
    from quizapp.tui.app import make_app

    stamps: dict[str, float] = {}
    app = make_app(data_dir=Path(data_dir), clock=ManualClock(NOW), fuzz=False)

    def check(screen: Screen) -> None:
        if type(screen).__name__ != "HomeScreen" or "complete" in stamps:
            return
        now = time.perf_counter()
        stamps.setdefault("first_screen", now)
        if app.coach is None:  # type: ignore[attr-defined]
            return
        shown = _text(screen, "#summary") + _text(screen, "#bank")
        if "Pass chance" in shown and not any(mark in shown for mark in UNFINISHED):
            stamps["complete"] = now
            # `--settle`: stay a second, as a learner does, so what the app keeps for its next
            # start after the paint (the recall evidence) is written: the warm-up of a warm start.
            app.set_timer(SETTLE_S, app.exit) if settle else app.exit()

    def give_up() -> None:
        stamps["timed_out"] = time.perf_counter()
        app.exit()

    _on_frames(check)
    app.call_later(lambda: app.set_timer(TIMEOUT_S, give_up))
    app.run(headless=True, size=(80, 24))
    return stamps


if __name__ == "__main__":
    result = minimal() if sys.argv[1] == "minimal" else quizapp(sys.argv[1], "--settle" in sys.argv[2:])
    print(json.dumps(result))
    sys.exit(0 if "complete" in result else 3)
