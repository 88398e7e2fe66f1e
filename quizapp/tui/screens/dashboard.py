"""Progress: exam scores with the 700 line, reviews per day, due forecast, true retention, mastery
per task.

The dashboard scrolls vertically and lays itself out by width (issue 15, item 13): from 120 columns
the three charts share a row, below that they stack one per row so each title and axis fits; the
mastery table fits its columns to the width it has (`widgets.mastery_table`); the counts under the
readiness line wrap between counts, never inside one. True retention (reviews passed, mature and
young, against the desired retention) comes from the same `stats()`, so opening the dashboard counts
the review log once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.tui.text import plain

if TYPE_CHECKING:
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
    """The readiness statement, then the counts packed to the width on every resize."""

    _statement: Text | None = None
    _counts: Sequence[str] = ()

    def show(self, statement: Text, counts: Sequence[str]) -> None:
        self._statement, self._counts = statement, list(counts)
        self._draw(self.content_size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if self._statement is not None:
            self._draw(self.content_size.width)

    def _draw(self, width: int) -> None:
        text = Text()
        text.append("Readiness  ", "bold")
        text.append_text(self._statement or Text())
        for line in pack(self._counts, max(width, 1)):
            text.append("\n" + line, "dim")
        self.update(text)


class DashboardScreen(Screen[None]):
    HELP_TITLE = "Progress dashboard"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    DEFAULT_CSS = """
    DashboardScreen VerticalScroll { scrollbar-gutter: stable; }
    DashboardScreen #readiness { height: auto; padding: 0 1; }
    DashboardScreen #charts { height: auto; layout: vertical; }
    DashboardScreen #charts Chart { height: 12; width: 1fr; margin-bottom: 1; }
    DashboardScreen.-wide #charts { layout: horizontal; height: 15; }
    DashboardScreen.-wide #charts Chart { height: 14; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        # Charts load only when the dashboard opens (textual-plotext costs the first screen time).
        from quizapp.tui.widgets.charts import Chart
        from quizapp.tui.widgets.mastery_table import MasteryTable
        from quizapp.tui.widgets.retention_table import RetentionTable

        yield Header()
        with VerticalScroll():
            yield Summary(id="readiness")
            with Container(id="charts"):
                yield Chart(id="scores")
                yield Chart(id="reviews")
                yield Chart(id="forecast")
            yield RetentionTable(id="retention")
            yield MasteryTable(id="mastery")
        yield Footer()

    def on_mount(self) -> None:
        from quizapp.study.history import recent_reviews
        from quizapp.study.retention import TrueRetention
        from quizapp.tui.widgets.charts import Chart, draw_forecast, draw_reviews, draw_scores
        from quizapp.tui.widgets.mastery_table import MasteryTable, mastery_rows
        from quizapp.tui.widgets.retention_table import RetentionTable

        app: QuizApp = self.app  # type: ignore[assignment]
        coach = app.coach
        assert coach is not None
        stats = coach.stats()
        ready = stats["readiness"]
        likely = ready["likely_pass"]
        style = "dim" if likely is None else ("green" if likely else "yellow")  # None: not enough data
        self.query_one(Summary).show(
            plain(ready["statement"], style),
            [
                f"Answered {stats['answered']}",
                f"reviewed {stats['reviewed']} flashcards",
                f"{stats['missed']} missed to win back",
                f"{stats['leeches']} leeches",
            ],
        )
        draw_scores(self.query_one("#scores", Chart), stats["exams"])
        draw_reviews(self.query_one("#reviews", Chart), recent_reviews(coach))
        draw_forecast(self.query_one("#forecast", Chart), stats["due_forecast"])
        self.query_one(RetentionTable).show(TrueRetention.from_dict(stats["true_retention"]))
        self.query_one(MasteryTable).show(mastery_rows(stats, coach.bank.blueprint))
        self.query_one(VerticalScroll).focus()  # open at the top, charts first

    def action_back(self) -> None:
        self.dismiss(None)
