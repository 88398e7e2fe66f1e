"""Practice and review-missed: answer, read why every option is right or wrong, go on."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quizapp.content import AnyQuestion
from quizapp.content.models import MultiQuestion
from quizapp.study import Feedback, PracticeSession, Scope
from quizapp.study.grading import Response, correct_response, grade, is_complete, normalise
from quizapp.study.practice import feedback_options
from quizapp.study.timing import clean_duration
from quizapp.tui.dialogs.pick import PickDialog
from quizapp.tui.kept import open_kept
from quizapp.tui.refs import open_refs, openable
from quizapp.tui.saving import NotSaved, saved
from quizapp.tui.text import safe, say
from quizapp.tui.timing import ItemTimer, TimesItems, seconds, took
from quizapp.tui.widgets.question import QUIT_OFF_THE_FOOTER, QuestionView, question_screen_layout
from quizapp.tui.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


SCROLL_KEYS = {"up": "scroll_up", "down": "scroll_down"}
"""Keys the focused choices would take that, with feedback shown, scroll it instead."""


class PracticeScreen(TimesItems, Screen[None]):
    HELP_TITLE = "Practice"
    HAS_QUESTIONS = True
    # The footer shows only the keys that do something now, so that at 80 columns it has room for all of
    # them and '? Help' (issue 15, item 14): Enter is Submit, Next or Home, `g` only with feedback. Enter
    # itself is handled in `on_key`; its three bindings name it in the footer and in Help.
    BINDINGS = [
        Binding("enter", "submit", "Submit"),
        Binding("enter", "next", "Next"),
        Binding("enter", "home", "Home"),
        Binding("g", "guess", "Guess", tooltip="mark a right answer as a guess: it comes back sooner"),
        Binding("u", "undo", "Undo", tooltip="take the last answer back"),
        Binding("o", "open_docs", "Open docs", tooltip="open the item's documentation in a browser"),
        Binding("escape", "leave", "End session"),
        QUIT_OFF_THE_FOOTER,
    ]

    def __init__(self, session: PracticeSession, title: str) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.feedback: Feedback | None = None  # the Feedback being shown, if any
        # An answer shown but not yet committed (`action_submit`): its feedback as the session will
        # give it, and what the session is to be given.
        self._pending: tuple[Feedback, Response, int] | None = None
        # The one view every question and its feedback are shown in, mounted with the first question and
        # then reused (`QuestionView.show`): a new view per answer cost a mount, CSS and a Footer rebuild
        # for the focus change each time, and the removed views lingered (issue 18).
        self._view: QuestionView | None = None
        self._summary: Static | None = None  # the end-of-session text, mounted when first needed
        self.finished = False
        # The question's time, shown to submitted; the feedback and the summary are not timed.
        self.timer = ItemTimer(session.clock)

    def compose(self) -> ComposeResult:
        yield from question_screen_layout()

    def start(self, session: PracticeSession, title: str) -> None:
        """Begin `session` on this screen, kept from an earlier one (`open_practice`): its first
        question replaces whatever the last session left on screen (feedback or its summary), and
        its items are timed afresh. Called before the screen is shown again."""
        self._commit_pending()  # the last session committed its answer when it closed: never expected
        self.session = session
        self.title_text = title
        self.feedback = None
        self.finished = False
        self.timer = ItemTimer(session.clock)
        self.show_question()

    def on_mount(self) -> None:
        # Held rather than queried on every key (see StatusBar).
        self._status_bar = self.query_one("#status", StatusBar)
        self._body = self.query_one("#body", VerticalScroll)
        # Called once each layout has composed its frame: the frame of a submit is one (see
        # `action_submit`), and the answer it shows is committed right after it.
        self.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        self.show_question()

    # ------------------------------------------------------------------ drawing

    def _status(self, question: AnyQuestion | None = None) -> None:
        """Title and scope on the left (cut with an ellipsis if need be); the question's task and type,
        with feedback the time the answer took, the position and the score on the right, always whole."""
        s = self.session
        # The two counts, not `summary()`: that also buckets every answer of the session by domain, on
        # every key, for the end-of-session text alone.
        answered, correct = len(s.history), sum(fb.correct for fb in s.history)
        index = s.index
        if self._pending is not None:  # shown as the session will count it once committed
            answered, correct, index = answered + 1, correct + self._pending[0].correct, index + 1
        side = Text()
        if question is not None:
            hint = f"choose {question.choose}" if isinstance(question, MultiQuestion) else question.type
            side.append(f"task {safe(question.task)} · {hint} · ", "dim")
        if self.feedback is not None and self.feedback.duration_ms is not None:
            # What this answer took, with what else is said of the question; the counts stay last.
            side.append(f"took {took(self.feedback.duration_ms)} · ", "dim")
        position = min(index + (0 if self.feedback else 1), len(s))
        side.append(f"{position}/{len(s)} · {correct}/{answered} right")
        main = Text(f"{safe(self.title_text)} · {safe(s.label)}", "bold")
        self._status_bar.show(main, side)

    def _show_in_view(self, question: AnyQuestion, **shown: Any) -> None:
        """Show `question` (with `QuestionView.show`'s arguments) in the screen's one question view,
        mounting it the first time, and hide the summary if it is up.

        The choices keep the focus throughout (a focus change costs the screen a frame of its own); in
        feedback ↑/↓ scroll the body instead (`on_key`), as PgUp/PgDn do through the body's bindings.
        """
        body = self._body
        if self._summary is not None:
            self._summary.display = False
        if self._view is None:
            self._view = QuestionView(question, review_ahead=True, **shown)
            body.mount(self._view)
        else:
            self._view.display = True
            self._view.show(question, **shown)
        if self._view.is_mounted:
            self._view.focus_choices()
        else:
            self.call_after_refresh(self._view.focus_choices)
        body.scroll_home(animate=False, immediate=True)

    def show_question(self) -> None:
        self.feedback = None
        self.refresh_bindings()
        question = self.session.current()
        if question is None:
            self.show_summary()
            return
        self._status(question)
        self._show_in_view(question, seed=self.session.index, scenario=self.session.scenario(question))
        self.timer.start()  # a new question, or one undo brought back: timed from now

    def show_feedback(self) -> None:
        fb = self.feedback
        assert fb is not None
        self._status(fb.question)
        self._show_in_view(
            fb.question,
            response=fb.response,
            seed=self.session.index - (0 if self._pending is not None else 1),
            review=True,
            scenario=self.session.scenario(fb.question),
            guess=fb.guess,
        )
        self.refresh_bindings()

    def show_summary(self) -> None:
        self.finished = True
        self.feedback = None
        self.timer.stop()  # a question left unanswered (Esc) has no time to keep
        self.refresh_bindings()
        summary = self.session.summary()
        text = Text()
        text.append("Session complete\n\n", "bold")
        if summary.answered:
            text.append(
                f"{summary.correct} of {summary.answered} right "
                f"({summary.correct / summary.answered:.0%})\n\n"
            )
            names = {str(d.id): d.name for d in self.session.bank.blueprint.domains}
            for domain, (right, total) in sorted(summary.by_domain.items()):
                text.append(f"  Domain {safe(domain)} {safe(names.get(domain, ''))}: {right}/{total}\n")
            if summary.median_s is not None:
                text.append(f"\nMedian time per question: {seconds(summary.median_s)}\n", "dim")
            wrong = [fb.question.id for fb in self.session.history if not fb.correct]
            if wrong:
                text.append(f"\n{len(wrong)} missed question(s) are now in Review missed.\n", "yellow")
        else:
            text.append("Nothing to practise in this scope right now.\n")
        text.append("\nEsc or Enter: back to home · u: undo the last answer", "dim")
        self._status()
        if self._view is not None:
            self._view.display = False
        body = self._body
        body.focus(scroll_visible=False)
        if self._summary is None:
            self._summary = Static(text)
            body.mount(self._summary)
        else:
            self._summary.update(text)
            self._summary.display = True
        body.scroll_home(animate=False, immediate=True)
        from quizapp.tui.screens.home import prepare_home  # home imports this module

        self._commit_pending()  # normally done already: the key that ended the session committed it
        # Home brought up to date under the summary, not on the way back; from the app's queue, so the
        # pass chance's worker is started from the app's context, not this screen's (a worker's context
        # would otherwise keep this screen alive after it closes).
        self.app.call_later(prepare_home, self.app)

    # ------------------------------------------------------------------ actions

    async def on_key(self, event: events.Key) -> None:
        """Act on every key this screen or its choices bind as soon as it reaches the screen.

        A key reaches the screen before the bindings are looked up, and the app looks them up only after
        the keys typed behind it have reached the screen too. So in a burst ("enter", "a", "b") the
        letters would arrive while the feedback was still shown, and land on the next question before
        it is focused: no binding, lost without a sign (issue 15, item 4); and in "2, enter" or
        "u, 2, enter" Enter would submit before the 2 was chosen or the answer taken back. Acting here
        keeps the keys in the order they were typed. For the same reason an answer shown but not yet
        committed is committed before anything else this key does.
        """
        self._commit_pending()
        if event.key == "enter":
            self._handled(event)
            self.action_submit()
            return
        if self.feedback is not None and event.key in SCROLL_KEYS:
            self._handled(event)
            await self._body.run_action(SCROLL_KEYS[event.key])
            return
        asking = self.feedback is None and not self.finished and self._view is not None
        if asking:
            choices = self._view.choices
            bindings = choices._bindings.key_to_bindings.get(event.key, [])
            if bindings and not choices.review:
                self._handled(event)
                await choices.run_action(bindings[0].action)
                return
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            if not binding.action.startswith("app.") and self.check_action(binding.action, ()) is not False:
                self._handled(event)
                await self.run_action(binding.action)
                return

    def on_screen_suspend(self) -> None:
        """Covered (Help, a dialog): the answer on screen is committed first."""
        self._commit_pending()

    def on_unmount(self) -> None:
        """Closed, or the app quits: an answer shown is committed before the screen goes."""
        self._commit_pending()

    def checkpoint(self) -> None:
        """Quitting (`QuizApp.action_quit`) commits the answer shown before the sync on quit exports."""
        self._commit_pending()

    @staticmethod
    def _handled(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`o` exists only while feedback with a documentation link is on screen (hidden otherwise:
        before answering, the key must not reveal anything, and a bare-title ref has nothing to open).
        Enter is named for what it does now; `g` is offered only with feedback."""
        asking = self.feedback is None and not self.finished
        if action == "open_docs":
            return self.feedback is not None and bool(openable(self.feedback.refs))
        if action == "submit":
            return asking
        if action in ("next", "guess"):
            return self.feedback is not None
        if action == "home":
            return self.finished
        return True

    def action_next(self) -> None:
        self.action_submit()

    def action_home(self) -> None:
        self.action_submit()

    def action_open_docs(self) -> None:
        self._commit_pending()
        if self.feedback is not None:
            open_refs(self, self.feedback.refs)

    def action_submit(self) -> None:
        self._commit_pending()
        if self.finished:
            self.dismiss(None)
            return
        if self.feedback is not None:
            self.show_question()
            return
        view = self._view
        if view is None:
            return
        question = view.question
        view.choices.accept_order()  # an untouched ordering item: Enter submits the order shown
        response = view.response
        if not is_complete(question, response):
            need = (
                f"choose exactly {question.choose}"
                if isinstance(question, MultiQuestion)
                else "answer every part"
            )
            say(self, f"Not yet: {need} (Enter submits).", severity="warning")
            return
        # The feedback is drawn first and the answer committed right after its frame: the commit
        # (grading, scheduling, a synchronous write with fsync) took about 3 ms of the slowest key of
        # a practice session (issue 18), and nothing on screen waits for it. It is committed before
        # anything else happens on this screen (every key, action, covering dialog and the screen's
        # end commits it first, `_commit_pending`), so a crash can lose only the answer in flight,
        # never one the learner has moved on from. The feedback is built by the study layer's own
        # functions, as `PracticeSession.answer` builds it; a refused write takes it back.
        duration = self.timer.elapsed_ms()
        value = normalise(question, response)
        shown = Feedback(
            question,
            grade(question, value),
            value,
            correct_response(question),
            feedback_options(question, value),
            question.explanation,
            list(question.refs),
            0,
            duration_ms=clean_duration(duration),
        )
        self._pending = (shown, response, duration)
        self.feedback = shown
        self.show_feedback()  # shows the verdict, so the screen is laid out: `_laid_out` commits

    def _laid_out(self, _screen: Screen) -> None:
        self._commit_pending()

    def _commit_pending(self) -> None:
        """Commit the answer whose feedback is on screen, if it is not committed yet.

        Refused by the store, the answer is taken back as it was never given: the question is shown
        again, answered as the learner left it and still timed, under the dialog that says so; its
        Retry submits again (the dialog covers the question, so its time is left out)."""
        if self._pending is None:
            return
        shown, response, duration = self._pending
        self._pending = None
        feedback = saved(
            self,
            lambda: self.session.answer(response, duration_ms=duration),
            retry=self.action_submit,
        )
        if isinstance(feedback, NotSaved):
            self.feedback = None
            self.refresh_bindings()
            question = shown.question
            self._status(question)
            scenario = self.session.scenario(question)
            self._show_in_view(question, response=response, seed=self.session.index, scenario=scenario)
            return
        self.timer.stop()
        self.feedback = feedback
        if replace(feedback, answer_id=shown.answer_id) != shown:  # never expected: show what was saved
            self.show_feedback()

    def action_guess(self) -> None:
        self._commit_pending()
        if self.feedback is None:
            return
        if not self.feedback.correct:
            say(self, "Only a right answer can be a guess; a wrong one already comes back soon.")
            return
        feedback = saved(
            self,
            self.session.mark_guess,
            retry=self.action_guess,
            what="The guess",
        )
        if isinstance(feedback, NotSaved):
            return
        self.feedback = feedback
        say(self, "Marked as a guess: it will come back sooner.")
        self.show_feedback()

    def action_undo(self) -> None:
        self._commit_pending()
        question = saved(
            self,
            self.session.undo,
            retry=self.action_undo,
            what="Taking the answer back",
        )
        if isinstance(question, NotSaved):
            return
        if question is None:
            say(self, "Nothing to undo.")
            return
        self.finished = False
        say(self, "Answer taken back.")
        self.show_question()

    def action_leave(self) -> None:
        self._commit_pending()
        if self.finished or not self.session.history:
            self.dismiss(None)
        else:
            self.show_summary()


KEPT = "practice"
"""The name the app's one practice screen is installed under (`open_practice`)."""


def open_practice(app: QuizApp, session: PracticeSession, title: str) -> None:
    """Show `session` on the app's one practice screen (`tui.kept`), practice and review missed
    alike. Kept, opening practice costs 25-31 ms of CPU instead of 65-83 (a new screen's widgets and
    styles composed per session)."""
    open_kept(
        app,
        KEPT,
        PracticeScreen,
        lambda: PracticeScreen(session, title),
        lambda screen: screen.start(session, title),
    )


def choose_practice(app: QuizApp) -> None:
    """Pick a scope, then practise it."""
    coach = app.coach
    assert coach is not None
    bank = coach.bank
    infos = bank.questions.infos()
    counts_task = Counter(q.task for q in infos)
    counts_domain = Counter(str(bank.domain_of(q)) for q in infos)
    counts_type = Counter(q.type for q in infos)
    tags = Counter(t for q in infos for t in q.tags)
    choices: list[tuple[str, str | None]] = [
        ("Everything (due first, then weakest, then new)", "all:"),
        ("Due today (up to your daily limit)", "due:"),
        ("New questions", "new:"),
        ("Weakest (lowest mastery)", "weak:"),
        ("— by domain —", None),
        *[
            (f"Domain {d.id}: {d.name} ({counts_domain[str(d.id)]})", f"domain:{d.id}")
            for d in bank.blueprint.domains
        ],
        ("— by task statement —", None),
        *[
            (f"{t.id} {t.title} ({counts_task[t.id]})", f"task:{t.id}")
            for d in bank.blueprint.domains
            for t in d.tasks
        ],
        ("— by question type —", None),
        *[(f"{kind} ({n})", f"type:{kind}") for kind, n in sorted(counts_type.items())],
        ("— by tag —", None),
        *[(f"{tag} ({n})", f"tag:{tag}") for tag, n in sorted(tags.items()) if n >= 3],
    ]

    def picked(value: str | None) -> None:
        if not value:
            return
        kind, _, arg = value.partition(":")
        scope = Scope(kind, arg or None)
        session = coach.practice(scope)
        if not len(session):
            say(app, f"No questions in '{scope.label()}' right now.")
            return
        open_practice(app, session, "Practice")

    app.push_screen(PickDialog("Practise what?", choices), picked)
