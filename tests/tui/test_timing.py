"""Issue 16 item 1 in the app: the screens time every answer and review (shown to submitted), leave
out time away (focus lost, suspended, a dialog over the item) and long silences, and show the times.

The clock is a ManualClock: moving it between showing and submitting is the time the learner took.
"""

from __future__ import annotations

from textual import events

from quizapp.study.grading import correct_response
from quizapp.study.stopwatch import IDLE_CAP_S
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.question import Choices, QuestionView
from tests.factory import make_coach
from tests.tui.helpers import build, keys_for_right_answer, open_flashcards, open_practice, ready
from tests.tui.test_flows import SIZE, screen_text


def status(app) -> str:  # noqa: ANN001
    """The status bar of a question screen, both halves."""
    bar = app.screen.query_one("#status")
    return " ".join(str(part.render()) for part in bar.query("Static"))


async def _answer_right(pilot) -> None:  # noqa: ANN001
    await pilot.press(*keys_for_right_answer(pilot.app.screen.query_one(Choices)))
    await pilot.press("enter")
    await pilot.pause()


def _last_answer(app):  # noqa: ANN001
    return list(app.coach.store.answers())[-1]


# ----------------------------------------------------------------------------- practice


async def test_a_practice_answer_stores_and_shows_the_time_it_took(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        app.clock.advance(seconds=41)
        await _answer_right(pilot)
        assert app.screen.feedback.duration_ms == 41_000
        assert _last_answer(app).duration_ms == 41_000
        assert "41 s" in status(app)


async def test_time_away_is_left_out_focus_suspend_and_a_dialog_over_the_question(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        app.clock.advance(seconds=10)
        app.post_message(events.AppBlur())  # the learner switched to another window
        await pilot.pause()
        app.clock.advance(minutes=3)
        app.post_message(events.AppFocus())
        await pilot.pause()
        app.clock.advance(seconds=5)
        app.app_suspend_signal.publish(app)  # ctrl+z
        app.clock.advance(minutes=2)
        app.app_resume_signal.publish(app)
        await pilot.pause()
        app.clock.advance(seconds=3)
        await pilot.press("question_mark")  # Help over the question
        await ready(pilot, "HelpScreen")
        app.clock.advance(minutes=1)
        await pilot.press("escape")
        await ready(pilot, "PracticeScreen")
        app.clock.advance(seconds=2)
        await _answer_right(pilot)
        assert _last_answer(app).duration_ms == 20_000


async def test_a_key_after_a_lost_focus_with_no_focus_report_counts_again(tmp_path):
    """Some terminals report losing focus but not regaining it; Textual takes a key as focus."""
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        app.post_message(events.AppBlur())
        await pilot.pause()
        app.clock.advance(minutes=2)
        keys = keys_for_right_answer(app.screen.query_one(Choices))
        await pilot.press(*keys)  # back, no AppFocus: the first key says so
        app.clock.advance(seconds=7)
        await pilot.press("enter")
        await pilot.pause()
        assert _last_answer(app).duration_ms == 7_000


async def test_a_long_silence_counts_as_the_idle_cap_and_a_key_restarts_it(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        app.clock.advance(minutes=20)  # lunch, the terminal still focused
        await _answer_right(pilot)
        assert _last_answer(app).duration_ms == IDLE_CAP_S * 1000
        await pilot.press("enter")  # the next question
        await pilot.pause()
        app.clock.advance(seconds=200)
        await pilot.press(*keys_for_right_answer(app.screen.query_one(Choices)))  # still here
        app.clock.advance(seconds=200)
        await pilot.press("enter")
        await pilot.pause()
        assert _last_answer(app).duration_ms == 400_000  # two stretches, each under the cap


async def test_feedback_is_not_timed_and_undo_times_the_question_again_from_its_return(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        app.clock.advance(seconds=30)
        await _answer_right(pilot)
        app.clock.advance(seconds=50)  # reading the feedback
        await pilot.press("u")  # the answer taken back, the question shown again
        await pilot.pause()
        assert not app.screen.query_one(QuestionView).choices.review
        app.clock.advance(seconds=7)
        await _answer_right(pilot)
        assert [a.duration_ms for a in app.coach.store.answers()] == [7_000]
        app.clock.advance(seconds=90)  # feedback again, then the next question
        await pilot.press("enter")
        await pilot.pause()
        app.clock.advance(seconds=5)
        await _answer_right(pilot)
        assert [a.duration_ms for a in app.coach.store.answers()] == [7_000, 5_000]
        await pilot.press("escape")  # the session's summary
        await pilot.pause()
        assert "Median time per question: 6 s" in screen_text(app)


# ----------------------------------------------------------------------------- flashcards


async def test_a_flashcard_review_stores_its_time_and_undo_times_it_again(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        card = app.screen.session.current()
        app.clock.advance(seconds=6)
        await pilot.press("space")
        await pilot.pause()
        app.clock.advance(seconds=3)
        await pilot.press("3")
        await pilot.pause()
        assert app.coach.store.reviews(card.id)[-1].duration_ms == 9_000
        app.clock.advance(seconds=40)  # the next card's front; then the rating is taken back
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.session.current() == card and app.coach.store.reviews(card.id) == []
        app.clock.advance(seconds=2)
        await pilot.press("1")  # Again: the card comes back later in the session
        await pilot.pause()
        assert app.coach.store.reviews(card.id)[-1].duration_ms == 2_000
        while app.screen.session.current() != card:  # rate the others until the card is back
            await pilot.press("space")
            await pilot.pause()
            await pilot.press("3")
            await pilot.pause()
        app.clock.advance(seconds=5)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert [r.duration_ms for r in app.coach.store.reviews(card.id)] == [2_000, 5_000]


# ----------------------------------------------------------------------------- exam


async def _start_exam(pilot, length: int = 4) -> None:  # noqa: ANN001
    pilot.app.coach.update_settings(exam_length=str(length))
    await pilot.press("e")
    await ready(pilot, "ConfirmDialog")
    await pilot.press("y")
    await ready(pilot, "ExamScreen")


async def test_an_exam_item_adds_up_its_visits_and_leaves_out_dialogs(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_exam(pilot)
        session = app.screen.session
        app.clock.advance(seconds=20)
        await _answer_right(pilot)  # Enter: answered and on to item 2
        assert session.position == 1
        app.clock.advance(seconds=5)
        await pilot.press("n")  # the navigator covers the question
        await ready(pilot, "NavigatorDialog")
        # 2 minutes, not more: the 4-question exam has 5:32 in all, and once the clock passes that
        # the exam submits itself at the next tick, which made this test flaky.
        app.clock.advance(minutes=2)
        await pilot.press("1", "enter")  # back to item 1
        await ready(pilot, "ExamScreen")
        assert session.position == 0
        app.clock.advance(seconds=13)
        for _ in range(10):  # the timer's checkpoint saves the time so far
            app.screen.tick()
        assert app.coach.store.exam(session.id).durations == {0: 33_000, 1: 5_000}
        app.clock.advance(seconds=2)
        await pilot.press("r")
        await ready(pilot, "ReviewDialog")
        app.clock.advance(minutes=1)
        await pilot.press("s")
        await ready(pilot, "ConfirmDialog")
        await pilot.press("y")
        await ready(pilot, "ResultsScreen")
        result = session.result
        assert [row["ms"] for row in result.questions] == [35_000, 5_000, None, None]
        exam_answer = next(a for a in app.coach.store.answers() if a.mode == "exam")
        assert exam_answer.duration_ms == 35_000
        assert app.coach.store.exam(session.id).result["timing"]["timed"] == 2


async def test_a_paused_exam_goes_on_timing_the_item_when_resumed(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_exam(pilot)
        session_id = app.screen.session.id
        app.clock.advance(seconds=12)
        await pilot.press("escape")  # pause the exam
        await ready(pilot, "ConfirmDialog")
        app.clock.advance(seconds=30)  # reading the question
        await pilot.press("y")
        await ready(pilot)
        assert app.coach.store.exam(session_id).durations == {0: 12_000}
        app.clock.advance(hours=3)  # away; the exam's clock stops too
        await pilot.press("r")  # resume
        await ready(pilot, "ExamScreen")
        app.clock.advance(seconds=8)
        await pilot.press("q")  # quit from the exam: it checkpoints
        await pilot.pause()
    assert make_coach(tmp_path, clock=app.clock).store.exam(session_id).durations == {0: 20_000}


async def test_results_show_the_time_per_question_and_the_pace(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.start_exam(4, seed=3)
        for position, seconds in enumerate((48, 100, 20, 92)):
            session.spend(position, seconds * 1000)
            session.answer(correct_response(session.question(position)), position=position)
        session.submit()
        app.push_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")
        text = screen_text(app)
        # median (48 + 92) / 2 = 70, mean 65: 18 s a question to spare at 83 s
        assert "Time per question: median 70 s, mean 65 s" in text, text
        assert "exam pace 83 s: 18 s to spare" in text
        assert "2 questions took longer than 83 s" in text
        await pilot.press("a")  # walk every question
        await pilot.pause()
        assert "took 48 s" in status(app)
        await pilot.press("right")
        await pilot.pause()
        assert "took 100 s" in status(app)


async def test_results_behind_the_pace_and_an_exam_without_times(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        slow = app.coach.start_exam(2, seed=3)
        slow.spend(0, 100_000)
        slow.spend(1, 100_000)
        slow.submit()
        app.push_screen(ResultsScreen.of(slow))
        await ready(pilot, "ResultsScreen")
        assert "exam pace 83 s: 17 s behind" in screen_text(app)
        await pilot.press("escape")
        await ready(pilot)
        untimed = app.coach.start_exam(2, seed=4)
        untimed.submit()
        app.push_screen(ResultsScreen.of(untimed))
        await ready(pilot, "ResultsScreen")
        text = screen_text(app)
        assert "Time per question was not measured" in text and "median" not in text
        await pilot.press("a")
        await pilot.pause()
        assert "took" not in status(app)
