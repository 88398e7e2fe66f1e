"""Home's refresh reads no table of the history whole (issue 18): counted, not timed.

Every SQL statement the refresh runs on the app's connection is caught (`set_trace_callback`) and
its plan asked (`EXPLAIN QUERY PLAN`): none may `SCAN` a table that grows with the history (the logs,
the exams, the per-item tables and their summaries), or read every row of one kind of a log, except
a walk from one end of an index that a `LIMIT` stops. And the refresh runs as many statements after
a year of study as after three days, so nothing is read once per exam or per answer.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from quizapp.tui.app import QuizApp, make_app
from tests.history import NOW, copy_history, real_bank, real_catalog, study_days
from tests.tui.helpers import ready, redraws

LOGS = "review|answer|exam|exam_answer|set_aside|answer_recent|review_outcome"
"""Tables that grow with every day of study."""
GROWING = f"{LOGS}|item_state|missed|question_tally"
"""And those that grow with the share of the bank seen: read by a range of an index, never whole."""


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory, built_history: Path) -> dict[str, Path]:
    """A year of study (conftest's, built once per session) and three days of it."""
    year = built_history
    days = tmp_path_factory.mktemp("home-reads-days") / "data"
    clock = ManualClock(NOW - timedelta(days=3))
    with ProgressStore.open(days) as store:
        coach = Coach(real_bank(), store, clock, fuzz=False)
        coach.update_settings(exam_date="2026-12-21")
        study_days(coach, clock, days=3, answers=6, ratings=5)
        exam = coach.start_exam(4, seed=3)
        exam.answer(correct_response(exam.question(0)), position=0)
        exam.submit()
    return {"year": year, "days": days}


def plan_problems(conn: sqlite3.Connection, statements: list[str]) -> list[str]:
    """The statements whose plan reads a growing table whole, with that plan."""
    problems = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        for step in plan:
            whole = re.search(rf"\bSCAN ({GROWING})\b", step) or re.search(  # or every row of a kind
                rf"\bSEARCH ({LOGS}) USING .*\((kind|status)=\?\)$", step
            )
            # one end of an index, then stop; LIMIT as a word (exam columns include `time_limit_s`)
            stopped = re.search(r"\bLIMIT\b", sql, re.IGNORECASE) and "INDEX" in step
            if whole and not stopped:
                problems.append(f"{' '.join(sql.split())} -> {step}")
    return problems


def history_app(data: Path, tmp_path: Path) -> QuizApp:
    """The app on a copy of the history in `data`, at the histories' clock, with the bundled bank."""
    return make_app(
        data_dir=copy_history(data, tmp_path / "data"),
        cache_dir=tmp_path / "cache",
        clock=ManualClock(NOW),
        catalog=real_catalog(),
        fuzz=False,
    )


@asynccontextmanager
async def loaded(app: QuizApp) -> AsyncIterator[Pilot]:
    """The app running at 80x24 with its store, bank and start-up workers done."""
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


@contextmanager
def traced(conn: sqlite3.Connection) -> Iterator[list[str]]:
    """Every statement run on `conn` meanwhile."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        conn.set_trace_callback(None)


async def _refresh_statements(data: Path, tmp_path: Path) -> tuple[list[str], list[str]]:
    app = history_app(data, tmp_path)
    async with loaded(app):
        app.coach.update_settings(exam_date="2026-12-28")  # something written, as a mode writes
        with traced(app.store._conn) as statements:
            app._refresh_home()  # what returning from a mode does
        return statements, plan_problems(app.store._conn, statements)


async def test_home_refresh_reads_no_table_whole(histories, tmp_path):
    year, year_problems = await _refresh_statements(histories["year"], tmp_path / "year")
    assert any("FROM item_state" in s for s in year)  # the refresh was caught
    assert year_problems == []
    days, _ = await _refresh_statements(histories["days"], tmp_path / "days")
    assert len(year) == len(days), "\n".join(year)  # not one read per exam, answer or review


async def test_a_refresh_with_nothing_written_since_reads_only_the_change_mark(histories, tmp_path):
    """Home is brought up to date under a mode's summary and refreshed again on the way back, and
    after every dialog: when nothing was written and nothing fell due meanwhile, it asks the store
    one question (has anything changed?) and reads no figure again."""
    app = history_app(histories["year"], tmp_path)
    async with loaded(app):
        with traced(app.store._conn) as statements:
            app._refresh_home()
        assert statements == ["PRAGMA data_version"]
        app.coach.update_settings(exam_date="2026-12-28")
        with traced(app.store._conn) as statements:
            app._refresh_home()
        assert any("FROM item_state" in s for s in statements)  # a write: read again


def test_the_check_sees_a_whole_table_read(tmp_path):
    """The plan check itself: the reads Home made before issue 18 are caught."""
    with ProgressStore.open(tmp_path) as store:
        conn = store._conn
        old = [
            "SELECT count(*) FROM review WHERE kind = 'question'",
            "SELECT count(*), coalesce(max(id), 0), total(correct), total(guess) FROM answer",
            "SELECT id FROM exam ORDER BY started_at, id",
        ]
        assert len(plan_problems(conn, old)) == 3
        assert plan_problems(conn, ["SELECT result_json FROM exam ORDER BY started_at DESC LIMIT 1"]) == []


async def test_a_refresh_that_finds_home_as_it_was_redraws_nothing(histories, tmp_path):
    app = make_app(
        data_dir=copy_history(histories["days"], tmp_path / "data"),
        cache_dir=tmp_path / "cache",
        clock=ManualClock(NOW),
        catalog=real_catalog(),
        fuzz=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        redrawn = redraws(home, "summary", "bank", "menu")
        app._refresh_home()
        await pilot.pause()
        assert redrawn == []  # nothing changed since the last refresh: nothing redrawn
        app.coach.update_settings(exam_date="2026-12-28")  # a week later: the summary changes
        app._refresh_home()
        await pilot.pause()
        assert set(redrawn) == {"summary"}  # and then the pass chance for that day: the menu is as it was


async def test_the_dashboard_leaves_the_pass_chance_to_a_worker(histories, tmp_path, monkeypatch):
    """Opening the dashboard never works the pass chance out on the event loop (on a Coach that has
    not read the review log yet, that reads every question review)."""
    import threading

    from quizapp.study.coach import Coach as CoachClass

    asked_on: list[bool] = []
    original = CoachClass.pass_chance

    def recorded(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked_on.append(threading.current_thread() is threading.main_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CoachClass, "pass_chance", recorded)
    app = make_app(
        data_dir=copy_history(histories["days"], tmp_path / "data"),
        cache_dir=tmp_path / "cache",
        clock=ManualClock(NOW),
        catalog=real_catalog(),
        fuzz=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        app.coach._pass_cache.clear()  # as if Home's worker had not finished (nor kept its result)
        app.coach.store._conn.execute("DELETE FROM housekeeping WHERE key = 'pass_chance'")
        asked_on.clear()
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert asked_on == [False]  # once, in the worker
        assert "Pass chance" in str(app.screen.query_one("#readiness").render())
