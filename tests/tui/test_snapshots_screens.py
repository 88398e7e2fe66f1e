"""Snapshots at 80x24 of every screen and dialog that `test_snapshots.py` does not already cover
(issue 15: "Snapshot tests at 80x24 for each screen, updated deliberately"). The layout rules
themselves (nothing that matters clipped) are asserted in `test_layout_80x24.py`; these catch any
change in what is drawn. Update with `--snapshot-update` and read the SVGs before committing."""

from __future__ import annotations

from quizapp.content.problems import Problem
from quizapp.study import Scope
from quizapp.tui.dialogs.confirm import ConfirmDialog
from quizapp.tui.dialogs.message import MessageDialog
from quizapp.tui.dialogs.problems import ProblemsDialog
from quizapp.tui.screens.exam import ExamScreen, ReviewDialog
from quizapp.tui.screens.practice import PracticeScreen
from tests.tui.helpers import build, hide_charts, open_flashcards, ready

SIZE = (80, 24)


def _snap(snap_compare, tmp_path, before) -> bool:  # noqa: ANN001
    return snap_compare(build(tmp_path), terminal_size=SIZE, run_before=before)


def test_flashcard_front(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await open_flashcards(pilot)

    assert _snap(snap_compare, tmp_path, before)


def test_flashcard_back(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await open_flashcards(pilot, reveal=True)

    assert _snap(snap_compare, tmp_path, before)


def test_scope_picker(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await pilot.press("p")
        await ready(pilot, "PickDialog")

    assert _snap(snap_compare, tmp_path, before)


def test_help_over_practice(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        app.push_screen(PracticeScreen(app.coach.practice(Scope("all")), "Practice"))
        await ready(pilot, "PracticeScreen")
        await pilot.press("question_mark")
        await ready(pilot, "HelpScreen")

    assert _snap(snap_compare, tmp_path, before)


def _exam(pilot):  # noqa: ANN001, ANN202
    app = pilot.app
    session = app.coach.start_exam("full", seed=4)
    for position in (0, 2, 3):
        session.go(position)
        session.answer(0 if session.question().type == "single" else None)
    session.toggle_flag(1)
    session.go(1)
    return session


def test_exam_question(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        pilot.app.push_screen(ExamScreen(_exam(pilot)))
        await ready(pilot, "ExamScreen")

    assert _snap(snap_compare, tmp_path, before)


def test_exam_review_before_submit(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        session = _exam(pilot)
        pilot.app.push_screen(ExamScreen(session))
        await ready(pilot, "ExamScreen")
        pilot.app.push_screen(ReviewDialog(session))
        await ready(pilot, "ReviewDialog")

    assert _snap(snap_compare, tmp_path, before)


def test_settings(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot, "SettingsScreen")

    assert _snap(snap_compare, tmp_path, before)


def test_dashboard_80x24(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        session = pilot.app.coach.practice()
        for i in range(30):
            session.answer(None if i % 3 else 0)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        await hide_charts(pilot)

    assert _snap(snap_compare, tmp_path, before)


def test_confirm_dialog(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        pilot.app.push_screen(
            ConfirmDialog("Submit the exam with 62 questions unanswered? They count as wrong.", yes="Submit")
        )
        await ready(pilot, "ConfirmDialog")

    assert _snap(snap_compare, tmp_path, before)


def test_message_dialog(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        pilot.app.push_screen(
            MessageDialog(
                "Not saved",
                "Your last answer was not saved: the disk is full. Everything before it is kept.",
                [("Quit", "quit", "q"), ("Retry", "retry", "r")],
            )
        )
        await ready(pilot, "MessageDialog")

    assert _snap(snap_compare, tmp_path, before)


def test_problems_dialog(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        pilot.app.push_screen(
            ProblemsDialog([Problem("banks/mine.yaml", 12, 5, "options: at least 2 options are needed")])
        )
        await ready(pilot, "ProblemsDialog")

    assert _snap(snap_compare, tmp_path, before)
