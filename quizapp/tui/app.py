"""The Textual app and its factory.

Start-up is the first thing a learner feels, so this module imports only Textual (and the
clock), and Home is the first screen, drawn before anything is opened: only the theme is
peeked from the progress file. The start-up sequence after that first paint (the store, the
bank index, the banks) is `tui.startup`. `App.__init__` does no I/O.
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
from textual.notifications import Notify

from quizapp.study.clock import Clock, SystemClock
from quizapp.tui.startup import LoadProgress, StartingApp, unusable_data_dir
from quizapp.tui.text import say

if TYPE_CHECKING:
    from quizapp.content import Catalog
    from quizapp.store import ProgressStore
    from quizapp.study import Coach
    from quizapp.study.fit import FitResult

__all__ = ["MODES", "LoadProgress", "QuizApp", "make_app", "unusable_data_dir"]


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
    (
        "Export flashcards for Anki",
        "Write an .apkg package to study the flashcards in Anki on a phone",
        "anki",
    ),
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
            (0.99, name, help_text, partial(app.run_action_named, action))
            for name, help_text, action in ACTIONS
        ]
        return modes + actions


class QuizApp(StartingApp):
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
        self._index = None  # the bank index, once read (`tui.startup`)
        from quizapp.tui.syncing import AppSync

        self.sync = AppSync(self)

    # ------------------------------------------------------------------ start-up (`tui.startup`)
    # Home, drawn from nothing but the theme -> the menu is there at once; after it has painted,
    # the store and the bank index side by side make Home complete, and the bank loads after that.

    def on_mount(self) -> None:
        from quizapp.study.settings import peek_theme
        from quizapp.tui.screens.home import HomeScreen

        try:
            theme = peek_theme(self.data_dir)
        except (OSError, ValueError):  # a data dir too long to name, say: `open_store` will tell
            theme = None
        self._use_theme(theme)
        self.push_screen(HomeScreen())
        self.call_after_refresh(self.start_loading)
        from quizapp.tui.heap import RELEASE_AFTER_S, release_collector

        self.set_timer(RELEASE_AFTER_S, release_collector)  # were the bank load never to begin
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

    # ------------------------------------------------------------------ navigation

    def open_mode(self, mode: str) -> None:
        """Open a mode from anywhere (home keys and the command palette)."""
        if self.bank_error is not None:
            say(self, f"There is no bank to study: {self.bank_error}", severity="error")
            return
        if not self.bank_ready:  # Home is up and the bank is a moment away: go there then
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
            if not self.bank_ready:
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
        if self.bank_ready and self.sync.on_quit():  # a sync merges against the bank itself
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
    from quizapp.tui import heap

    heap.one_malloc_arena()  # before the app starts any thread (see there)
    return QuizApp(
        bank_dirs=bank_dirs,
        data_dir=data_dir,
        cache_dir=cache_dir or default_cache_dir(),
        clock=clock,
        catalog=catalog,
        fuzz=fuzz,
    )
