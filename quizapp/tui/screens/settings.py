"""Settings, saved in the store: new cards per day, retention, exam date, exam length, when the next
day starts, question reviews per day, theme; and the FSRS parameters in use, with the defaults offered
back.

Each field is checked as it is typed (by `read_field`, in study) and its message sits right under it,
in plain words that say what to type. The save result sits above the form, outside the scrolling
part, so it is seen at 80x24 wherever the learner is in the form. Nothing is saved while a field is
invalid. An open dropdown stays above the footer, so its keys are always in sight.

Under desired retention, what it means in practice (issue 16, items 3 and 6): the true retention of
the last 30 days (mature reviews passed) and the reviews a day to the exam date at the retention in
the field and at two others, so the cost of a higher target is seen before it is saved. Both are
worked out in a worker thread (a count over the year's reviews, a forecast of every item's schedule)
and show "…" until ready; typing a new retention forecasts again after a short pause.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static
from textual.worker import get_current_worker

from quizapp.study.settings import QUESTION_REVIEWS_MAX, SHORT_EXAM_MAX, FieldError, read_field
from quizapp.tui.saving import NotSaved, saved
from quizapp.tui.text import plain

if TYPE_CHECKING:
    from quizapp.store.sync_state import SyncState
    from quizapp.study.retention import TrueRetention
    from quizapp.tui.app import QuizApp

PENDING = "…"
FORECAST_PAUSE = 0.4
"""Seconds after the last keystroke in the retention field before the workload is forecast again."""
DEFAULTS_QUESTION = (
    "Use FSRS's default parameters from now on?\n\n"
    "Your reviews will be scheduled with the parameters every learner starts with, not ones fitted "
    "to your history, and automatic fits will not replace them until you run `quizapp optimize`."
)

# The typed fields, in form order, with the words the save message uses for each.
FIELDS = {
    "new_cards_per_day": "new flashcards per day",
    "desired_retention": "desired retention",
    "exam_date": "exam date",
    "short_exam_length": "questions in a short exam",
    "next_day_starts_at": "hour the next day starts",
    "question_reviews_per_day": "question reviews per day",
}


class SettingsScreen(Screen[None]):
    HELP_TITLE = "Settings"
    DEFAULT_CSS = """
    SettingsScreen #message { height: auto; padding: 0 1; }
    SettingsScreen #message.-empty { display: none; }
    SettingsScreen Vertical { height: auto; padding: 0 1; }
    SettingsScreen Label { margin-top: 1; width: 1fr; }  /* the width of the form: long help wraps */
    SettingsScreen Input, SettingsScreen Select { width: 40; }
    SettingsScreen .problem { color: $error; height: auto; display: none; }
    SettingsScreen .problem.-shown { display: block; }
    SettingsScreen #short_row { height: auto; padding: 0; }
    SettingsScreen #short_row.-hidden { display: none; }
    SettingsScreen Button { margin-top: 1; }
    SettingsScreen .note { color: $text-muted; height: auto; }
    SettingsScreen #fsrs_title { text-style: bold; margin-top: 2; }
    /* A dropdown near the bottom is pushed up to fit on the screen; the bottom margin makes it fit
       above the one-row footer instead, so it never hides the keys (issue 15, item 6). */
    SettingsScreen Select > SelectOverlay { margin-bottom: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "back", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self._save_refused = False  # a save was refused: keep saying why until every field is fixed
        self._true_retention: TrueRetention | None = None  # counted once: the log does not change here
        self._forecast_timer: Timer | None = None
        self._forecast_for: float | None = None  # the retention the last forecast was asked for

    def compose(self) -> ComposeResult:
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        s = app.coach.settings
        length = s.exam_length if s.exam_length in ("full", "scored") else "short"
        yield Header()
        yield Static(id="message", classes="-empty")
        with VerticalScroll(), Vertical():
            yield Label("New flashcards per day (0-1000)")
            yield Input(str(s.new_cards_per_day), id="new_cards_per_day", type="integer")
            yield Static(classes="problem", id="new_cards_per_day-problem")
            yield Label("Desired retention (0.70-0.99): higher means more reviews")
            yield Input(f"{s.desired_retention:.2f}", id="desired_retention", type="number")
            yield Static(classes="problem", id="desired_retention-problem")
            yield Static(f"True retention: {PENDING}", classes="note", id="true_retention")
            yield Static(f"Expected reviews a day: {PENDING}", classes="note", id="workload")
            yield Label("Exam date (YYYY-MM-DD, empty for none): no review is scheduled past it")
            yield Input(s.exam_date or "", id="exam_date", placeholder="2027-01-31")
            yield Static(classes="problem", id="exam_date-problem")
            yield Label("Practice exam length")
            yield Select(
                [
                    ("Full: 65 questions, 90 minutes", "full"),
                    ("Scored only: 50 questions, 90 minutes", "scored"),
                    ("Short: N questions, 83 s each", "short"),
                ],
                value=length,
                allow_blank=False,
                id="exam_kind",
            )
            with Vertical(id="short_row", classes="" if length == "short" else "-hidden"):
                yield Label(f"Questions in a short exam (1-{SHORT_EXAM_MAX})")
                yield Input(str(s.short_exam_length), id="short_exam_length", type="integer")
                yield Static(classes="problem", id="short_exam_length-problem")
            yield Label(
                "Next day starts at (hour 0-23, your local time): reviews before this hour count for "
                "the day before, and cards due on a day are ready from it"
            )
            yield Input(str(s.next_day_starts_at), id="next_day_starts_at", type="integer")
            yield Static(classes="problem", id="next_day_starts_at-problem")
            yield Label(
                f"Question reviews per day (0-{QUESTION_REVIEWS_MAX}, {QUESTION_REVIEWS_MAX} for no limit): "
                "due questions over it wait for a later day, most overdue first"
            )
            yield Input(str(s.question_reviews_per_day), id="question_reviews_per_day", type="integer")
            yield Static(classes="problem", id="question_reviews_per_day-problem")
            yield Label("Theme")
            yield Select(
                [(name, name) for name in sorted(self.app.available_themes)],
                value=s.theme,
                allow_blank=False,
                id="theme",
            )
            yield Label(
                "Sync folder on this machine (one Syncthing, Dropbox, a network share or git keeps "
                "alike on your machines; empty for none)"
            )
            sync = app.sync.state()
            yield Input(sync.folder or "", id="sync_folder", placeholder="~/Sync/quizapp")
            yield Static(classes="problem", id="sync_folder-problem")
            yield Checkbox("Sync when quizapp starts and quits", sync.automatic, id="sync_auto")
            yield Static(plain(last_sync_line(sync)), classes="note", id="sync_last")
            yield Button("Save (ctrl+s)", id="save", variant="primary")
            yield Button("Sync now", id="sync_now")
            yield Label("The memory model that schedules your reviews", id="fsrs_title")
            yield Static(classes="note", id="fsrs")
            yield Button("Use default parameters", id="fsrs_defaults")
        yield Footer()

    def on_mount(self) -> None:
        # A stored exam date that has since passed is flagged at once, not only on save.
        self._check_all()
        self._show_fsrs()
        self._figures(self._forecast_retention())

    # ------------------------------------------------------------------ true retention and workload

    def _forecast_retention(self) -> float:
        """The retention in the field when it is valid, else the saved one."""
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        value, problem = self._check("desired_retention")
        if problem is None and isinstance(value, float):
            return value
        return app.coach.settings.desired_retention

    def _figures(self, retention: float) -> None:
        self._forecast_for = retention
        self._work_out(retention)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-figures")
    def _work_out(self, retention: float) -> None:
        """True retention (counted once) and the workload at `retention`, off the event loop."""
        from quizapp.study.retention import summary
        from quizapp.study.workload import describe

        app: QuizApp = self.app  # type: ignore[assignment]
        coach = app.coach
        assert coach is not None
        worker = get_current_worker()
        try:
            if self._true_retention is None:
                self._true_retention = coach.true_retention()
            retained = summary(replace(self._true_retention, desired=retention))
        except Exception:  # noqa: BLE001 - a figure that cannot be worked out is said, never a traceback
            retained = "True retention could not be counted just now."
        try:
            workload = "\n".join(describe(coach.workload(retention)))
        except Exception:  # noqa: BLE001
            workload = "The reviews a day to come could not be forecast just now."
        if not worker.is_cancelled:
            app.call_from_thread(self._show_figures, retained, workload)

    def _show_figures(self, retained: str, workload: str) -> None:
        if not self.is_mounted:
            return
        self.query_one("#true_retention", Static).update(plain(retained))
        self.query_one("#workload", Static).update(plain(workload))

    def _forecast_soon(self) -> None:
        """Forecast again for the retention being typed, once typing pauses."""
        waiting = self._forecast_timer is not None
        if self._forecast_timer is not None:
            self._forecast_timer.stop()
            self._forecast_timer = None
        if not waiting and self._forecast_retention() == self._forecast_for:
            return  # nothing new (the field's first value arriving): the figures shown still hold
        self.query_one("#workload", Static).update(plain(f"Expected reviews a day: {PENDING}"))
        self._forecast_timer = self.set_timer(FORECAST_PAUSE, self._forecast_now)

    def _forecast_now(self) -> None:
        self._forecast_timer = None
        self._figures(self._forecast_retention())

    # ------------------------------------------------------------------ FSRS parameters

    def _show_fsrs(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        self.query_one("#fsrs", Static).update(plain("\n".join(app.coach.fsrs.describe())))

    @on(Button.Pressed, "#fsrs_defaults")
    def _ask_defaults(self) -> None:
        from quizapp.tui.dialogs.confirm import ConfirmDialog

        self.app.push_screen(
            ConfirmDialog(DEFAULTS_QUESTION, yes="Use defaults", no="Cancel"), self._defaults_chosen
        )

    def _defaults_chosen(self, yes: bool | None) -> None:
        from quizapp.study.fit_settings import revert_to_defaults

        app: QuizApp = self.app  # type: ignore[assignment]
        coach = app.coach
        assert coach is not None
        if not yes:
            self._show("FSRS parameters unchanged.", "")
            return
        result = saved(
            self,
            lambda: revert_to_defaults(coach.store, coach.clock.now()),
            retry=lambda: self._defaults_chosen(True),
            what="The choice of FSRS parameters",
        )
        if isinstance(result, NotSaved):
            self._show("Not saved.", "bold red")
            return
        coach.forget_settings()
        self._show_fsrs()
        self._show(
            "Now using FSRS's default parameters. Automatic fits will not replace them until you run "
            "quizapp optimize.",
            "green",
        )
        self._figures(self._forecast_retention())  # the forecast follows the parameters in use

    def _short_chosen(self) -> bool:
        return self.query_one("#exam_kind", Select).value == "short"

    def _check(self, name: str) -> tuple[object, str | None]:
        """The field's value and its problem (None when fine), shown under the field."""
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        text = self.query_one(f"#{name}", Input).value
        try:
            value, problem = read_field(name, text, app.coach.clock.today()), None
        except FieldError as exc:
            value, problem = None, str(exc)
        note = self.query_one(f"#{name}-problem", Static)
        note.update(plain(problem or ""))
        note.set_class(problem is not None, "-shown")
        return value, problem

    def _check_all(self) -> dict[str, tuple[object, str | None]]:
        checked = {name: self._check(name) for name in FIELDS}
        checked["sync_folder"] = self._check_folder()
        return checked

    def _check_folder(self) -> tuple[object, str | None]:
        from quizapp.study.sync import folder_problem

        text = self.query_one("#sync_folder", Input).value
        problem = folder_problem(text)
        note = self.query_one("#sync_folder-problem", Static)
        note.update(plain(problem or ""))
        note.set_class(problem is not None, "-shown")
        return text, problem

    def _blocking(self, checked: dict[str, tuple[object, str | None]]) -> list[str]:
        """Fields whose problem stops a save: the short-exam count only counts when it is used."""
        return [
            name
            for name, (_, problem) in checked.items()
            if problem is not None and (name != "short_exam_length" or self._short_chosen())
        ]

    def _show(self, text: str, style: str) -> None:
        message = self.query_one("#message", Static)
        message.update(plain(text, style) if text else "")
        message.set_class(not text, "-empty")  # no blank line above the form when there is nothing

    def _refusal(self, blocking: list[str]) -> str:
        words = FIELDS | {"sync_folder": "sync folder"}
        return "Not saved: fix the " + ", ".join(words[name] for name in blocking) + " (see below)."

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == "sync_folder":
            self._check_folder()
            self._refresh_message()
            return
        if event.input.id not in FIELDS:
            return
        self._check(event.input.id)
        self._refresh_message()
        if event.input.id == "desired_retention" and self.is_mounted:
            self._forecast_soon()

    @on(Select.Changed, "#exam_kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        self.query_one("#short_row").set_class(event.value != "short", "-hidden")
        self._refresh_message()

    def _refresh_message(self) -> None:
        """After an edit, "Saved." no longer holds; a refusal stays until every field is fixed."""
        blocking = self._blocking(self._check_all())
        if self._save_refused and blocking:
            self._show(self._refusal(blocking), "bold red")
        else:
            self._save_refused = False
            self._show("", "")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        checked = self._check_all()
        blocking = self._blocking(checked)
        if blocking:
            self._save_refused = True
            self._show(self._refusal(blocking), "bold red")
            first = self.query_one(f"#{blocking[0]}", Input)
            first.focus()
            self.call_after_refresh(
                self.query_one(VerticalScroll).scroll_to_widget,
                self.query_one(f"#{blocking[0]}-problem"),
                animate=False,
            )
            return
        kind = str(self.query_one("#exam_kind", Select).value)
        short, short_problem = checked["short_exam_length"]
        changes: dict[str, object] = {
            name: checked[name][0]
            for name in (
                "new_cards_per_day",
                "desired_retention",
                "exam_date",
                "next_day_starts_at",
                "question_reviews_per_day",
            )
        }
        changes["exam_length"] = str(short) if kind == "short" else kind
        if short_problem is None:  # remembered for the next short exam, even while Full is chosen
            changes["short_exam_length"] = short
        changes["theme"] = str(self.query_one("#theme", Select).value)
        coach = app.coach
        if not self._save_sync(str(checked["sync_folder"][0])):
            return
        try:
            result = saved(
                self, lambda: coach.update_settings(**changes), retry=self.action_save, what="Your settings"
            )
        except (TypeError, ValueError) as exc:  # every field was checked: a safety net, not a path
            self._show(f"Not saved: {exc}", "bold red")
            return
        if isinstance(result, NotSaved):
            self._show("Not saved.", "bold red")
            return
        self._save_refused = False
        self.app.theme = app.coach.settings.theme
        self._figures(self._forecast_retention())  # the exam date or new cards a day may have changed
        self._show("Saved.", "green")
        self.notify("Settings saved.")

    def action_back(self) -> None:
        self.dismiss(None)

    # ------------------------------------------------------------------ sync (this machine only)

    def _save_sync(self, folder: str) -> bool:
        """This machine's sync choice goes to its own file (never to exported settings)."""
        from quizapp.atomic import reason
        from quizapp.study.sync import choose_folder

        app: QuizApp = self.app  # type: ignore[assignment]
        try:
            state = choose_folder(app.data_dir, folder, self.query_one("#sync_auto", Checkbox).value)
        except OSError as exc:
            self._show(f"Not saved: cannot keep the sync folder: {reason(exc)}", "bold red")
            return False
        self.query_one("#sync_last", Static).update(plain(last_sync_line(state)))
        return True

    @on(Button.Pressed, "#sync_now")
    def _sync_now(self) -> None:
        """Save first (the folder typed is the one meant), then sync in the background."""
        app: QuizApp = self.app  # type: ignore[assignment]
        self.action_save()
        if self._save_refused:
            return
        if not app.sync.state().folder:
            self._show("Type a sync folder first (then Sync now).", "bold red")
            self.query_one("#sync_folder", Input).focus()
            return
        app.sync.now()

    def sync_finished(self) -> None:
        """Called by the app when a sync ends while Settings is open: show the new outcome."""
        app: QuizApp = self.app  # type: ignore[assignment]
        if self.is_mounted:
            self.query_one("#sync_last", Static).update(plain(last_sync_line(app.sync.state())))


def last_sync_line(state: SyncState) -> str:
    if state.folder is None:
        return "Not syncing: no folder chosen."
    if state.last is None:
        return "Not synced yet from this machine."
    when = state.last.at.replace("T", " ")[:16]
    if state.last.ok:
        return f"Last sync: {when}, {state.last.summary}."
    return f"Last sync failed at {when}: {state.last.summary}"
