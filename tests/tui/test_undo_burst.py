"""Found walking issue 15 at 80x24: after `u`, a fast "2, Enter" answered the question shown, not the
feedback view on its way out (Enter looked the view up while both were in the DOM)."""

from __future__ import annotations

from quizapp.study import Scope
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.widgets.question import QuestionView
from tests.tui.helpers import build, keys_for_right_answer, keys_for_wrong_answer, ready
from tests.tui.test_answer_keys import burst

SIZE = (80, 24)


async def test_keys_right_after_undo_answer_the_question_shown(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(PracticeScreen(app.coach.practice(Scope("type", "single")), "Practice"))
        await ready(pilot, "PracticeScreen")
        screen = app.screen
        choices = screen.query_one(QuestionView).choices
        right, wrong = keys_for_right_answer(choices), keys_for_wrong_answer(choices)
        await pilot.press(*wrong, "enter")
        for _ in range(3):
            await pilot.pause()
        store = app.coach.store
        before = store.answered_count()
        await burst(pilot, "u", *right, "enter")
        assert screen.feedback is not None, "the burst's Enter submitted the question shown after undo"
        assert screen.feedback.correct, "and with the answer the burst gave"
        assert store.answered_count() == before
