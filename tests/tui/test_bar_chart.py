"""The dashboard's bar charts (reviews a day, cards due) are drawn cell by cell, not by plotext.

plotext fills each bar point by point, so its work grew with the counts (issue 18: twelve weeks of a
year's reviews took ten times an empty chart's). `bar_lines` works out each cell once: the same
lines, frame and labels whatever the counts; these tests pin what the learner reads off them.
"""

from __future__ import annotations

from quizapp.tui.widgets.charts import BarChart, bar_lines
from tests.tui.helpers import build, ready


def test_bars_frame_and_labels():
    counts = [90] * 13 + [1]
    lines = [
        line for line, _ in bar_lines("Reviews / day", counts, [0, 7, 13], ["-13d", "-6d", "today"], 60, 12)
    ]
    assert len(lines) == 12 and {len(line) for line in lines} == {60}
    assert lines[0].strip() == "Reviews / day"
    assert lines[2].startswith("90┤") and lines[9].startswith(" 0┤")  # the top and 0 ticks
    assert lines[10].startswith("  └") and lines[10].count("┬") == 3
    assert lines[11].split() == ["-13d", "-6d", "today"]
    bottom = lines[9]
    assert bottom[-3] == "▁"  # the day with one review among days of 90 is still seen
    assert "█" in bottom[3:10]


def test_more_bars_than_columns_show_a_mean_a_column():
    lines = bar_lines("t", [8, 0] * 42, [0, 83], ["a", "b"], 45, 12)  # 42 columns, two bars each
    canvas = [line[2:-1] for line, _ in lines[2:10]]
    assert {len(row) for row in canvas} == {42}
    assert all(row.strip() == "" for row in canvas[:4])  # a mean of 4 on a scale of 8: half height
    assert all(set(row) <= {"█"} for row in canvas[4:])


def test_no_counts_draws_an_empty_frame():
    lines = [line for line, _ in bar_lines("Cards due", [0] * 14, [0, 13], ["today", "+13d"], 40, 12)]
    assert lines[2].startswith("1┤") and lines[9].startswith("0┤")
    assert all(set(line[2:-1]) == {" "} for line in lines[2:10])


async def test_the_dashboard_draws_its_bars_without_plotext(tmp_path, monkeypatch):
    from textual_plotext.plot import Plot

    built: list[int] = []
    original = Plot.build

    def counted(self):  # noqa: ANN001, ANN202
        built.append(id(self))
        return original(self)

    monkeypatch.setattr(Plot, "build", counted)
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.coach.practice().answer(None)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        charts = {chart.id: chart for chart in app.screen.query(BarChart)}
        assert set(charts) == {"reviews", "forecast"}
        for chart in charts.values():
            chart.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            assert chart.heading in chart.render().plain  # drawn, titled
            assert id(chart.plt) not in built, chart.id  # and not by plotext
        assert built  # while the exam charts are plotext's
