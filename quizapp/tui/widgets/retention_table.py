"""True retention as a compact table (Anki's "True Retention"), laid out for the width it is drawn at.

Rows are periods (today ... last year), columns the share of reviews passed with the number of
reviews behind it: mature flashcards and questions first, then young ones for context. When the
width cannot hold all four (below about 72 columns), the young columns go and the mature ones stay,
since mature retention is the figure to hold against the desired one. A share on too few reviews
reads "few (n)", none at all "-": never a confident percentage from three reviews. Before any item
has come back for review, one line says so instead of a table of dashes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from quizapp.study.retention import MIN_REVIEWS, TrueRetention, percent
from quizapp.tui.text import plain

if TYPE_CHECKING:
    from quizapp.study.retention import Tally

COLUMNS = (
    ("card", True, "Cards\nmature"),
    ("question", True, "Questions\nmature"),
    ("card", False, "Cards\nyoung"),
    ("question", False, "Questions\nyoung"),
)
"""In the order they give way (last first)."""
PADDING = 1


def cell(tally: Tally) -> str:
    """ "87 % (212)": the share passed and the reviews it is out of; "few (3)" below MIN_REVIEWS."""
    shown = percent(tally)
    return "-" if shown == "-" else f"{shown} ({tally.reviews})"


def desired_words(result: TrueRetention) -> str:
    return f"{result.desired:.0%}".replace("%", " %")


class RetentionView:
    """A Rich renderable: the heading, the table with as many columns as `max_width` holds, a note."""

    def __init__(self, result: TrueRetention) -> None:
        self.result = result

    def columns_for(self, width: int) -> tuple[tuple[str, bool, str], ...]:
        periods = max(cell_len(row.period.label) for row in self.result.rows)
        for count in (4, 2):
            shown = COLUMNS[:count]
            need = periods + 2 * PADDING
            for kind, mature, header in shown:
                cells = [cell(row.tally(kind, mature)) for row in self.result.rows]
                need += max(cell_len(c) for c in [*cells, *header.split("\n")]) + 2 * PADDING
            if need <= width:
                return shown
        return COLUMNS[:2]

    def table(self, width: int) -> Table:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, PADDING))
        table.add_column("Period", no_wrap=True)
        shown = self.columns_for(width)
        for _, _, header in shown:
            table.add_column(header, justify="right", no_wrap=True)
        for row in self.result.rows:
            table.add_row(row.period.label, *(cell(row.tally(kind, mature)) for kind, mature, _ in shown))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        heading = Text()
        heading.append("True retention", "bold")
        heading.append(f"  share of reviews passed · desired {desired_words(self.result)}")
        if not any(t.reviews for row in self.result.rows for t in row.tallies.values()):
            yield Group(
                heading,
                plain(
                    "Nothing to count yet: it counts the reviews of cards and questions that come back "
                    "after you first learned them.",
                    "dim",
                ),
            )
            return
        note = plain(
            "Passed: any rating but Again (a wrong answer is Again). Mature: scheduled 21 days or more "
            f"ahead. few: under {MIN_REVIEWS} reviews.",
            "dim",
        )
        yield Group(heading, self.table(width), note)

    def lines(self, width: int) -> Iterator[str]:
        """The rows as plain text at `width` (for tests and the README)."""
        console = Console(width=width, record=True, color_system=None)
        with console.capture() as capture:
            console.print(self)
        yield from capture.get().splitlines()


class ByWidth:
    """A Rich renderable drawn once per width it is asked at, then replayed (its height is its own:
    whoever asks with a height shapes the lines to it, as for any renderable).

    Textual asks a renderable in a `height: auto` widget for its lines to learn its height, then
    again to draw them: the retention table's Rich `Table` was drawn three times on every dashboard
    open, the same lines each time, about a millisecond each after a year of study (issue 18)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._lines: dict[int, list[list[Segment]]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self._lines.get(options.max_width)
        if lines is None:
            lines = console.render_lines(self.renderable, options.update(height=None), pad=False)
            self._lines[options.max_width] = lines
        for line in lines:
            yield from line
            yield Segment.line()


class RetentionTable(Static):
    """The dashboard's true retention: filled from `Coach.stats()`, redrawn for each width."""

    DEFAULT_CSS = """
    RetentionTable { height: auto; padding: 0 1; margin-bottom: 1; }
    """

    result: TrueRetention | None = None

    def show(self, result: TrueRetention) -> None:
        self.result = result
        self.update(ByWidth(RetentionView(result)))
