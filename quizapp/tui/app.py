"""The Textual app and its factory. `App.__init__` does no I/O: banks and the store load in a
worker thread behind a progress indicator, so even a huge bank never freezes the screen."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from quizapp.content import Catalog, load_catalog
from quizapp.store import ProgressStore, StoreError, move_aside
from quizapp.study import Clock, Coach, SystemClock
from quizapp.tui.text import plain


class LoadingScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(plain("Loading your banks and progress…"), id="loading-label")
            yield LoadingIndicator()


MODES = [
    ("Flashcards", "Review due flashcards", "flashcards"),
    ("Practice", "Practise questions by domain, task, tag or type", "practice"),
    ("Practice exam", "A timed exam shaped like AIF-C01", "exam"),
    ("Review missed", "Drill the questions you got wrong", "missed"),
    ("Progress dashboard", "Charts, mastery and readiness", "dashboard"),
    ("Settings", "New cards per day, retention, exam date, length, theme", "settings"),
    ("Home", "Back to the home screen", "home"),
]


class ModeCommands(Provider):
    """Every study mode in the command palette."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.app
        assert isinstance(app, QuizApp)
        for name, help_text, mode in MODES:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(app.open_mode, mode), help=help_text)


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
        sources: Sequence[Path] = (),
        data_dir: Path,
        cache_dir: Path | None = None,
        clock: Clock | None = None,
        catalog: Catalog | None = None,
        fuzz: bool = True,
    ) -> None:
        super().__init__()
        self.sources = list(sources)
        self.data_dir = data_dir
        self.cache_dir = cache_dir
        self.clock = clock or SystemClock()
        self.catalog = catalog
        self.fuzz = fuzz
        self.coach: Coach | None = None

    def on_mount(self) -> None:
        self.push_screen(LoadingScreen())
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        catalog = self.catalog or load_catalog(self.sources, cache_dir=self.cache_dir)
        try:
            store: ProgressStore | StoreError = ProgressStore.open(self.data_dir)
        except StoreError as exc:
            store = exc
        self.call_from_thread(self._loaded, catalog, store)

    def _loaded(self, catalog: Catalog, store: ProgressStore | StoreError) -> None:
        self.catalog = catalog
        if isinstance(store, StoreError):
            from quizapp.tui.dialogs.store_error import StoreErrorDialog

            self.push_screen(StoreErrorDialog(store), partial(self._store_choice, store))
            return
        self._start(catalog, store)

    def _store_choice(self, error: StoreError, move: bool | None) -> None:
        if not move:
            self.exit(message=f"Progress file left untouched: {error.path}")
            return
        target = move_aside(error.path, self.clock.now().astimezone())
        self.notify(f"Moved the old file to {target.name}")
        assert self.catalog is not None
        self._start(self.catalog, ProgressStore.open(self.data_dir))

    def _start(self, catalog: Catalog, store: ProgressStore) -> None:
        from quizapp.tui.screens.home import HomeScreen

        self.coach = Coach(catalog.primary, store, self.clock, fuzz=self.fuzz)
        self.theme = (
            self.coach.settings.theme
            if self.coach.settings.theme in self.available_themes
            else "textual-dark"
        )
        self.switch_screen(HomeScreen())
        if catalog.problems:
            from quizapp.tui.dialogs.problems import ProblemsDialog

            self.push_screen(ProblemsDialog(catalog.problems))

    # ------------------------------------------------------------------ navigation

    def open_mode(self, mode: str) -> None:
        """Open a mode from anywhere (home keys and the command palette)."""
        if self.coach is None:
            return
        from quizapp.tui.screens import home

        home.open_mode(self, mode)

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
        self.exit()

    def on_unmount(self) -> None:
        if self.coach is not None:
            self.coach.store.close()


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
    from quizapp.content import default_sources
    from quizapp.paths import cache_dir as default_cache_dir

    return QuizApp(
        sources=default_sources(list(bank_dirs)),
        data_dir=data_dir,
        cache_dir=cache_dir or default_cache_dir(),
        clock=clock,
        catalog=catalog,
        fuzz=fuzz,
    )
