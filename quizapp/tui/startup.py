"""Start-up: Home first, then the store and the bank, each the moment it is there.

Start-up is the first thing a learner feels. Home is the first screen, drawn before anything is
opened (only the theme is peeked from the progress file). The moment it has painted, a thread
worker opens the store while a second reads the bank index (`content.index`): the little of the
bank Home needs, kept in the bank cache. The Coach is made from the index and Home is complete in
one refresh: today's counts, the bank's line and the pass chance kept for this very history and
bank. Only then does the bank itself load (pydantic, the models, the cache), in the background; a
mode chosen before it is there opens when it is (`_pending_mode`).

A cold start (no index, a bank file changed or added, a folder that cannot be read, a bank with
problems, a catalog handed to the app) goes as it always did: the banks load after the first
paint (once the index is found wanting), with progress on Home, and the Coach is made when the
store and the banks are both in.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from threading import Thread
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.message import Message

from quizapp.tui.text import say

if TYPE_CHECKING:
    from quizapp.content import Catalog
    from quizapp.content.index import IndexBank
    from quizapp.store import ProgressStore, StoreError
    from quizapp.study import Coach
    from quizapp.study.clock import Clock
    from quizapp.tui.syncing import AppSync


class LoadProgress(Message):
    """Posted from the loading worker (post_message is thread-safe)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class StartingApp(App[None]):
    """The app's start-up sequence (QuizApp is the rest of the app)."""

    bank_dirs: list[Path]
    data_dir: Path
    cache_dir: Path | None
    clock: Clock
    catalog: Catalog | None
    fuzz: bool
    store: ProgressStore | None
    coach: Coach | None
    load_progress: tuple[int, int]
    bank_error: str | None
    sync: AppSync
    _pending_mode: str | None
    _banks_requested: bool
    _index: IndexBank | None
    _loading_started: bool = False

    def start_loading(self) -> None:
        """After Home's first paint: the store and (on a warm start) the bank index, then Home; with
        no usable index the banks, as on every cold start. Asked by Home once painted, and by the
        app once idle after that, whichever comes first; it starts once."""
        if self._loading_started:
            return
        self._loading_started = True
        with_index = self.catalog is None and self.cache_dir is not None
        if not with_index:
            self._request_banks()
        self.open_store(with_index)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def open_store(self, with_index: bool = False) -> None:
        """The store and the bank index. The store's modules are imported first; then, while the
        open runs in SQLite's C code without the GIL (its WAL and schema checks, and the integrity
        check when one is due), a second thread reads the index. Started together, the two threads'
        Python (imports, file reads) made each other wait for the GIL at every system call."""
        import quizapp.store.progress  # noqa: F401 - the Python part first
        from quizapp.store import ProgressStore, StoreError

        found: list[IndexBank | None] = []
        reader = Thread(target=lambda: found.append(self._read_index()), name="bank-index", daemon=True)
        if with_index:
            reader.start()
        try:
            store: ProgressStore | StoreError = ProgressStore.open(self.data_dir)
        except StoreError as exc:
            store = exc
        except Exception as exc:  # noqa: BLE001 - whatever it is, the learner gets a dialog, not a hang
            store = unusable_data_dir(self.data_dir, exc)
        if with_index:
            reader.join()
        self.call_from_thread(self._started, store, found[0] if found else None)

    def _read_index(self) -> IndexBank | None:
        """The bank index when it still holds (`content.index`), with what Home then needs imported
        here, off the main thread; None for a cold start."""
        try:
            from quizapp.content.discovery import default_sources
            from quizapp.content.index import read_index

            assert self.cache_dir is not None
            index = read_index(self.cache_dir, default_sources(self.bank_dirs))
            if index is not None:
                import quizapp.store.summaries  # noqa: F401 - the kept pass chance's reads
                import quizapp.study.coach  # noqa: F401
                import quizapp.study.pass_note  # noqa: F401
                import quizapp.study.today  # noqa: F401
        except Exception:  # noqa: BLE001 - the index is only a shortcut: load the banks as always
            return None
        return index

    def _started(self, store: ProgressStore | StoreError, index: IndexBank | None) -> None:
        self._index = index
        self._store_opened(store)

    def _coach_from_index(self, index: IndexBank) -> None:
        """Home complete from the index and the store; the bank itself after that frame."""
        from quizapp.study.coach import Coach
        from quizapp.tui.widgets.pass_chance import known_pass_chance

        assert self.store is not None
        self.coach = Coach(index, self.store, self.clock, fuzz=self.fuzz)
        self._refresh_home()
        if known_pass_chance(self.coach) is None:  # no chance kept for this: Home waits for the bank
            self._request_banks()  # to work one out, so the bank loads at once
        else:
            self.call_after_refresh(self._request_banks)  # Home is complete: the bank after its frame

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
        index = self._index
        if index is not None and self.coach is None:
            self._coach_from_index(index)
        else:
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
        if self.catalog is not None and (self.coach is None or not self.coach.bank_loaded):
            self._bank_loaded(self.catalog)  # the banks came in first
        elif index is None:
            self._request_banks()

    def _use_theme(self, theme: str | None) -> None:
        if theme and theme != self.theme and theme in self.available_themes:
            self.theme = theme

    def _request_banks(self) -> None:
        if not self._banks_requested:
            self._banks_requested = True
            self.load_banks()

    @work(thread=True, exclusive=True, exit_on_error=False, group="banks")
    def load_banks(self) -> None:
        from quizapp.tui.heap import release_collector

        release_collector()  # start-up is over: the load pauses the collector itself (`gc_paused`)
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

    def on_load_progress(self, message: LoadProgress) -> None:
        self.load_progress = (message.done, message.total)
        show = getattr(self.screen, "show_bank_progress", None)
        if callable(show):
            show(message.done, message.total)

    def _bank_loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        coach = self.coach
        if self.store is None or (coach is not None and coach.bank_loaded):  # the store's arrival (or
            return  # a store-error dialog's choice) continues; a catalog given to the app may arrive twice
        from quizapp.study import Coach

        try:
            if coach is None:
                self.coach = Coach(catalog.primary, self.store, self.clock, fuzz=self.fuzz)
            else:
                coach.use_bank(catalog.primary)  # Home was made from the index: now the bank itself
        except Exception as exc:  # noqa: BLE001 - an empty catalog, say: the same dialog as a failed load
            self._bank_failed(exc)
            return
        self.call_after_refresh(self._refresh_home)
        from quizapp.tui import heap

        self.call_after_refresh(heap.settle, self)  # once Home is complete: see tui/heap.py
        self.sync.on_start()
        if catalog.problems:
            from quizapp.tui.dialogs.problems import ProblemsDialog

            self.push_screen(ProblemsDialog(catalog.problems))
        if self._pending_mode is not None:
            mode, self._pending_mode = self._pending_mode, None
            self.open_mode(mode)

    @property
    def bank_ready(self) -> bool:
        """Whether the bank itself is loaded (a mode can open), not only Home's index of it."""
        return self.coach is not None and self.coach.bank_loaded

    def _refresh_home(self) -> None:
        refresh = getattr(self.screen, "refresh_home", None)
        if callable(refresh) and self.screen.is_mounted:
            refresh()
        self.tell_stored_problems()

    def tell_stored_problems(self) -> None:
        raise NotImplementedError

    def open_mode(self, mode: str) -> None:
        raise NotImplementedError


def unusable_data_dir(data_dir: Path, error: Exception) -> StoreError:
    """A fault opening the store that reached the app unworded, as a StoreError the store-error
    dialog shows: a dialog, never a hang. An OSError gets the store's own words for it."""
    from quizapp.store import DB_NAME, StoreError
    from quizapp.store.db import os_error

    if isinstance(error, OSError):
        return os_error(data_dir / DB_NAME, error)
    return StoreError(data_dir, f"{type(error).__name__}: {error}", can_move_aside=False)
