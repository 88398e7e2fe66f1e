"""Run one app to its first settled screen, headless, and print when that happened.

`python bench/first_screen.py minimal` is the floor: the smallest Textual app showing one line.
`python bench/first_screen.py quizapp DATA_DIR` is quizapp's home screen with the bundled banks.

Both print one JSON line of `time.perf_counter()` stamps (CLOCK_MONOTONIC on Linux, so the
parent can subtract the moment it spawned the process): `first_screen`, when the screen has
been drawn, and for quizapp also `complete`, when the bank has loaded and Home shows readiness.
Both stamp the same way, in a callback run right after the screen's first refresh (paint), so
the figures compare like with like; no pilot is involved, since waiting for the app to go idle
would also wait for work that happens after the first screen.
"""

from __future__ import annotations

import json
import sys
import time


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    stamps: dict[str, float] = {}

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("ready")

        def on_mount(self) -> None:
            self.screen.call_after_refresh(self.painted)

        def painted(self) -> None:
            stamps["first_screen"] = stamps["complete"] = time.perf_counter()
            self.exit()

    Minimal().run(headless=True, size=(80, 24))
    print(json.dumps(stamps))


def quizapp(data_dir: str) -> None:
    from pathlib import Path

    from quizapp.tui.heap import hold_collector

    hold_collector()  # as `quizapp` does before it imports Textual (`cli/app.run_app`)
    from quizapp.tui import app as quiz
    from quizapp.tui.screens.home import HomeScreen

    stamps: dict[str, float] = {}
    app = quiz.make_app(data_dir=Path(data_dir))
    mount, refresh = HomeScreen.on_mount, HomeScreen.refresh_home

    def on_mount(screen: HomeScreen) -> None:
        mount(screen)
        screen.call_after_refresh(lambda: stamps.setdefault("first_screen", time.perf_counter()))

    def refresh_home(screen: HomeScreen) -> None:
        refresh(screen)
        if app.coach is not None:  # readiness and the bank's figures are on screen now
            screen.call_after_refresh(done)

    def done() -> None:
        stamps["complete"] = time.perf_counter()
        app.exit()

    HomeScreen.on_mount = on_mount  # type: ignore[method-assign]
    HomeScreen.refresh_home = refresh_home  # type: ignore[method-assign]
    app.run(headless=True, size=(80, 24))
    print(json.dumps(stamps))


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        quizapp(sys.argv[2])
