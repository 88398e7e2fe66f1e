"""Progress: the pass chance and why, exam scores with the 700 line, reviews per day, due forecast,
predicted against actual scores, true retention, mastery per task.

The dashboard scrolls vertically and lays itself out by width (issue 15, item 13): from 120 columns
the charts sit three to a row, below that they stack one per row so each title and axis fits; the
mastery table fits its columns to the width it has (`widgets.mastery_table`); the counts under the
pass chance wrap between counts, never inside one. True retention (reviews passed, mature and
young, against the desired retention) comes with the other figures from `study.stats.dashboard_figures`,
whose reads do not grow with the history (issue 18): the charts of exams hold the newest twenty
(their titles then say "last 20" and their axes count back from the newest), and the Brier line
scores the predictions of those.

The top is the pass chance (issue 16, item 4) with the engine's whole reason: it says what the older
readiness estimate said (the expected score, how much of the bank was seen) and whether that is
enough to pass, so the point estimate is no longer shown. It is the one Home's worker worked out for
what is stored, or a worker works it out, as on Home: never on the event loop (`stats()` is asked
without it). Under the charts, the calibration (item 5): each exam's predicted scaled score against
the one scored, and the Brier score of the pass predictions in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.tui.text import plain
from quizapp.tui.widgets.pass_chance import (
    FAILED,
    WAITING,
    brier_line,
    known_pass_chance,
    statement,
    work_out_pass_chance,
)

if TYPE_CHECKING:
    from quizapp.study.passchance import PassChance
    from quizapp.study.predictions import ExamCheck
    from quizapp.tui.app import QuizApp

WIDE = 120
"""From this width the charts sit side by side; a third of it still fits every chart's title."""
SEPARATOR = " · "


def pack(parts: Sequence[str], width: int, separator: str = SEPARATOR) -> list[str]:
    """`parts` joined by `separator` into lines of at most `width` cells, breaking only between
    parts (a part wider than `width` gets a line of its own and wraps there)."""
    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1] + separator + part) <= width:
            lines[-1] += separator + part
        else:
            lines.append(part)
    return lines


class Summary(Static):
    """The pass chance and its reason, then the counts packed to the width on every resize."""

    _statement: Sequence[Text] | None = None
    _counts: Sequence[str] = ()

    def show(self, statement: Sequence[Text], counts: Sequence[str] | None = None) -> None:
        """Show `statement` (its lines); the counts stay as they were when None."""
        self._statement = list(statement)
        if counts is not None:
            self._counts = list(counts)
        self._draw(self.content_size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if self._statement is not None:
            self._draw(self.content_size.width)

    def _draw(self, width: int) -> None:
        text = Text("\n").join(self._statement or [])
        for line in pack(self._counts, max(width, 1)):
            text.append("\n" + line, "dim")
        self.update(text)


def exam_checks(exams: Sequence[dict[str, Any]]) -> list[ExamCheck]:
    """`Coach.prediction_record()` from the exams `stats()` has just read (finished ones, in the
    store's order: oldest first), so opening the dashboard reads them once, not twice."""
    from quizapp.study.predictions import ExamCheck

    return [
        ExamCheck(e["started_at"], e["predicted"], e["predicted_pass"], int(e["scaled"]), bool(e["passed"]))
        for e in exams
        if e.get("scaled") is not None and e.get("status") != "in_progress"
    ]


def _brier_words(brier: float | None, exams: int, windowed: bool) -> str:
    """`brier_line`, or with older exams left out (`dashboard_figures`), over which exams it is."""
    if not windowed or brier is None or not exams:
        return brier_line(brier, exams)
    return f"Pass predictions, last {exams} exams: Brier {brier:.2f} (0 is perfect; 0.25 is a coin flip)"


class DashboardScreen(Screen[None]):
    HELP_TITLE = "Progress dashboard"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    DEFAULT_CSS = """
    DashboardScreen VerticalScroll { scrollbar-gutter: stable; }
    DashboardScreen #readiness { height: auto; padding: 0 1; }
    DashboardScreen #charts { height: auto; layout: vertical; }
    DashboardScreen #charts Chart { height: 12; width: 1fr; margin-bottom: 1; }
    DashboardScreen.-wide #charts { layout: grid; grid-size: 3; grid-rows: 15; grid-columns: 1fr; }
    DashboardScreen.-wide #charts Chart { height: 14; width: 1fr; }
    DashboardScreen #brier { height: auto; padding: 0 1; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        # Charts load only when the dashboard opens (textual-plotext costs the first screen time).
        from quizapp.tui.widgets.charts import BarChart, Chart
        from quizapp.tui.widgets.mastery_table import MasteryTable
        from quizapp.tui.widgets.retention_table import RetentionTable

        yield Header()
        with VerticalScroll():
            yield Summary(id="readiness")
            with Container(id="charts"):
                yield Chart(id="scores")
                yield BarChart(id="reviews")
                yield BarChart(id="forecast")
                yield Chart(id="calibration")  # with the others: snapshots hide them all (helpers)
            yield Static(id="brier")
            yield RetentionTable(id="retention")
            yield MasteryTable(id="mastery")
        yield Footer()

    def on_mount(self) -> None:
        from quizapp.study.history import recent_reviews
        from quizapp.study.retention import TrueRetention
        from quizapp.study.stats import dashboard_figures
        from quizapp.tui.widgets.charts import (
            BarChart,
            Chart,
            draw_calibration,
            draw_forecast,
            draw_reviews,
            draw_scores,
        )
        from quizapp.tui.widgets.mastery_table import MasteryTable, mastery_rows
        from quizapp.tui.widgets.retention_table import RetentionTable

        app: QuizApp = self.app  # type: ignore[assignment]
        coach = app.coach
        assert coach is not None
        figures = dashboard_figures(coach)  # bounded reads; the chance: known, or from a worker
        chance = known_pass_chance(coach)
        self.query_one(Summary).show(
            statement(chance) if chance is not None else [plain(WAITING, "dim")],
            [
                f"Answered {figures['answered']}",
                f"reviewed {figures['reviewed']} flashcards",
                f"{figures['missed']} missed to win back",
                f"{figures['leeches']} leeches",
            ],
        )
        if chance is None:
            work_out_pass_chance(self, self._show_pass_chance)
        checks, more = figures["exams"], figures["more_exams"]
        draw_scores(self.query_one("#scores", Chart), checks, more)
        draw_reviews(self.query_one("#reviews", BarChart), recent_reviews(coach))
        draw_forecast(self.query_one("#forecast", BarChart), figures["due_forecast"])
        draw_calibration(self.query_one("#calibration", Chart), checks, more)
        calibration = figures["calibration"]
        self.query_one("#brier", Static).update(
            plain(_brier_words(calibration["brier"], calibration["exams"], more))
        )
        self.query_one(RetentionTable).show(TrueRetention.from_dict(figures["true_retention"]))
        self.query_one(MasteryTable).show(mastery_rows(figures, coach.bank.blueprint))
        self.query_one(VerticalScroll).focus()  # open at the top, charts first

    def _show_pass_chance(self, chance: PassChance | None) -> None:
        self.query_one(Summary).show(statement(chance) if chance is not None else [plain(FAILED, "dim")])

    def action_back(self) -> None:
        self.dismiss(None)
