"""Exam results: scaled score, pass/fail, time used and per question against the exam's pace,
per-domain bars; then walk every question, each with the time it took."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quizapp.content import AnyQuestion, Bank
from quizapp.study import ExamResult, ExamSession
from quizapp.study.grading import Response
from quizapp.study.readiness import pass_share, weak_tasks
from quizapp.study.timing import Timing
from quizapp.tui.refs import open_refs, openable
from quizapp.tui.text import clock_face, plain, safe, say
from quizapp.tui.timing import seconds, took
from quizapp.tui.widgets.question import QUIT_OFF_THE_FOOTER, QuestionView, question_screen_layout
from quizapp.tui.widgets.statusbar import StatusBar

BAR = 30


def bar(fraction: float, width: int = BAR) -> str:
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)


class ResultsScreen(Screen[None]):
    HELP_TITLE = "Exam results"
    # Short labels, so that at 80 columns the footer has room for all of them and '? Help' (issue 15,
    # item 14); Help gives each its tooltip, and the status line names ←/→ while walking.
    BINDINGS = [
        Binding("w", "walk('wrong')", "Wrong", tooltip="walk through the wrong answers"),
        Binding("f", "walk('flagged')", "Flagged", tooltip="walk through the flagged questions"),
        Binding("a", "walk('all')", "All", tooltip="walk through every question"),
        Binding("right,enter", "step(1)", "Next", show=False),
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("o", "open_docs", "Open docs", tooltip="open the question's documentation in a browser"),
        Binding("escape", "back", "Back"),
        QUIT_OFF_THE_FOOTER,
    ]

    def __init__(
        self,
        bank: Bank,
        question_ids: list[str],
        responses: dict[int, Response],
        flagged: set[int],
        result: ExamResult,
        seed: int,
    ) -> None:
        super().__init__()
        self.bank = bank
        self.question_ids = question_ids
        self.responses = responses
        self.flagged = flagged
        self.result = result
        self.seed = seed
        self.walk: list[int] = []
        self.walk_name = ""
        self.cursor = -1
        self.shown: AnyQuestion | None = None
        """The question being walked through, if any: what `o` opens the documentation of."""
        # The summary, the one view every walked question is shown in, and the note for a question no
        # longer in the banks: each mounted when first needed, then updated in place and shown or hidden
        # (a new view per step cost a mount each, and the removed ones piled up; issue 18).
        self._summary: Static | None = None
        self._view: QuestionView | None = None
        self._missing: Static | None = None

    @classmethod
    def of(cls, session: ExamSession) -> ResultsScreen:
        """The results of a submitted exam session."""
        assert session.result is not None
        return cls(
            session.bank,
            session.question_ids,
            session.responses,
            session.flagged,
            session.result,
            session.seed,
        )

    def compose(self) -> ComposeResult:
        yield from question_screen_layout()

    def on_mount(self) -> None:
        self._status_bar = self.query_one("#status", StatusBar)
        self._body = self.query_one("#body", VerticalScroll)
        self.show_summary()

    def show_summary(self) -> None:
        r = self.result
        self.cursor = -1
        self.shown = None
        self.refresh_bindings()
        text = Text()
        verdict, style = ("PASS", "bold black on green") if r.passed else ("FAIL", "bold white on red")
        text.append(f" {verdict} ", style)
        text.append(f"  Scaled score {r.scaled}", "bold")
        text.append(f" (pass mark {r.passing}) · {r.correct}/{r.total} right\n")
        # The time on a line of its own: at 80 columns it wrapped to the left edge, under the score.
        text.append(f"Time used {clock_face(r.time_used_s)} of {clock_face(r.time_limit_s)}")
        if r.timed_out:
            text.append(" · submitted when time ran out", "yellow")
        text.append("\n")
        text.append_text(pace_lines(r.timing))
        text.append("\nBy domain\n", "bold")
        for domain in self.bank.blueprint.domains:
            d = r.by_domain.get(str(domain.id), {"correct": 0, "total": 0})
            share = d["correct"] / d["total"] if d["total"] else 0
            text.append(f"  {domain.id} {safe(domain.name)[:44]:<44} ")
            text.append(bar(share, 20), "green" if share >= 0.7 else ("yellow" if share >= 0.5 else "red"))
            text.append(f" {d['correct']:>2}/{d['total']:<2}\n")
        # Only tasks below the pass level are weak: the three lowest of a good exam are not.
        weak = weak_tasks(r.by_task, pass_share(r.passing, self.bank.blueprint.format.scale))
        if weak:
            text.append("\nWeak task statements (below the pass level): ", "bold")
            text.append(", ".join(f"{safe(t)} ({v['correct']}/{v['total']})" for t, v in weak) + "\n")
        elif any(v["total"] for v in r.by_task.values()):
            text.append("\nNo task statement stands out as weak: each is at or above the pass level.\n")
        wrong = sum(not q["correct"] for q in r.questions)
        text.append(f"\n{wrong} wrong answer(s) are now in Review missed.\n", "dim")
        text.append(
            "The scaled score is quizapp's linear estimate; AWS does not publish its scaling.\n", "dim"
        )
        text.append("\nw: walk through wrong answers · f: flagged · a: all · Esc: home", "dim")
        self._status_bar.show("Exam results")
        if self._summary is None:
            self._summary = Static(text)
        else:
            self._summary.update(text)
        self._show_only(self._summary)

    def _show_only(self, widget: Static | QuestionView) -> None:
        """Show `widget` in the body (mounting it the first time) and hide the others."""
        body = self._body
        for other in (self._summary, self._view, self._missing):
            if other is not None and other is not widget:
                other.display = False
        widget.display = True
        if widget.parent is None:
            body.mount(widget)
        body.scroll_home(animate=False, immediate=True)

    def action_walk(self, which: str) -> None:
        rows = self.result.questions
        if which == "wrong":
            self.walk = [i for i, q in enumerate(rows) if not q["correct"]]
        elif which == "flagged":
            self.walk = [i for i, q in enumerate(rows) if q["flagged"]]
        else:
            self.walk = list(range(len(rows)))
        self.walk_name = which
        if not self.walk:
            say(self, f"No {which} questions.")
            return
        self.cursor = 0
        self.show_walk()

    def show_walk(self) -> None:
        position = self.walk[self.cursor]
        qid = self.question_ids[position]
        question = self.bank.questions.get(qid)
        self.shown = question
        self.refresh_bindings()
        ms = self.result.questions[position].get("ms") if position < len(self.result.questions) else None
        spent = f" · took {took(ms)}" if ms is not None else ""
        self._status_bar.show(
            f"Question {position + 1} · {self.walk_name}{spent}",
            f"{self.cursor + 1}/{len(self.walk)} · ←/→ move · Esc: summary",
        )
        if question is None:
            missing = plain(f"Question {qid} is no longer in your banks.")
            if self._missing is None:
                self._missing = Static(missing)
            else:
                self._missing.update(missing)
            self._show_only(self._missing)
            return
        shown = {
            "response": self.responses.get(position),
            "seed": self.seed + position,
            "review": True,
            "scenario": self.bank.scenario_of(qid),
        }
        if self._view is None:
            self._view = QuestionView(question, **shown)
        else:
            self._view.show(question, **shown)
        self._show_only(self._view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`o` exists only while a reviewed question with a documentation link is on screen."""
        if action == "open_docs":
            return self.shown is not None and bool(openable(self.shown.refs))
        return True

    def action_open_docs(self) -> None:
        if self.shown is not None:
            open_refs(self, self.shown.refs)

    def action_step(self, step: int) -> None:
        if self.cursor < 0:
            return
        self.cursor = max(0, min(len(self.walk) - 1, self.cursor + step))
        self.show_walk()

    def action_back(self) -> None:
        if self.cursor >= 0:
            self.show_summary()
        else:
            self.dismiss(None)


def pace_lines(timing: Timing) -> Text:
    """Time per question against the exam's pace, each line within 80 columns (so the per-domain
    bars below keep their place at 80x24):

        Time per question: median 48 s, mean 55 s · exam pace 83 s: 28 s to spare
        3 questions took longer than 83 s

    The pace is judged on the mean, as the exam's clock is: 90 minutes run out on the total. An exam
    without measured times (from before quizapp kept them, or imported without) says so instead of
    showing zeros.
    """
    text = Text()
    if not timing.timed or timing.median_s is None or timing.mean_s is None or timing.spare_s is None:
        text.append("Time per question was not measured for this exam.\n", "dim")
        return text
    text.append(f"Time per question: median {seconds(timing.median_s)}, mean {seconds(timing.mean_s)}")
    text.append(f" · exam pace {timing.pace_s} s: ")
    if abs(timing.spare_s) < 0.5:
        text.append("on pace", "green")
    elif timing.spare_s > 0:
        text.append(f"{seconds(timing.spare_s)} to spare", "green")
    else:
        text.append(f"{seconds(-timing.spare_s)} behind", "yellow")
    text.append("\n")
    over = timing.over_pace
    if over:
        text.append(f"{over} question{'s' if over != 1 else ''} took longer than {timing.pace_s} s\n")
    else:
        text.append(f"No question took longer than {timing.pace_s} s\n")
    return text
