"""Opening the dashboard again costs what the first open cost at most, not more for a long history
(issue 18): counted (plotext builds, rows of figures), not timed.

The exam charts change only when an exam is finished, yet plotext built the visible one again on
every open, point by point (the newest 20 exams); now a chart's built plot is kept by what it is
drawn from, its size and theme (`widgets.charts.Chart`), and built again when any of those changes.
"""

from __future__ import annotations

from plotext._figure import _figure_class

from tests.tui.helpers import ready
from tests.tui.test_home_reads import history_app, loaded


def _counting_builds(monkeypatch) -> list[int]:  # noqa: ANN001
    built: list[int] = []
    original = _figure_class.build

    def counted(self):  # noqa: ANN001, ANN202
        built.append(1)
        return original(self)

    monkeypatch.setattr(_figure_class, "build", counted)
    return built


def _screen_text(app) -> str:  # noqa: ANN001
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _open(pilot) -> str:  # noqa: ANN001
    await pilot.press("d")
    await ready(pilot, "DashboardScreen")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return _screen_text(pilot.app)


async def test_an_unchanged_exam_chart_is_not_built_again(built_history, tmp_path, monkeypatch):
    built = _counting_builds(monkeypatch)
    app = history_app(built_history, tmp_path)
    async with loaded(app) as pilot:
        first = await _open(pilot)
        assert "Exam scores" in first and "700 pass" in first  # the chart with its exams, on screen
        assert len(built) >= 1
        await pilot.press("escape")
        await ready(pilot)
        before = len(built)
        again = await _open(pilot)
        assert len(built) == before  # before: the scores chart built again on each open
        assert again == first

        # A finished exam changes what the chart is drawn from: built again, and the new exam shows.
        await pilot.press("escape")
        await ready(pilot)
        exam = app.coach.start_exam(4, seed=8)
        exam.submit()
        await _open(pilot)
        assert len(built) > before


async def test_the_retention_table_is_drawn_once_a_width(built_history, tmp_path, monkeypatch):
    """Its Rich table was drawn to learn its height, then again to draw it (three times an open);
    now once per width it is asked at."""
    from quizapp.tui.widgets.retention_table import RetentionView

    drawn: list[int] = []
    original = RetentionView.__rich_console__

    def counted(self, console, options):  # noqa: ANN001, ANN202
        drawn.append(options.max_width)
        return original(self, console, options)

    monkeypatch.setattr(RetentionView, "__rich_console__", counted)
    app = history_app(built_history, tmp_path)
    async with loaded(app) as pilot:
        await _open(pilot)
        table = app.screen.query_one("#retention")
        table.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        text = _screen_text(app)
        assert "True retention" in text and "Last 30 days" in text  # on screen, rows and all
        assert len(drawn) == len(set(drawn)), drawn  # before: three times at one width
