"""The Textual app and its factory.

Start-up is the first thing a learner feels, so this module imports only Textual (and the
clock), and Home is the first screen, drawn before anything is opened: only the theme is
peeked from the progress file. Then, each step after the previous one has painted, a worker
opens the store (Home fills in today's counts) and another loads the banks (pydantic, YAML, the
cache, fsrs; Home fills in readiness and the bank's figures, with progress while it loads).
`App.__init__` does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.message import Message
from textual.notifications import Notify

from quizapp.study.clock import Clock, SystemClock
from quizapp.tui.text import say

if TYPE_CHECKING:
    from quizapp.content import Catalog
    from quizapp.store import ProgressStore, StoreError
    from quizapp.study import Coach
    from quizapp.study.fit import FitResult


class LoadProgress(Message):
    """Posted from the loading worker (post_message is thread-safe)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


MODES = [
    ("Flashcards", "Review due flashcards", "flashcards"),
    ("Practice", "Practise questions by domain, task, tag or type", "practice"),
    ("Practice exam", "A timed exam shaped like AIF-C01", "exam"),
    ("Review missed", "Drill the questions you got wrong", "missed"),
    ("Progress dashboard", "Charts, mastery and readiness", "dashboard"),
    ("Settings", "New cards per day, retention, exam date, length, theme", "settings"),
    ("Home", "Back to the home screen", "home"),
]

ACTIONS = [
    ("Sync now", "Sync progress with your other machines through the folder chosen in Settings", "sync_now"),
    ("Export flashcards for Anki", "Write an .apkg package to study the flashcards in Anki on a phone", "anki"),
    ("Study in a browser", "How to open quizapp in a web browser (quizapp serve)", "serve"),
]
"""Palette entries that are not modes: they run a command of the app's (`QuizApp.run_action_named`)."""


class ModeCommands(Provider):
    """Every study mode in the command palette, listed as soon as it opens (README and help promise it).

    `discover` is what the palette shows before anything is typed. Its hits are `Hit`s with a score
    above the system commands' discovery hits (always 0): the palette orders by score, so the modes come
    first, in MODES order, whatever order the providers answer in.
    """

    async def discover(self) -> Hits:
        for score, name, help_text, run in self._entries():
            yield Hit(score, name, run, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for _, name, help_text, run in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)

    def _entries(self) -> list[tuple[float, str, str, Callable[[], None]]]:
        """The modes, then the other commands (scored just below them, so listed after)."""
        app = self.app
        assert isinstance(app, QuizApp)
        modes = [(1.0, name, help_text, partial(app.open_mode, mode)) for name, help_text, mode in MODES]
        actions = [
            (0.99, name, help_text, partial(app.run_action_named, action)) for name, help_text, action in ACTIONS
        ]
        return modes + actions


class QuizApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    SUB_TITLE = "AWS Certified AI Practitioner (AIF-C01)"
    COMMANDS = App.COMMANDS | {ModeCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        *,
        bank_dirs: Sequence[Path] = (),
        data_dir: Path,
        cache_dir: Path | None = None,
        clock: Clock | None = None,
        catalog: Catalog | None = None,
        fuzz: bool = True,
    ) -> None:
        super().__init__()
        self.bank_dirs = list(bank_dirs)
        self.data_dir = data_dir
        self.cache_dir = cache_dir
        self.clock = clock or SystemClock()
        self.catalog = catalog
        self.fuzz = fuzz
        self.store: ProgressStore | None = None
        self.coach: Coach | None = None
        self.load_progress = (0, 0)
        self._pending_mode: str | None = None
        self.bank_error: str | None = None  # why the banks could not be loaded, once that is known
        self._problems_told = 0  # how many of the coach's stored-progress problems were said
        self._banks_requested = False
        from quizapp.tui.syncing import AppSync

        self.sync = AppSync(self)

    # ------------------------------------------------------------------ start-up, in two steps
    # 1. Home, drawn from nothing but the theme -> the menu is there at once;
    # 2. after it has painted, two workers side by side: the store (Home fills in today's counts)
    #    and the banks (pydantic, the cache) -> the Coach, once both are in, and Home fills in the
    #    pass chance and the bank's figures. They overlap well: opening the store is SQLite's C
    #    code (its integrity check, the migration check), which runs without the GIL, while the
    #    bank load is Python. One after the other, a year of history paid both in full (issue 18).

    def on_mount(self) -> None:
        from quizapp.study.settings import peek_theme
        from quizapp.tui.screens.home import HomeScreen

        try:
            theme = peek_theme(self.data_dir)
        except (OSError, ValueError):  # a data dir too long to name, say: `open_store` will tell
            theme = None
        self._use_theme(theme)
        self.push_screen(HomeScreen())
        self.call_after_refresh(self.open_store)
        self.call_after_refresh(self._request_banks)
        # A suspend (`App.suspend`, `action_suspend_process`) is told at once, before the process
        # stops: posted, it would run only after the resume and count the time stopped.
        self.app_suspend_signal.subscribe(self, self._suspended, immediate=True)
        self.app_resume_signal.subscribe(self, self._resumed)

    # ------------------------------------------------------------------ time away from the item
    # A screen that times an item (`tui.timing`) holds its stopwatch while the terminal has lost focus
    # or the process is suspended. Every such screen in the stack is told, not only the top one: one
    # covered by a dialog is paused already, and must stay paused if focus returns before the dialog
    # closes. Where the terminal reports no focus changes, the stopwatch's idle cap bounds the time.

    def _hold_items(self, reason: str) -> None:
        from quizapp.tui.timing import timed_screens

        for screen in timed_screens(self.screen_stack):
            screen.timer.hold(reason)

    def _release_items(self, reason: str) -> None:
        from quizapp.tui.timing import timed_screens

        for screen in timed_screens(self.screen_stack):
            screen.timer.release(reason)

    def on_app_blur(self, event: events.AppBlur) -> None:
        from quizapp.tui.timing import AWAY

        self._hold_items(AWAY)

    def on_app_focus(self, event: events.AppFocus) -> None:
        from quizapp.tui.timing import AWAY

        self._release_items(AWAY)

    def _suspended(self, _app: object) -> None:
        from quizapp.tui.timing import SUSPENDED

        self._hold_items(SUSPENDED)

    def _resumed(self, _app: object) -> None:
        from quizapp.tui.timing import SUSPENDED

        self._release_items(SUSPENDED)

    def _use_theme(self, theme: str | None) -> None:
        if theme and theme != self.theme and theme in self.available_themes:
            self.theme = theme

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def open_store(self) -> None:
        from quizapp.store import ProgressStore, StoreError

        try:
            store: ProgressStore | StoreError = ProgressStore.open(self.data_dir)
        except StoreError as exc:
            store = exc
        except Exception as exc:  # noqa: BLE001 - whatever it is, the learner gets a dialog, not a hang
            store = unusable_data_dir(self.data_dir, exc)
        self.call_from_thread(self._store_opened, store)

    def _store_opened(self, store: ProgressStore | StoreError) -> None:
        from quizapp.store import StoreError

        if isinstance(store, StoreError):
            from quizapp.tui.dialogs.store_error import StoreErrorDialog

            self.push_screen(StoreErrorDialog(store), partial(self._store_choice, store))
            self._request_banks()
            return
        self._use_store(store)

    def _store_choice(self, error: StoreError, move: bool | None) -> None:
        from quizapp.store import ProgressStore, StoreError, move_aside
        from quizapp.tui.text import plain

        if not move:
            self.exit(return_code=1, message=plain(f"Progress left untouched: {error.path}\n{error.reason}"))
            return
        try:
            target = move_aside(error.path, self.clock.now().astimezone())
            say(self, f"Moved the old file to {target.name}")
            store = ProgressStore.open(self.data_dir)
        except StoreError as exc:
            self._store_opened(exc)
            return
        except Exception as exc:  # noqa: BLE001 - a read-only folder, say: tell, never a traceback
            self._store_opened(unusable_data_dir(self.data_dir, exc))
            return
        self._use_store(store)
        if self.catalog is not None and self.coach is None:
            self._bank_loaded(self.catalog)

    def _use_store(self, store: ProgressStore) -> None:
        from quizapp.study.settings import read_settings

        self.store = store
        self._use_theme(read_settings(store).theme)  # the peek is only a hint
        self._refresh_home()
        warnings = list(getattr(store, "warnings", []))
        if warnings:
            from quizapp.tui.dialogs.message import MessageDialog

            self.push_screen(
                MessageDialog(
                    "Your progress file was repaired when it opened",
                    "\n".join(f"• {w}" for w in warnings) + "\n\nWhat is in the file now is kept. "
                    "`quizapp doctor` lists anything that was set aside.",
                    [("OK", "ok", "enter")],
                )
            )
        if self.catalog is not None and self.coach is None:  # the banks came in first
            self._bank_loaded(self.catalog)
        else:
            self._request_banks()

    def _request_banks(self) -> None:
        if not self._banks_requested:
            self._banks_requested = True
            self.load_banks()

    @work(thread=True, exclusive=True, exit_on_error=False, group="banks")
    def load_banks(self) -> None:
        try:
            from quizapp.content import default_sources, load_catalog

            catalog = self.catalog or load_catalog(
                default_sources(self.bank_dirs),
                cache_dir=self.cache_dir,
                progress=lambda done, total: self.post_message(LoadProgress(done, total)),
                save_in_background=True,
            )
            from quizapp.study import Coach  # noqa: F401 - imported here, off the main thread
        except Exception as exc:  # noqa: BLE001 - a dialog with the error, never an endless "loading"
            self.call_from_thread(self._bank_failed, exc)
            return
        self.call_from_thread(self._bank_loaded, catalog)

    def _bank_failed(self, error: Exception) -> None:
        """Say why there is no bank; progress is untouched and the app stays open to quit."""
        from quizapp.tui.dialogs.message import MessageDialog

        self.bank_error = f"{type(error).__name__}: {error}"
        self._pending_mode = None
        self._refresh_home()
        self.push_screen(
            MessageDialog(
                "The question bank could not be loaded",
                f"{self.bank_error}\n\nYour progress is untouched. Check your bank folders with "
                "`quizapp validate`, fix or remove the file it names, and start quizapp again.",
                [("Quit", "quit", "q"), ("Close", "close", "enter")],
            ),
            lambda choice: self.exit(return_code=1) if choice == "quit" else None,
        )

    def _refresh_home(self) -> None:
        refresh = getattr(self.screen, "refresh_home", None)
        if callable(refresh) and self.screen.is_mounted:
            refresh()
        self.tell_stored_problems()

    def _on_notify(self, event: Notify) -> None:
        """Every message replaces the one still shown (issue 15, item 12): hidden by CSS alone, an
        older, longer-lived toast came back when a newer, shorter one expired. `notify` only posts
        the message; Textual then runs this handler before its own (subclass first), which adds it."""
        self._notifications.clear()

    def maybe_fit(self) -> None:
        """Fit the learner's own FSRS parameters in the background once enough new reviews have
        accumulated (issue 16): asked when Home shows, never on a key. The check is two indexed
        counts; the fit runs in a child process (fsrs-rs can print a panic to stderr, which must
        never reach this terminal) from a thread worker, so the screen never waits for it."""
        coach, store = self.coach, self.store
        if coach is None or store is None:
            return
        from quizapp.store import StoreError
        from quizapp.study.fit_settings import refit_due, review_count

        try:
            due = refit_due(coach.fsrs, review_count(store))
        except StoreError:
            return  # the store's own error is shown where it matters; a fit can wait
        if due:
            self.fit_parameters()

    @work(thread=True, exclusive=True, exit_on_error=False, group="fsrs-fit")
    def fit_parameters(self) -> None:
        from quizapp.study.fit_worker import run_fit_isolated

        result = run_fit_isolated(self.data_dir)
        self.call_from_thread(self._fitted, result)

    def _fitted(self, result: FitResult) -> None:
        from quizapp.store import StoreError
        from quizapp.study.fit_settings import record_fit

        coach, store = self.coach, self.store
        if coach is None or store is None:
            return
        was_fitted = coach.fsrs.fitted
        try:
            choice = record_fit(store, result, self.clock.now())
        except StoreError:
            return  # not saved: the next Home asks again, as the count has not moved
        coach.forget_settings()
        if choice.fitted and result.adopted:
            first = "now tunes" if not was_fitted else "tuned"
            say(self, f"Your review history {first} the scheduler: personal FSRS parameters (see Settings).")
            self._refresh_home()  # the pass chance follows the new parameters

    def tell_stored_problems(self) -> None:
        """Stored progress the coach found unusable (a card state, a setting, an exam), said once
        each: studying carries on around it, and the doctor sets it aside without deleting history."""
        if self.coach is None or len(self.coach.problems) <= self._problems_told:
            return
        new = self.coach.problems[self._problems_told :]
        self._problems_told = len(self.coach.problems)
        say(
            self,
            "Some stored progress cannot be used and is left out:\n"
            + "\n".join(f"• {problem}" for problem in new[:3])
            + (f"\n… and {len(new) - 3} more" if len(new) > 3 else "")
            + "\nRun `quizapp doctor` to see it all, `quizapp doctor --repair` to set it aside "
            "(nothing is deleted).",
            severity="warning",
            timeout=15,
        )

    def on_load_progress(self, message: LoadProgress) -> None:
        self.load_progress = (message.done, message.total)
        show = getattr(self.screen, "show_bank_progress", None)
        if callable(show):
            show(message.done, message.total)

    def _bank_loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        if self.store is None or self.coach is not None:  # the store's arrival (or a store-error
            return  # dialog's choice) continues; a catalog given to the app may arrive twice
        from quizapp.study import Coach

        try:
            self.coach = Coach(catalog.primary, self.store, self.clock, fuzz=self.fuzz)
        except Exception as exc:  # noqa: BLE001 - an empty catalog, say: the same dialog as a failed load
            self._bank_failed(exc)
            return
        self.call_after_refresh(self._refresh_home)
        self.sync.on_start()
        if catalog.problems:
            from quizapp.tui.dialogs.problems import ProblemsDialog

            self.push_screen(ProblemsDialog(catalog.problems))
        if self._pending_mode is not None:
            mode, self._pending_mode = self._pending_mode, None
            self.open_mode(mode)

    # ------------------------------------------------------------------ navigation

    def open_mode(self, mode: str) -> None:
        """Open a mode from anywhere (home keys and the command palette)."""
        if self.bank_error is not None:
            say(self, f"There is no bank to study: {self.bank_error}", severity="error")
            return
        if self.coach is None:  # Home is up and the bank is a moment away: go there then
            self._pending_mode = mode
            self.notify("Loading the bank… opening it in a moment.", timeout=2)
            return
        if self.sync.hold(mode):
            return
        from quizapp.tui.screens import home

        home.open_mode(self, mode)

    def run_action_named(self, action: str) -> None:
        """A palette entry that is not a mode."""
        if action == "sync_now":
            if self.coach is None:
                say(self, "Loading the bank… sync in a moment.")
                return
            self.sync.now()
        elif action == "anki":
            from quizapp.tui.anki_export import ask_anki_export

            ask_anki_export(self)
        elif action == "serve":
            from quizapp.tui.dialogs.message import MessageDialog

            self.push_screen(MessageDialog("Study in a browser", SERVE_HELP, [("OK", "ok", "enter")]))

    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(self.screen, getattr(self.screen, "HELP_TITLE", self.screen.__class__.__name__))
        )

    async def action_quit(self) -> None:
        checkpoint = getattr(self.screen, "checkpoint", None)
        if callable(checkpoint):
            checkpoint()
        if self.sync.on_quit():
            return  # the app exits when the sync ends
        self.exit()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()


SERVE_HELP = (
    "quizapp can run in a web browser, the same app with the same progress.\n\n"
    "In a terminal, run:\n    quizapp serve\n"
    "then open the address it prints (http://127.0.0.1:8000 by default). It listens only on this "
    "machine. To use it from another device on your network, run `quizapp serve --host 0.0.0.0` "
    "and open the address with the access token it prints: anyone who can reach the port could "
    "otherwise study as you and change your progress."
)


def make_app(
    *,
    bank_dirs: Sequence[Path] = (),
    data_dir: Path,
    cache_dir: Path | None = None,
    clock: Clock | None = None,
    catalog: Catalog | None = None,
    fuzz: bool = True,
) -> QuizApp:
    """The one way to build the app, used by the CLI and the tests alike.

    `cache_dir` defaults to the platform's cache dir (or `QUIZAPP_CACHE_DIR`).
    """
    from quizapp.paths import cache_dir as default_cache_dir

    return QuizApp(
        bank_dirs=bank_dirs,
        data_dir=data_dir,
        cache_dir=cache_dir or default_cache_dir(),
        clock=clock,
        catalog=catalog,
        fuzz=fuzz,
    )


def unusable_data_dir(data_dir: Path, error: Exception) -> StoreError:
    """A fault opening the store that reached the app unworded, as a StoreError the store-error
    dialog shows: a dialog, never a hang. An OSError gets the store's own words for it."""
    from quizapp.store import DB_NAME, StoreError
    from quizapp.store.db import os_error

    if isinstance(error, OSError):
        return os_error(data_dir / DB_NAME, error)
    return StoreError(data_dir, f"{type(error).__name__}: {error}", can_move_aside=False)
