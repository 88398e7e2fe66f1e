"""The README's screenshots at 80x24 from the whole bundled bank, checked like any snapshot.

If you edit one of the items these screens show, run `pytest tests/tui/test_readme_screens.py
--snapshot-update` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from fsrs import Rating

from quizapp.study import ManualClock, Scope
from quizapp.study.grading import correct_response
from quizapp.tui.app import make_app
from quizapp.tui.screens.flashcards import FlashcardScreen
from quizapp.tui.screens.practice import PracticeScreen
from tests.factory import START
from tests.history import real_catalog
from tests.tui.helpers import hide_charts, keys_for_wrong_answer, ready

SIZE = (80, 24)
"""The size every screen is made for (issue 15): the README shows what a learner at 80x24 sees."""


def _app(tmp_path):
    return make_app(data_dir=tmp_path / "data", clock=ManualClock(START), fuzz=False, catalog=real_catalog())


def _history(app) -> None:
    """A first week's worth: answers and reviews with the seconds they took, an exam, a date."""
    coach = app.coach
    clock = app.clock
    session = coach.practice(Scope("all"))
    for i in range(40):
        q = session.current()
        clock.advance(seconds=30 + 7 * (i % 9))
        session.answer(correct_response(q) if i % 4 else None, duration_ms=(30 + 7 * (i % 9)) * 1000)
    cards = coach.flashcards()
    for rating in (Rating.Good, Rating.Easy, Rating.Again, Rating.Good):
        clock.advance(seconds=9)
        cards.rate(rating, duration_ms=9000)
    exam = coach.start_exam(30, seed=3)
    for position in range(len(exam)):
        exam.spend(position, (55 + 9 * (position % 7)) * 1000)
        if position % 5:
            exam.answer(correct_response(exam.question(position)), position=position)
    clock.advance(minutes=35)
    exam.submit()
    coach.update_settings(exam_date="2026-12-20")


def test_readme_home(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        _history(pilot.app)
        pilot.app.screen.refresh_home()
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=before)


def test_readme_practice_feedback(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        app.push_screen(PracticeScreen(app.coach.practice(Scope("type", "single")), "Practice"))
        await ready(pilot, "PracticeScreen")
        from quizapp.tui.widgets.question import Choices

        app.clock.advance(seconds=47)  # reading the scenario and its options
        await pilot.press(*keys_for_wrong_answer(app.screen.query_one(Choices)), "enter")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=before)


def test_readme_flashcard(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        app.push_screen(FlashcardScreen(app.coach.flashcards(), "Flashcards"))
        await ready(pilot, "FlashcardScreen")
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=before)


def test_readme_exam(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        from quizapp.tui.screens.exam import ExamScreen

        session = app.coach.start_exam("full", seed=12)
        for position in (0, 1, 2, 4):
            session.answer(correct_response(session.question(position)), position=position)
        session.toggle_flag(2)
        session.go(5)
        app.clock.advance(minutes=11)
        app.push_screen(ExamScreen(session))
        await ready(pilot, "ExamScreen")

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=before)


def test_readme_results(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        from quizapp.tui.screens.results import ResultsScreen

        session = app.coach.start_exam("full", seed=5)
        for position in range(len(session)):
            session.spend(position, (38 + 11 * (position % 8)) * 1000)
            if position % 4:
                session.answer(correct_response(session.question(position)), position=position)
        app.clock.advance(minutes=52)
        session.submit()
        app.push_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=before)


def test_readme_dashboard(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        _history(pilot.app)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        await hide_charts(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=before)
