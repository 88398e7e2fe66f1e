"""The dashboard's charts, each a plotext plot that knows its own title.

plotext draws a title only where it fits over the plot's canvas and silently drops it otherwise
(issue 15, item 13: "Cards due, next 14 days" vanished from a third of an 80-column screen). The
titles are kept short enough for the narrowest width the dashboard lays them out at (a third of
120 columns), and the screen stacks the charts below that width; `Chart.heading` is the title
drawn, so tests can look for it on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from rich.text import Text
from textual_plotext import PlotextPlot

from quizapp.study.history import ReviewDays

if TYPE_CHECKING:
    from quizapp.study.predictions import ExamCheck

PASS_MARK = 700
MOST_TICKS = 6


BUILT_KEPT = 8
"""Plots kept built per app (`Chart.render`): each chart at a width or two, and a theme change's."""
_built: WeakKeyDictionary[Any, dict[tuple[Any, ...], Text]] = WeakKeyDictionary()


class Chart(PlotextPlot):
    """A plot with a title that is part of the widget's state, not only of plotext's figure.

    A plot drawn from `figure` (what `draw_scores` and `draw_calibration` plot it from) is built by
    plotext once per figure, size and theme, and kept (`BUILT_KEPT`): the exam charts change only
    when an exam is finished, yet plotext built them again on every dashboard open, point by point
    (about 8 ms for the newest 20 exams at 80 columns, against 1 ms for "no exams yet"; issue 18)."""

    DEFAULT_CSS = """
    Chart { min-width: 30; }
    """

    heading = ""
    figure: tuple[Any, ...] | None = None
    """What the plot is drawn from (None: not known, built on every render as plotext does)."""

    def titled(self, heading: str, figure: tuple[Any, ...] | None = None) -> Any:
        """Title the figure (drawn once, when the dashboard opens) drawn from `figure` (hashable,
        all the plot depends on besides size and theme); returns plotext's figure."""
        plt = self.plt
        plt.title(heading)
        self.heading = heading
        self.figure = figure
        self.refresh()
        return plt

    def render(self) -> Text:  # type: ignore[override]
        if self.figure is None:
            return super().render()  # type: ignore[return-value]
        kept = _built.setdefault(self.app, {})
        key = (self.figure, self.size.width, self.size.height, self.app.theme, self.theme)
        built = kept.pop(key, None)
        if built is None:
            built = super().render()  # type: ignore[assignment]
            while len(kept) >= BUILT_KEPT:
                kept.pop(next(iter(kept)))
        kept[key] = built  # newest last: the oldest goes first
        return built.copy()  # type: ignore[union-attr]


def spaced(n: int, most: int = MOST_TICKS) -> list[int]:
    """At most `most` positions out of 1..n, evenly spread, always the first and the last."""
    if n <= most:
        return list(range(1, n + 1))
    step = (n - 1) / (most - 1)
    return sorted({1 + round(i * step) for i in range(most)})


def count_ticks(top: int) -> list[int]:
    """Whole-number y ticks from 0 to `top` (plotext's own are fractions like 30.8)."""
    if top <= 2:
        return list(range(top + 1))
    return sorted({0, top // 2, top})


def _empty(plt: Any, words: str) -> None:
    """Words in the middle of an empty plot, and no axis figures (its 0.00 ... 1.00 mean nothing)."""
    plt.text(words, 0.5, 0.5, alignment="center")
    plt.xlim(0, 1)
    plt.ylim(0, 1)
    plt.xticks([])
    plt.yticks([])


def _pass_line(plt: Any, xs: Sequence[int], **style: str) -> None:
    plt.plot(list(xs), [PASS_MARK] * len(xs), color="red", label=f"{PASS_MARK} pass", **style)


def _scaled_axes(
    plt: Any, xs: Sequence[int], y: tuple[int, int] = (100, 1000), newest: int | None = None
) -> None:
    """The scaled range `y` (the whole scale by default) and a few of the exam numbers `xs`; with
    `newest` (the number of the newest exam), counted back from it ("last", "-5", ...): the chart
    then holds the newest exams only, and their numbers among all exams are not read."""
    plt.ylim(*y)
    ticks = [xs[i - 1] for i in spaced(len(xs))]
    labels = [str(x) if newest is None else "last" if x == newest else f"-{newest - x}" for x in ticks]
    plt.xticks(ticks, labels)
    plt.yticks([100, 400, 700, 1000] if y == (100, 1000) else sorted({y[0], PASS_MARK, y[1]}))


def zoom(values: Sequence[int], step: int = 50) -> tuple[int, int]:
    """A y range around `values` and the pass mark, in whole `step`s within the 100-1000 scale.

    Predictions and scores cluster near the pass mark, which is where they matter; on the whole
    scale a 10-row chart gives each row 130 points, so a score of 730, a prediction of 670 and the
    700 line share a row and hide one another."""
    low, high = min(*values, PASS_MARK), max(*values, PASS_MARK)
    pad = max(step // 2, (high - low) // 10)
    low = max(100, (low - pad) // step * step)
    high = min(1000, -(-(high + pad) // step) * step)
    return low, high


def _heading(title: str, checks: Sequence[ExamCheck], more: bool) -> str:
    """`title`, and ", last N" when older exams were left out (`dashboard_figures`' window)."""
    return f"{title}, last {len(checks)}" if more else title


def draw_scores(chart: Chart, checks: Sequence[ExamCheck], more: bool = False) -> None:
    """Finished exams' scaled scores in order (oldest first), with the pass mark as a line; `more`:
    older exams were left out, and the title and axis say so."""
    plt = chart.titled(_heading("Exam scores", checks, more), ("scores", tuple(checks), more))
    if not checks:
        _empty(plt, "no exams yet")
        return
    xs = list(range(1, len(checks) + 1))
    scores = [c.scaled for c in checks]
    # As in "Predicted vs actual": the pass mark first and thin, the range zoomed to the scores, or a
    # 730 shares the 700 line's row on the whole scale and is not seen at all.
    _pass_line(plt, xs, marker="braille")
    plt.plot(xs, scores, marker="braille", label="scaled")
    _scaled_axes(plt, xs, zoom(scores), newest=len(checks) if more else None)


def draw_calibration(chart: Chart, checks: Sequence[ExamCheck], more: bool = False) -> None:
    """The scaled score predicted just before each exam against the one scored (issue 16, item 5),
    numbered as "Exam scores" numbers them, on a y range zoomed to them and the pass mark; exams
    from before predictions are left out."""
    plt = chart.titled(_heading("Predicted vs actual", checks, more), ("calibration", tuple(checks), more))
    numbered = [(n, c) for n, c in enumerate(checks, 1) if c.predicted_scaled is not None]
    if not numbered:
        _empty(plt, "no predictions yet")
        return
    xs = [n for n, _ in numbered]
    # The pass mark first and thin, so a prediction just above it is drawn over it, not hidden.
    _pass_line(plt, xs, marker="braille")
    # Actual next: the first data colour, as the scores have in "Exam scores" (red is not in the
    # sequence plotext takes data colours from).
    actual = [c.scaled for _, c in numbered]
    predicted = [c.predicted_scaled or 0 for _, c in numbered]
    plt.plot(xs, actual, marker="braille", label="actual")
    plt.plot(xs, predicted, marker="braille", label="predicted")
    _scaled_axes(plt, xs, zoom([*actual, *predicted]), newest=len(checks) if more else None)


def draw_reviews(chart: BarChart, reviews: ReviewDays) -> None:
    """Reviews per day over the history's own span (see `study.history`)."""
    counts = list(reviews.counts)
    chart.bars(f"Reviews / day, last {reviews.span}", counts, *reviews.ticks())


def draw_forecast(chart: BarChart, due: Sequence[int]) -> None:
    """Flashcards falling due on each of the next days."""
    counts = list(due)
    last = len(counts) - 1
    at = [i for i in (0, 3, 7, last) if i <= last]
    chart.bars(
        f"Cards due, next {len(counts)} days", counts, at, ["today" if i == 0 else f"+{i}d" for i in at]
    )


class BarChart(Chart):
    """Counts a day as bars, drawn with block characters by `bar_lines` rather than by plotext.

    plotext fills each bar point by point, so its time grows with the counts: twelve weeks of a
    year-long learner's reviews took ten times an empty chart's (34 ms against 3.6), on every
    dashboard open (issue 18). Here every cell is worked out once, whatever the counts, and a day
    is an eighth of a row tall at least, so a day with one review is seen. Still a `Chart` (a
    `PlotextPlot`), so the layout's rules find it beside the others; its plotext figure is unused."""

    _counts: tuple[int, ...] = ()
    _ticks: tuple[tuple[int, ...], tuple[str, ...]] = ((), ())

    def bars(self, heading: str, counts: Sequence[int], at: Sequence[int], labels: Sequence[str]) -> None:
        """Draw `counts` (one bar each, oldest first) titled `heading`, with `labels` under bars `at`."""
        self.heading = heading
        self._counts = tuple(int(c) for c in counts)
        self._ticks = (tuple(at), tuple(labels))
        self.refresh()

    def render(self) -> Text:
        lines = bar_lines(self.heading, self._counts, *self._ticks, self.size.width, self.size.height)
        text = Text()
        for n, (line, bar_columns) in enumerate(lines):
            if n:
                text.append("\n")
            start = 0
            for left, right in bar_columns:
                text.append(line[start:left])
                text.append(line[left:right], BAR_STYLE)
                start = right
            text.append(line[start:])
        return text


BAR_STYLE = "bright_blue"
"""plotext's first data colour (its "blue+"), which the plotted charts beside these draw with."""
EIGHTHS = " ▁▂▃▄▅▆▇█"


def bar_lines(
    heading: str, counts: Sequence[int], at: Sequence[int], labels: Sequence[str], width: int, height: int
) -> list[tuple[str, list[tuple[int, int]]]]:
    """The chart's lines at `width` x `height` cells, each with the spans that are bars: the title
    centred, a frame whose left side carries whole-number y ticks (0, half, the top) and whose
    bottom carries a tick under each bar in `at`, and `labels` under those. Bars share the
    canvas's columns evenly, a gap between them when a bar has three columns or more; with more
    bars than columns, a column shows the mean of the bars it holds (still a count a day)."""
    top = max(1, *counts) if counts else 1
    y_ticks = count_ticks(top)
    pad = max(len(str(t)) for t in y_ticks)
    canvas_w, rows = max(1, width - pad - 2), max(1, height - 4)
    n = len(counts)

    def column_of(bar: int) -> int:
        """The canvas column under the middle of `bar`."""
        return min(canvas_w - 1, int((bar + 0.5) * canvas_w / n)) if n else 0

    columns: list[float] = [0.0] * canvas_w
    if n:
        if n <= canvas_w:
            for bar, count in enumerate(counts):
                left, right = bar * canvas_w // n, (bar + 1) * canvas_w // n
                if right - left >= 3:
                    right -= 1
                for c in range(left, right):
                    columns[c] = count
        else:
            held: list[list[int]] = [[] for _ in range(canvas_w)]
            for bar, count in enumerate(counts):
                held[bar * canvas_w // n].append(count)
            columns = [sum(h) / len(h) if h else 0.0 for h in held]
    eighths = [0 if v <= 0 else max(1, round(v / top * rows * 8)) for v in columns]
    tick_rows = {rows - 1 - round(t / top * (rows - 1)): str(t) for t in y_ticks}

    lines: list[tuple[str, list[tuple[int, int]]]] = [(heading[:width].center(width), [])]
    lines.append((" " * pad + "┌" + "─" * canvas_w + "┐", []))
    for row in range(rows):
        below = (rows - 1 - row) * 8  # eighths under this row
        cells = "".join(EIGHTHS[max(0, min(8, e - below))] for e in eighths)
        label = tick_rows.get(row)
        side = f"{label:>{pad}}┤" if label is not None else " " * pad + "│"
        spans = _runs(cells, pad + 1)
        lines.append((side + cells + "│", spans))
    marks = {column_of(bar) for bar in at if 0 <= bar < n}
    lines.append((" " * pad + "└" + "".join("┬" if c in marks else "─" for c in range(canvas_w)) + "┘", []))
    under = [" "] * width
    for bar, label in zip(at, labels, strict=False):
        if not 0 <= bar < n:
            continue
        centre = pad + 1 + column_of(bar)
        start = max(0, min(width - len(label), centre - len(label) // 2))
        if any(ch != " " for ch in under[max(0, start - 1) : start + len(label) + 1]):
            continue  # would run into the label before it
        under[start : start + len(label)] = label
    lines.append(("".join(under), []))
    return [(line[:width].ljust(width), spans) for line, spans in lines[:height]]


def _runs(cells: str, offset: int) -> list[tuple[int, int]]:
    """Spans (start, end), shifted by `offset`, of the non-blank runs of `cells`."""
    spans, start = [], None
    for i, ch in enumerate(cells + " "):
        if ch != " " and start is None:
            start = i
        elif ch == " " and start is not None:
            spans.append((start + offset, i + offset))
            start = None
    return spans
