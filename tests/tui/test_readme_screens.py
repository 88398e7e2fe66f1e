"""The README's screenshots: the real bundled bank (a fixed subset), checked like any snapshot.

If you edit one of the items these screens show, run `pytest tests/tui/test_readme_screens.py
--snapshot-update` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from fsrs import Rating

from quizapp.content import Bank, Catalog, bundled_root, load_catalog
from quizapp.study import ManualClock, Scope
from quizapp.study.grading import correct_response
from quizapp.tui.app import make_app
from quizapp.tui.screens.flashcards import FlashcardScreen
from quizapp.tui.screens.practice import PracticeScreen
from tests.factory import START
from tests.tui.helpers import hide_charts, keys_for_wrong_answer, ready

SIZE = (100, 30)


def _subset() -> Bank:
    full = load_catalog([bundled_root()]).primary
    bank = Bank(full.blueprint)
    for task in full.blueprint.task_ids():
        ids = sorted(
            q for q, question in full.questions.items() if question.task == task and q not in full.case_of
        )
        for qid in ids[:6]:
            bank.questions[qid] = full.questions[qid]
        cards = sorted(c for c, card in full.flashcards.items() if card.task == task)
        for cid in cards[:4]:
            bank.flashcards[cid] = full.flashcards[cid]
            bank.deck_of[cid] = full.deck_of[cid]
    return bank


def _app(tmp_path):
    bank = _subset()
    return make_app(
        data_dir=tmp_path / "data",
        clock=ManualClock(START),
        fuzz=False,
        catalog=Catalog(banks={bank.exam: bank}),
    )


def _history(app) -> None:
    coach = app.coach
    session = coach.practice(Scope("all"))
    for i in range(40):
        q = session.current()
        session.answer(correct_response(q) if i % 4 else None)
    cards = coach.flashcards()
    for rating in (Rating.Good, Rating.Easy, Rating.Again, Rating.Good):
        cards.rate(rating)
    exam = coach.start_exam(30, seed=3)
    for position in range(len(exam)):
        if position % 5:
            exam.answer(correct_response(exam.question(position)), position=position)
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
