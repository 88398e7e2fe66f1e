"""True retention and the workload on screen with a year of real history (issue 16, items 3 and 6):
the dashboard's table within 80 columns (mature columns kept at 60), and Settings' lines under desired
retention, each figure the same as the Coach's."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll

from quizapp.study import ManualClock
from quizapp.study.retention import PERIODS, summary
from quizapp.study.workload import describe
from quizapp.tui.app import make_app
from quizapp.tui.widgets.retention_table import cell
from tests.history import NOW, copy_history, real_catalog
from tests.tui.helpers import ready


def _app(year: Path, tmp_path: Path):  # noqa: ANN202
    return make_app(
        data_dir=copy_history(year, tmp_path / "data"),
        cache_dir=tmp_path / "cache",
        clock=ManualClock(NOW),
        catalog=real_catalog(),
        fuzz=False,
    )


def _lines(app) -> list[str]:  # noqa: ANN001
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def _show(pilot, selector: str) -> list[str]:  # noqa: ANN001
    widget = pilot.app.screen.query_one(selector)
    pilot.app.screen.query_one(VerticalScroll).scroll_to_widget(widget, animate=False, top=True)
    await pilot.pause()
    await pilot.pause()
    return _lines(pilot.app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_the_dashboard_shows_true_retention_in_the_width(built_history, tmp_path, size):
    app = _app(built_history, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        lines = await _show(pilot, "#retention")
        text = "\n".join(lines)
        result = app.coach.true_retention()
        assert "True retention  share of reviews passed · desired 92 %" in text, text
        table = app.screen.query_one("#retention")
        assert table.region.right <= size[0]
        wide = size[0] >= 80
        for period in PERIODS:
            row = next((line for line in lines if line.strip().startswith(period.label)), None)
            assert row is not None, (period.label, text)
            cells = [cell(result.row(period.key).tally(k, True)) for k in ("card", "question")]
            young = [cell(result.row(period.key).tally(k, False)) for k in ("card", "question")]
            shown = row.split()
            # Every cell whole on the period's line, in column order; young ones only when wide.
            joined = " ".join(shown)
            expected = " ".join([*cells, *(young if wide else [])])
            assert joined.endswith(expected), (row, expected)
        month = result.row("month")
        assert month.tally("card").reviews >= 20 and month.tally("question").reviews >= 20  # real figures
        assert ("young" in text) == wide


async def test_settings_lines_match_the_coach(built_history, tmp_path):
    app = _app(built_history, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot, "SettingsScreen")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        retained = str(app.screen.query_one("#true_retention").render())
        workload = str(app.screen.query_one("#workload").render())
        coach = app.coach
        assert retained == summary(coach.true_retention())
        assert retained.startswith("Desired 92 % · true retention last 30 days: cards ")
        assert workload == "\n".join(describe(coach.workload()))
        assert "reviews a day to the exam on 21 Dec; at 0.87: " in workload
        assert "The day before it, when everything comes back: about " in workload
        lines = "\n".join(await _show(pilot, "#desired_retention"))
        assert "true retention last 30 days" in lines and "At 0.92: about " in lines
