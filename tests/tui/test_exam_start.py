"""Issue 15 item 2 in the UI: no exam starts or is submitted blank on one stray Enter.

`r` only resumes; the confirmations focus their safe answer; a blank exam asks first.
"""

from __future__ import annotations

from textual.widgets import Button

from quizapp.tui.widgets.question import Choices
from tests.tui.helpers import build, keys_for_right_answer, ready
from tests.tui.test_flows import SIZE, screen_text


async def test_r_without_an_exam_in_progress_says_so_and_starts_nothing(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        notes = [n.message for n in app._notifications]
        assert any("no exam in progress to resume" in m for m in notes), notes
        await pilot.press("enter")  # the menu's first line (Flashcards): no exam either way
        await pilot.pause()
        assert app.coach.store.exams() == [] and not app.coach.has_exam_in_progress()


async def test_start_exam_dialog_focuses_not_now_so_enter_starts_nothing(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await ready(pilot, "ConfirmDialog")
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")
        await ready(pilot)
        assert app.coach.store.exams() == []


async def _short_exam(pilot, length: int = 4) -> None:  # noqa: ANN001
    pilot.app.coach.update_settings(exam_length=str(length))
    await pilot.press("e")
    await ready(pilot, "ConfirmDialog")
    await pilot.press("y")
    await ready(pilot, "ExamScreen")


async def test_blank_exam_asks_first_with_cancel_focused(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _short_exam(pilot)
        await pilot.press("r")
        await ready(pilot, "ReviewDialog")
        await pilot.press("s")
        await ready(pilot, "ConfirmDialog")
        assert "You have answered nothing. Submit anyway?" in screen_text(app)
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")
        await ready(pilot, "ExamScreen")
        assert app.coach.has_exam_in_progress()
        await pilot.press("r")
        await ready(pilot, "ReviewDialog")
        await pilot.press("s")
        await ready(pilot, "ConfirmDialog")
        await pilot.press("y")
        await ready(pilot, "ResultsScreen")
        store = app.coach.store
        assert store.exams()[0].status == "submitted"
        assert store.answered_count() == 0 and store.missed_count() == 0
        await pilot.press("escape")
        await ready(pilot)
        assert "nothing answered" in screen_text(app)


async def test_partly_answered_exam_gets_the_usual_question(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _short_exam(pilot)
        await pilot.press(*keys_for_right_answer(app.screen.query_one(Choices)))
        await pilot.press("r")
        await ready(pilot, "ReviewDialog")
        await pilot.press("s")
        await ready(pilot, "ConfirmDialog")
        text = screen_text(app)
        assert "answered nothing" not in text and "3 question(s) are unanswered" in text
        await pilot.press("y")
        await ready(pilot, "ResultsScreen")
        assert app.coach.store.answered_count() == 1 and app.coach.store.missed_count() == 0
