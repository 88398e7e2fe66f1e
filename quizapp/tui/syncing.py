"""The app's side of folder sync: on start, on quit, and when asked (palette, Settings).

A sync runs in a thread worker with a store connection of its own (`study.sync.sync_data_dir`),
so Home stays drawn and keys keep working. What it merges changes what a study session would
start from, so a mode asked for while it runs opens when it is done (and says so) rather than
starting from a schedule about to change; a session already open when a manual sync starts keeps
going, as sync only adds reviews and answers and replays every card from its full log.

On quit the sync runs before the app exits: the progress studied on this machine reaches the
folder before the learner walks to the other one. It is one transaction a peer file, so a kill
during it loses nothing and the next sync completes; `q` pressed again while it runs still waits
for it (a half-finished sync is never abandoned by the app) and says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.tui.text import say

if TYPE_CHECKING:
    from quizapp.store.sync import SyncReport
    from quizapp.store.sync_state import SyncState
    from quizapp.tui.app import QuizApp


class AppSync:
    """Runs at most one sync at a time for the app, and remembers what waits for it."""

    def __init__(self, app: QuizApp) -> None:
        self.app = app
        self.running = False
        self.quitting = False
        self.waiting_mode: str | None = None
        self.last_report: SyncReport | None = None

    def state(self) -> SyncState:
        from quizapp.study.sync import sync_settings

        return sync_settings(self.app.data_dir)

    def on_start(self) -> None:
        """Once the bank is loaded (merging needs it to check and replay what comes in)."""
        state = self.state()
        if state.folder and state.automatic:
            self.start(state.folder, why="start")

    def on_quit(self) -> bool:
        """True when a sync was started (or is running) and the app exits when it ends."""
        if self.running:
            self.quitting = True
            say(self.app, "Finishing the sync with your other machines, then quitting…")
            return True
        state = self.state()
        if not (state.folder and state.automatic) or self.app.coach is None:
            return False
        self.quitting = True
        self.start(state.folder, why="quit")
        return True

    def now(self) -> None:
        """Sync when asked (the palette, Settings' Sync now)."""
        state = self.state()
        if not state.folder:
            say(self.app, "No sync folder chosen yet: type one here, then Sync now.", severity="warning")
            self.app.open_mode("settings")
            self.app.call_after_refresh(self._show_folder_field)
            return
        if self.running:
            say(self.app, "A sync is already running.")
            return
        self.start(state.folder, why="now")

    def _show_folder_field(self) -> None:
        """Settings opened to choose a folder: its field has the focus, scrolled into view (it is
        near the bottom of the form)."""
        from textual.css.query import NoMatches

        try:
            field = self.app.screen.query_one("#sync_folder")
        except NoMatches:
            return
        field.focus()
        field.scroll_visible(animate=False)

    def start(self, folder: str, why: str) -> None:
        app = self.app
        if app.coach is None:
            return
        self.running = True
        bank, data_dir, now = app.coach.bank, app.data_dir, app.clock.now().astimezone()
        words = {"start": "Syncing with your other machines…", "quit": "Syncing before quitting…"}
        say(app, words.get(why, f"Syncing with {Path(folder).expanduser()}…"), timeout=30)

        def work() -> None:
            from quizapp.study.sync import SyncFailed, sync_data_dir

            try:
                outcome: SyncReport | str = sync_data_dir(data_dir, Path(folder), bank, now)
            except SyncFailed as exc:
                outcome = exc.message
            except Exception as exc:  # noqa: BLE001 - said in words, never a traceback or a stuck "syncing"
                outcome = f"{type(exc).__name__}: {exc}"
            app.call_from_thread(self._done, outcome)

        app.run_worker(work, name="sync", group="sync", thread=True, exclusive=True, exit_on_error=False)

    def _done(self, outcome: SyncReport | str) -> None:
        app = self.app
        self.running = False
        if isinstance(outcome, str):
            message = f"Sync failed: {outcome}"
            if self.quitting:
                app.exit(message=f"quizapp: {message}\nYour progress here is kept; sync again later.")
                return
            advice = "\nYour progress here is kept; try again from the palette (Sync now)."
            say(app, message + advice, severity="error", timeout=15)
        else:
            self.last_report = outcome
            if self.quitting:
                app.exit()
                return
            if app.coach is not None:
                app.coach.forget_settings()  # a fresh device adopts its peers' settings
            app._refresh_home()
            problems = outcome.skipped
            text = f"Synced: {outcome.summary()}"
            if problems:
                text += "\n" + "\n".join(f"• {line}" for line in problems[:3])
            say(app, text, severity="warning" if problems else "information", timeout=10 if problems else 4)
        finished = getattr(app.screen, "sync_finished", None)
        if callable(finished):
            finished()
        if self.waiting_mode is not None:
            mode, self.waiting_mode = self.waiting_mode, None
            app.open_mode(mode)

    def hold(self, mode: str) -> bool:
        """True when `mode` must wait for the sync running now; it opens when the sync ends."""
        if not self.running or mode in ("home", "dashboard", "settings"):
            return False
        self.waiting_mode = mode
        say(self.app, "Syncing with your other machines… opening it when that is done.", timeout=5)
        return True
