"""Snapshots of the key screens (SVG under tests/tui/__snapshots__; update with --snapshot-update)."""

from __future__ import annotations

import pytest

from quizapp.study import Scope
from quizapp.tui.screens.exam import NavigatorDialog
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.widgets.question import Choices
from tests.tui.helpers import build, hide_charts, keys_for_right_answer, keys_for_wrong_answer, ready

SIZE = (80, 24)


def test_home(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)

    assert snap_compare(build(tmp_path), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("kind", ["single", "multi", "ordering", "matching"])
@pytest.mark.parametrize("stage", ["question", "right", "wrong"])
def test_question_types(snap_compare, tmp_path, kind, stage):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        app.push_screen(PracticeScreen(app.coach.practice(Scope("type", kind)), "Practice"))
        await ready(pilot, "PracticeScreen")
        if stage != "question":
            choices = app.screen.query_one(Choices)
            keys = keys_for_right_answer(choices) if stage == "right" else keys_for_wrong_answer(choices)
            await pilot.press(*keys, "enter")
            await pilot.pause()

    assert snap_compare(build(tmp_path), terminal_size=SIZE, run_before=before)


def test_exam_navigator(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        from quizapp.tui.screens.exam import ExamScreen

        session = app.coach.start_exam("full", seed=4)
        for position in (0, 1, 2, 5, 9):
            session.go(position)
            session.answer(0 if session.question().type == "single" else None)
        session.toggle_flag(3)
        session.toggle_flag(9)
        session.go(6)
        app.push_screen(ExamScreen(session))
        await ready(pilot, "ExamScreen")
        app.push_screen(NavigatorDialog(session))
        await ready(pilot, "NavigatorDialog")

    assert snap_compare(build(tmp_path), terminal_size=SIZE, run_before=before)


def test_results(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        from quizapp.study.grading import correct_response
        from quizapp.tui.screens.results import ResultsScreen

        session = app.coach.start_exam("full", seed=8)
        for position in range(0, len(session), 2):
            session.answer(correct_response(session.question(position)), position=position)
        session.submit()
        app.push_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")

    assert snap_compare(build(tmp_path), terminal_size=SIZE, run_before=before)


def test_dashboard(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        session = app.coach.practice()
        for i in range(30):
            session.answer(None if i % 3 else 0)
        app.coach.start_exam(10, seed=2).submit()
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        await hide_charts(pilot)

    assert snap_compare(build(tmp_path), terminal_size=(100, 30), run_before=before)
