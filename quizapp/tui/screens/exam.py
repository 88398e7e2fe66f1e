"""The timed exam: countdown, position, navigator, flags, a review screen, confirm, auto-submit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from quizapp.content.models import MultiQuestion
from quizapp.study import ExamSession
from quizapp.study.exam import ExamPlan
from quizapp.study.grading import Response
from quizapp.tui.dialogs.confirm import ConfirmDialog
from quizapp.tui.saving import NotSaved, failure_showing, saved
from quizapp.tui.text import clock_face, plain, say
from quizapp.tui.timing import ItemTimer, TimesItems
from quizapp.tui.widgets.clock import ExamClock
from quizapp.tui.widgets.meter import Meter
from quizapp.tui.widgets.question import QUIT_OFF_THE_FOOTER, QuestionScroll, QuestionView

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

CHECKPOINT_EVERY_S = 10


class NavigatorDialog(ModalScreen[int | None]):
    """A grid of question numbers (answered / unanswered / flagged); type a number to jump."""

    DEFAULT_CSS = """
    NavigatorDialog { align: center middle; }
    NavigatorDialog > Vertical { width: 76; max-width: 98%; height: auto; max-height: 95%; border: thick $accent; background: $panel; padding: 0 1; }
    NavigatorDialog #grid { height: auto; }
    NavigatorDialog Input { width: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        grid = Text()
        for p in range(len(s)):
            label = f"{p + 1:>3}"
            if p in s.flagged:
                style, mark = "bold black on yellow", "⚑"
            elif s.is_answered(p):
                style, mark = "bold black on green", " "
            else:
                style, mark = "dim", " "
            if p == s.position:
                style += " underline"
            grid.append(f"{label}{mark}", style)
            grid.append(" ")
            if (p + 1) % 13 == 0:
                grid.append("\n")
        legend = Text()
        legend.append(" answered ", "black on green")
        legend.append("  ")
        legend.append(" flagged ⚑ ", "black on yellow")
        legend.append("  unanswered", "dim")
        legend.append(f"   ({len(s) - len(s.unanswered())}/{len(s)} answered)")
        with Vertical():
            yield Static(plain("Go to question"), classes="title")
            yield Static(grid, id="grid")
            yield Static(legend)
            yield Input(placeholder="number, Enter", id="jump", type="integer")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _jump(self, event: Input.Submitted) -> None:
        try:
            number = int(event.value)
        except ValueError:
            number = 0
        if 1 <= number <= len(self.session):
            self.dismiss(number - 1)
        else:
            say(self, f"Type a number from 1 to {len(self.session)}.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewDialog(ModalScreen[str | None]):
    """Before submitting: what is unanswered and flagged. Returns 'submit', a position, or None."""

    DEFAULT_CSS = """
    ReviewDialog { align: center middle; }
    ReviewDialog > Vertical { width: 76; max-width: 98%; height: auto; max-height: 95%; border: thick $warning; background: $panel; padding: 0 1; }
    ReviewDialog VerticalScroll { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding("s", "submit", "Submit exam"),
        Binding("u", "first('unanswered')", "First unanswered"),
        Binding("f", "first('flagged')", "First flagged"),
        Binding("escape", "cancel", "Back to the exam"),
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        unanswered, flagged = s.unanswered(), s.flagged_positions()
        text = Text()
        text.append(f"Review before you submit · {clock_face(s.remaining())} left\n\n", "bold")
        text.append(f"Unanswered ({len(unanswered)}): ", "bold")
        text.append((", ".join(str(p + 1) for p in unanswered) or "none") + "\n")
        text.append(f"Flagged ({len(flagged)}): ", "bold")
        text.append((", ".join(str(p + 1) for p in flagged) or "none") + "\n\n")
        if unanswered:
            text.append("A blank answer counts as wrong; there is no penalty for guessing.\n", "yellow")
        text.append("s: submit · u: first unanswered · f: first flagged · Esc: back", "dim")
        with Vertical(), VerticalScroll():
            yield Static(text)

    def action_submit(self) -> None:
        self.dismiss("submit")

    def action_first(self, which: str) -> None:
        positions = self.session.unanswered() if which == "unanswered" else self.session.flagged_positions()
        if positions:
            self.dismiss(str(positions[0]))
        else:
            say(self, f"No {which} questions.")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExamScreen(TimesItems, Screen[None]):
    HELP_TITLE = "Practice exam"
    HAS_QUESTIONS = True
    DEFAULT_CSS = """
    ExamScreen #exam-bar { height: 1; background: $panel; padding: 0 1; }
    ExamScreen #where { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        # → only moves on; Enter also accepts an untouched ordering item (see `action_next`), so the
        # footer shows Enter.
        # At 80 columns these and '? Help' fill the footer: q and ctrl+p are left to Help (issue 15, item 14).
        Binding("enter", "next(True)", "Next"),
        Binding("right", "next", "Next", show=False),
        Binding("left", "previous", "Previous"),
        Binding("m", "flag", "Flag", tooltip="flag the question to come back to it"),
        Binding("n", "navigator", "Navigator", tooltip="every question's number: go to one"),
        Binding("r", "review", "Review & submit"),
        Binding("escape", "leave", "Pause"),
        QUIT_OFF_THE_FOOTER,
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session
        self._since_checkpoint = 0
        self._where_text = Text()
        self._clock_unsaved = False
        # The time on the item shown, handed to the session (`_spend`) before every move, checkpoint,
        # pause and submit, so each item sums its visits; held while a dialog covers the question.
        self.timer = ItemTimer(session.clock)

    def compose(self) -> ComposeResult:
        with Horizontal(id="exam-bar"):
            yield ExamClock(id="clock")
            yield Static(id="where")
            yield Meter(len(self.session), id="progress")
        with QuestionScroll(id="body", classes="question-scroll"):
            yield QuestionView(**self._question_args(), on_change=self._answered)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._where()
        self.query_one(QuestionView).focus_choices()
        self.timer.start()
        self.tick()
        self.set_interval(1.0, self.tick)

    # ------------------------------------------------------------------ time

    def tick(self) -> None:
        s = self.session
        if s.result is not None:
            return
        remaining = s.remaining()
        self.query_one("#clock", ExamClock).show(remaining)
        self._since_checkpoint += 1
        if self._since_checkpoint >= CHECKPOINT_EVERY_S:
            self.checkpoint()
        if remaining <= 0 and not failure_showing(self.app):
            say(self, "Time is up: the exam has been submitted.", severity="warning")
            self.finish(timed_out=True)

    def checkpoint(self) -> None:
        """Save the time used. A refused save loses only seconds of clock: say so once, not every tick."""
        from quizapp.store import StoreError

        if self.session.result is None:
            self._since_checkpoint = 0
            self._spend()
            try:
                self.session.checkpoint()
            except StoreError as exc:
                if not self._clock_unsaved and self.is_attached:
                    say(
                        self,
                        f"The exam's clock could not be saved: {exc.reason}. Your saved answers are kept.",
                        severity="error",
                    )
                self._clock_unsaved = True
            else:
                self._clock_unsaved = False

    def on_unmount(self) -> None:
        self.checkpoint()

    def _spend(self) -> None:
        """Hand the time on the item shown since the last hand-over to the session (in memory; saved
        with the next step the store accepts, so it is done once, outside any retried write)."""
        self.session.spend(self.session.position, self.timer.lap())

    # ------------------------------------------------------------------ drawing

    def _where(self) -> None:
        """The status bar: position, flag, type, and how many are answered.

        `#where` is one line of fixed size, so a new text needs a repaint but never a layout; and an answer
        leaves the text as it was, so it is not even repainted then (each repaint is a frame's work).
        """
        s = self.session
        question = s.question()
        text = Text()
        text.append(f"{s.position + 1}/{len(s)}", "bold")
        if s.position in s.flagged:
            text.append("  ⚑ flagged", "bold yellow")
        hint = f"choose {question.choose}" if isinstance(question, MultiQuestion) else question.type
        text.append(f"  · {hint}", "dim")
        if text != self._where_text:
            self.query_one("#where", Static).update(text, layout=False)
            self._where_text = text
        self.query_one("#progress", Meter).set_done(len(s) - len(s.unanswered()))

    def _question_args(self) -> dict[str, Any]:
        s = self.session
        question = s.question()
        return {
            "question": question,
            "response": s.responses.get(s.position),
            "seed": s.seed + s.position,
            "scenario": s.bank.scenario_of(question.id),
        }

    def show_question(self) -> None:
        """Show the session's current question in the widgets already on screen (nothing is mounted)."""
        view = self.query_one(QuestionView)
        view.show(**self._question_args())
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self._where()
        view.focus_choices()
        self.timer.start()

    def _answered(self, response: Response) -> None:
        saved(
            self,
            lambda: self.session.answer(response),
            retry=lambda: self._answered(self.query_one(QuestionView).response),
        )
        self._where()

    def _go(self, move: Callable[[], object]) -> None:
        """Move to another question; if the new position cannot be saved, stay where the store says."""
        self._spend()
        result = saved(
            self,
            move,
            retry=lambda: self._go(move),
            what="The move to another question",
        )
        if not isinstance(result, NotSaved):
            self.show_question()

    # ------------------------------------------------------------------ actions

    def action_next(self, accept: bool = False) -> None:
        """Next question; Enter (`accept`) also takes an untouched ordering item's order as shown as its
        answer, while → only moves past it, leaving it unanswered (issue 15, item 7)."""
        if accept:
            self.query_one(QuestionView).choices.accept_order()
        if self.session.position == len(self.session) - 1:
            self.action_review()
            return
        self._go(self.session.next)

    def action_previous(self) -> None:
        if self.session.position > 0:
            self._go(self.session.previous)

    def action_flag(self) -> None:
        # The status line shows "⚑ flagged" at once; a toast as well would cost a mount, a layout and a
        # second paint when it expires, for news the learner is already looking at.
        saved(
            self,
            self.session.toggle_flag,
            retry=self.action_flag,
            what="The flag",
        )
        self._where()

    def action_navigator(self) -> None:
        def jump(position: int | None) -> None:
            if position is not None:
                self._go(lambda: self.session.go(position))

        self.app.push_screen(NavigatorDialog(self.session), jump)

    def action_review(self) -> None:
        def reviewed(choice: str | None) -> None:
            if choice == "submit":
                self.confirm_submit()
            elif choice is not None:
                self._go(lambda: self.session.go(int(choice)))

        self.app.push_screen(ReviewDialog(self.session), reviewed)

    def confirm_submit(self) -> None:
        """Ask before submitting; a blank exam gets its own question, as it is most likely a slip."""
        blanks = len(self.session.unanswered())
        if self.session.nothing_answered():
            message = (
                "You have answered nothing. Submit anyway?\n\n"
                "It is kept in your exam history as blank; it does not change your readiness "
                "or your missed questions."
            )
            self.app.push_screen(
                ConfirmDialog(message, yes="Submit anyway", no="Cancel"),
                lambda yes: self.finish(timed_out=False) if yes else None,
            )
            return
        message = "Submit the exam now? You cannot change answers afterwards."
        if blanks:
            message += (
                f"\n\n{blanks} question(s) are unanswered: they count as wrong in this score, "
                "but not as missed questions."
            )

        def decided(yes: bool | None) -> None:
            if yes:
                self.finish(timed_out=False)

        self.app.push_screen(ConfirmDialog(message, yes="Submit", no="Keep going"), decided)

    def finish(self, timed_out: bool) -> None:
        from quizapp.tui.screens.results import ResultsScreen

        self._spend()
        submitted = saved(
            self,
            lambda: self.session.submit(timed_out=timed_out),
            retry=lambda: self.finish(timed_out),
            what="The submitted exam",
        )
        if isinstance(submitted, NotSaved):
            return
        self.timer.stop()
        while isinstance(self.app.screen, ModalScreen):
            self.app.pop_screen()
        self.app.switch_screen(ResultsScreen.of(self.session))

    def action_leave(self) -> None:
        def decided(yes: bool | None) -> None:
            if yes:
                self.checkpoint()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Pause the exam and go home? The timer stops; resume it from home.", yes="Pause", no="Stay"
            ),
            decided,
        )


def start_or_resume_exam(app: QuizApp) -> None:
    coach = app.coach
    assert coach is not None
    session = saved(app, coach.resume_exam, retry=lambda: start_or_resume_exam(app), what="Resuming the exam")
    if isinstance(session, NotSaved):
        return
    if session is not None and session.result is not None:
        from quizapp.tui.screens.results import ResultsScreen

        say(app, "Your paused exam ran out of time and was submitted.")
        app.push_screen(ResultsScreen.of(session))
        return
    if session is not None:
        app.push_screen(ExamScreen(session))
        return
    plan = ExamPlan.for_kind(coach.bank, coach.settings.exam_length)
    length = min(plan.length, len(coach.bank.questions))
    message = (
        f"Start a practice exam: {length} questions in {clock_face(plan.time_limit_s)}?\n\n"
        "The timer runs while the exam is open. Flag questions with m, see all of them with n, "
        "and review before you submit with r."
    )

    def decided(yes: bool | None) -> None:
        if yes:
            session = saved(app, coach.start_exam, retry=lambda: decided(True), what="The new exam")
            if not isinstance(session, NotSaved):
                app.push_screen(ExamScreen(session))

    app.push_screen(ConfirmDialog(message, yes="Start", no="Not now"), decided)
