"""Opening the dashboard reads no table of the history whole (issue 18): counted, not timed.

As `test_home_reads` does for Home's refresh: every SQL statement the dashboard's open runs on the
app's connection is caught and its plan asked; none may scan a table that grows with the history
(`plan_problems`) but the per-question summaries mastery is worked out from (bounded by the bank,
`BY_THE_BANK`), and the open runs as many statements after a year of study (26 exams, thousands
of answers and reviews) as after three days (one exam), so nothing is read once per exam or answer.
The dashboard used to read every exam with its list of questions (`SCAN exam`) and JSON-decode them
all, then plot every one of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.tui.helpers import ready
from tests.tui.test_home_reads import histories, history_app, loaded, plan_problems, traced

__all__ = ["histories"]  # the module's fixture: a year of study and three days

BY_THE_BANK = re.compile(r"-> SCAN (question_tally|answer_recent)\b")
"""Per-question summaries, at most one row (`question_tally`) or `RECENT_PER_QUESTION` rows
(`answer_recent`, read from its newest end until mastery has what it needs) a question of the bank:
the mastery table's per-question reads, whose size stops at the bank's, however long the history."""


def test_the_check_sees_every_exam_read(tmp_path):
    """What the dashboard read before: every exam, whose columns say "limit" (`time_limit_s`): the
    check must not take that for a `LIMIT`."""
    from quizapp.store import ProgressStore

    with ProgressStore.open(tmp_path) as store:
        old = f"SELECT {store._EXAM_COLUMNS} FROM exam ORDER BY started_at, id"
        assert len(plan_problems(store._conn, [old])) == 1
        new = "SELECT started_at FROM exam ORDER BY started_at DESC, id DESC LIMIT 9"
        assert plan_problems(store._conn, [new]) == []


async def _open_statements(data: Path, tmp_path: Path) -> tuple[list[str], list[str], str]:
    """The statements opening the dashboard ran, those whose plan reads a growing table whole, and
    the Brier line it drew."""
    app = history_app(data, tmp_path)
    async with loaded(app) as pilot:
        with traced(app.store._conn) as statements:
            await pilot.press("d")
            await ready(pilot, "DashboardScreen")
            await app.workers.wait_for_complete()
            await pilot.pause()
        brier = str(app.screen.query_one("#brier").render())
        return statements, plan_problems(app.store._conn, statements), brier


async def test_dashboard_open_reads_no_table_whole(histories, tmp_path):
    year, year_problems, brier = await _open_statements(histories["year"], tmp_path / "year")
    assert any("FROM exam" in s for s in year)  # the open was caught, exams and all
    assert "Pass predictions" in brier and "Brier" in brier  # and it drew the year's exams
    assert [p for p in year_problems if not BY_THE_BANK.search(p)] == []
    days, _, _ = await _open_statements(histories["days"], tmp_path / "days")
    assert len(year) == len(days), "\n".join(year)  # not one read per exam, answer or review


async def test_the_mastery_table_is_built_once_on_opening(histories, tmp_path, monkeypatch):
    """Its rows are filled for the width it is laid out at, not for the screen's and again for its
    own at the first resize (the dashboard's scroll keeps a gutter for its scrollbar)."""
    from quizapp.tui.widgets.mastery_table import MasteryTable

    built: list[int] = []
    original = MasteryTable.clear

    def counted(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        built.append(self.size.width)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(MasteryTable, "clear", counted)
    app = history_app(histories["days"], tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        await pilot.pause()
        table = app.screen.query_one(MasteryTable)
        assert len(built) == 1 and table.row_count > 0
        assert table.layout_shown is not None and sum(table.layout_shown.widths) <= table.size.width
