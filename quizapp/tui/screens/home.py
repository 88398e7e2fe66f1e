"""Home: what is due, how ready you are, and one key per mode (resume an exam comes first)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.study import Scope
from quizapp.study.clock import epoch
from quizapp.tui.text import plain

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class HomeScreen(Screen[None]):
    HELP_TITLE = "Home"
    BINDINGS = [
        Binding("r", "mode('resume')", "Resume exam", show=False),
        Binding("f", "mode('flashcards')", "Flashcards"),
        Binding("p", "mode('practice')", "Practice"),
        Binding("e", "mode('exam')", "Exam"),
        Binding("m", "mode('missed')", "Missed"),
        Binding("d", "mode('dashboard')", "Dashboard"),
        Binding("s", "mode('settings')", "Settings"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="summary")
            yield OptionList(id="menu")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_home()
        self.query_one("#menu", OptionList).focus()

    @on(ScreenResume)
    def refresh_home(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        coach = app.coach
        assert coach is not None
        now = epoch(coach.clock.now())
        store = coach.store
        cards_due = store.due_count("card", now)
        new_cards = coach.new_cards_today()
        questions_due = store.due_count("question", now)
        missed = store.missed_count()
        ready = coach.readiness()
        exams = [e for e in store.exams() if e.result]
        summary = Text()
        summary.append("Today\n", "bold")
        summary.append(
            f"  {cards_due} flashcards due, {new_cards} new · {questions_due} questions due · "
            f"{missed} missed to win back\n"
        )
        days = coach.days_to_exam()
        if days is not None:
            summary.append(f"  Exam in {days} day{'s' if days != 1 else ''} ({coach.settings.exam_date})\n")
        summary.append(
            f"  Readiness: {ready.scaled} ({ready.confidence} confidence, "
            f"{ready.coverage:.0%} of the bank seen)\n",
            "green" if ready.likely_pass else "yellow",
        )
        if exams:
            last = exams[-1].result
            verdict = "pass" if last["passed"] else "fail"
            summary.append(f"  Last exam: {last['scaled']} ({verdict}), {last['correct']}/{last['total']}\n")
        bank = coach.bank
        kinds = Counter(q.type for q in bank.questions.values())
        summary.append(
            f"  Bank: {len(bank.questions)} questions, {len(bank.flashcards)} flashcards "
            f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})",
            "dim",
        )
        self.query_one("#summary", Static).update(summary)

        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        items = []
        if coach.has_exam_in_progress():
            items.append(Option(plain("[r] Resume exam in progress"), id="resume"))
        items += [
            Option(plain(f"[f] Flashcards        {cards_due} due, {new_cards} new"), id="flashcards"),
            Option(plain(f"[p] Practice          {questions_due} due"), id="practice"),
            Option(plain(f"[e] Practice exam     {_exam_label(coach.settings.exam_length)}"), id="exam"),
            Option(plain(f"[m] Review missed     {missed} to win back"), id="missed"),
            Option(plain("[d] Progress dashboard"), id="dashboard"),
            Option(plain("[s] Settings"), id="settings"),
        ]
        menu.add_options(items)
        menu.highlighted = highlighted if highlighted is not None and highlighted < len(items) else 0

    @on(OptionList.OptionSelected, "#menu")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            open_mode(self.app, event.option.id)  # type: ignore[arg-type]

    def action_mode(self, mode: str) -> None:
        open_mode(self.app, mode)  # type: ignore[arg-type]


def _exam_label(length: str) -> str:
    return {"full": "65 questions, 90 minutes", "scored": "50 questions, 90 minutes"}.get(
        length, f"{length} questions, 83 s each"
    )


def open_mode(app: QuizApp, mode: str) -> None:
    """Route to a mode. Study decides what is in it; screens only draw."""
    coach = app.coach
    assert coach is not None
    if mode == "home":
        while len(app.screen_stack) > 2:
            app.pop_screen()
        return
    if mode in ("exam", "resume"):
        from quizapp.tui.screens.exam import start_or_resume_exam

        start_or_resume_exam(app)
    elif mode == "flashcards":
        from quizapp.tui.screens.flashcards import choose_flashcards

        choose_flashcards(app)
    elif mode == "practice":
        from quizapp.tui.screens.practice import choose_practice

        choose_practice(app)
    elif mode == "missed":
        from quizapp.tui.screens.practice import PracticeScreen

        session = coach.practice(Scope("missed"))
        if not len(session):
            app.notify("Nothing to win back: no missed questions are waiting.")
            return
        app.push_screen(PracticeScreen(session, "Review missed"))
    elif mode == "dashboard":
        from quizapp.tui.screens.dashboard import DashboardScreen

        app.push_screen(DashboardScreen())
    elif mode == "settings":
        from quizapp.tui.screens.settings import SettingsScreen

        app.push_screen(SettingsScreen())
