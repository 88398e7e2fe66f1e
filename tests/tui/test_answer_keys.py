"""Issue 15, items 1, 4 and 7: keys on matching, multi and ordering items, in practice and in the exam."""

from __future__ import annotations

from textual import events

from quizapp.study import Scope
from quizapp.tui.screens.exam import ExamScreen
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.widgets.question import Choices, QuestionView
from tests.tui.helpers import build, keys_for_right_answer, ready

SIZE = (80, 24)


async def burst(pilot, *keys: str) -> None:  # noqa: ANN001
    """Send keys with no pause at all between them, as a terminal delivers a fast burst in one read.

    `pilot.press` waits for the app to go idle after every key, so it can never show a key that arrives
    while the previous one (or the screen change it caused) is still being handled.
    """
    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(3):
        await pilot.pause()


async def _exam_at(pilot, kind: str) -> ExamScreen:  # noqa: ANN001
    """A full exam opened on its first item of `kind` (so the others are there to move to)."""
    app = pilot.app
    session = app.coach.start_exam("full", seed=4)
    session.go(next(p for p in range(len(session)) if session.question(p).type == kind))
    app.push_screen(ExamScreen(session))
    await ready(pilot, "ExamScreen")
    return app.screen


async def _practice(pilot, kind: str) -> PracticeScreen:  # noqa: ANN001
    app = pilot.app
    app.push_screen(PracticeScreen(app.coach.practice(Scope("type", kind)), "Practice"))
    await ready(pilot, "PracticeScreen")
    return app.screen


# ---------------------------------------------------------------- item 1: matching


async def test_exam_matching_comes_back_on_the_first_blank_and_keeps_given_answers(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await _exam_at(pilot, "matching")
        session, position = screen.session, screen.session.position
        await pilot.press("1", "2")
        given = list(session.responses[position][:2])
        assert None not in given
        await pilot.press("right")
        await pilot.pause()
        await pilot.press("n")
        await ready(pilot, "NavigatorDialog")
        await pilot.press(*str(position + 1), "enter")
        await ready(pilot, "ExamScreen")
        choices = app.screen.query_one(Choices)
        assert session.position == position
        assert choices.cursor == 2, "the cursor is on the first prompt without an answer"
        await pilot.press("3")
        assert session.responses[position][:2] == given, "answers already given are kept"
        assert session.responses[position][2] == choices.responses[2]
        assert session.is_answered(position)


async def test_matching_cursor_skips_answered_prompts_and_a_change_is_shown(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _practice(pilot, "matching")
        choices = app.screen.query_one(Choices)
        await pilot.press("down", "1")  # prompt 2 first: the cursor then goes to the blank prompt 3
        assert choices.matched[1] == choices.responses[0] and choices.cursor == 2
        await pilot.press("2")  # prompt 3; the only blank left is prompt 1
        assert choices.cursor == 0
        await pilot.press("3", "down", "4")  # all answered: changing prompt 2 says so on screen
        assert choices.matched == [choices.responses[2], choices.responses[3], choices.responses[1]]
        text = choices.render_text().plain
        assert "Prompt 2 changed" in text and choices.responses[0] in text


# ---------------------------------------------------------------- item 4: fast keys on multi


async def test_fast_keys_on_a_multi_item_all_register_in_practice(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _practice(pilot, "multi")
        await burst(pilot, "a", "b")
        assert len(app.screen.query_one(Choices).selected) == 2
        await burst(pilot, "backspace", *keys_for_right_answer(app.screen.query_one(Choices)), "enter")
        assert app.screen.query_one(Choices).review
        first = app.screen.query_one(QuestionView).question.id
        await burst(pilot, "enter", "a", "b")  # next question and two letters in one burst
        view = app.screen.query_one(QuestionView)
        assert view.question.id != first and not view.choices.review
        assert len(view.choices.selected) == 2, "no key was lost while the next question was shown"


async def test_fast_keys_on_a_multi_item_all_register_in_the_exam(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await _exam_at(pilot, "multi")
        session, position = screen.session, screen.session.position
        await burst(pilot, "a", "b")
        assert len(session.responses[position]) == 2 and session.is_answered(position)
        after = next(p for p in range(position + 1, len(session)) if session.question(p).type == "multi")
        session.go(after - 1)
        await burst(pilot, "left", "right", "right", "a", "b")  # move on and answer in one burst
        assert session.position == after
        assert len(session.responses[after]) == 2 and session.is_answered(after)


# ---------------------------------------------------------------- item 7: untouched ordering


async def test_enter_on_an_untouched_ordering_item_submits_the_order_shown(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _practice(pilot, "ordering")
        choices = app.screen.query_one(Choices)
        shown = list(choices.order)
        assert "Enter" in choices.render_text().plain, "the hint names the key that accepts the order"
        before = app.coach.store.answered_count()
        await pilot.press("enter")
        await pilot.pause()
        assert app.coach.store.answered_count() == before + 1
        assert app.screen.feedback.response == shown and app.screen.query_one(Choices).review


async def test_exam_ordering_is_answered_by_enter_not_by_moving_past(tmp_path):
    """In the exam an untouched ordering item stays unanswered while the learner only moves past it
    (→, ←, navigator); Enter (or space) accepts the order on screen as the answer, as in practice."""
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await _exam_at(pilot, "ordering")
        session, position = screen.session, screen.session.position
        shown = list(app.screen.query_one(Choices).order)
        await pilot.press("right", "left")
        await pilot.pause()
        assert session.position == position and not session.is_answered(position)
        await pilot.press("enter")
        await pilot.pause()
        assert session.position == position + 1
        assert session.is_answered(position) and session.responses[position] == shown
