"""Sessions store the time each answer, rating and exam item took; results and stats show it."""

from __future__ import annotations

import pytest
from fsrs import Rating

from quizapp.store.records import MAX_DURATION_MS
from quizapp.study import ExamResult, ManualClock
from quizapp.study.grading import correct_response
from quizapp.study.stopwatch import Stopwatch
from quizapp.study.timing import EXAM_PACE_S, Timing, clean_duration, median_seconds
from tests.factory import START, make_bank, make_coach

BANK = make_bank(per_task=3, cards_per_task=2, case_studies=0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def coach(tmp_path, clock):
    coach = make_coach(tmp_path, BANK, clock)
    yield coach
    coach.store.close()


# ----------------------------------------------------------------------------- practice


def test_a_practice_answer_stores_the_time_from_shown_to_submitted(coach, clock):
    session = coach.practice()
    watch = Stopwatch(clock)
    watch.start()  # the question is shown
    clock.advance(seconds=20)
    watch.pause()  # the learner switched windows
    clock.advance(minutes=10)
    watch.resume()
    clock.advance(seconds=21.5)
    feedback = session.answer(correct_response(session.current()), duration_ms=watch.stop())
    assert feedback.duration_ms == 41_500
    assert coach.store.answer(feedback.answer_id).duration_ms == 41_500
    review = coach.store.reviews(feedback.question.id)[0]
    assert review.duration_ms is None  # the question's time is on its answer only


def test_an_answer_without_a_time_is_unknown_and_undo_takes_the_time_with_it(coach):
    session = coach.practice()
    feedback = session.answer(None)
    assert feedback.duration_ms is None and coach.store.answer(feedback.answer_id).duration_ms is None
    timed = session.answer(None, duration_ms=3000)
    session.undo()
    assert coach.store.answer(timed.answer_id) is None
    assert [a.duration_ms for a in coach.store.answers()] == [None]


def test_marking_a_guess_keeps_the_time(coach):
    session = coach.practice()
    feedback = session.answer(correct_response(session.current()), duration_ms=9_000)
    assert session.mark_guess().duration_ms == 9_000
    assert coach.store.answer(feedback.answer_id).duration_ms == 9_000


def test_cram_answers_keep_their_time_without_scheduling(coach):
    session = coach.practice(cram=True)
    feedback = session.answer(None, duration_ms=12_345)
    assert coach.store.answer(feedback.answer_id).duration_ms == 12_345
    assert coach.store.reviews() == []


def test_the_practice_summary_gives_the_median_time(coach):
    session = coach.practice()
    for ms in (10_000, 30_000, 20_000, None):
        session.answer(None, duration_ms=ms)
    assert session.summary().median_s == 20.0
    assert coach.practice().summary().median_s is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [(None, None), (0, 0), (1234.6, 1235), (-5, None), (float("nan"), None), (float("inf"), None)]
    + [(MAX_DURATION_MS + 1, MAX_DURATION_MS)],
)
def test_a_time_is_stored_whole_and_within_a_day_and_a_wrong_one_as_unknown(coach, given, stored):
    assert clean_duration(given) == stored
    session = coach.practice()
    feedback = session.answer(None, duration_ms=given)
    assert coach.store.answer(feedback.answer_id).duration_ms == stored


def test_a_time_that_is_not_a_number_is_a_programming_error(coach):
    with pytest.raises(TypeError):
        clean_duration(True)
    with pytest.raises(TypeError):
        clean_duration("41")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- flashcards


def test_a_flashcard_rating_stores_its_time_and_undo_removes_it(coach, clock):
    session = coach.flashcards()
    watch = Stopwatch(clock)
    watch.start()  # the front is shown
    clock.advance(seconds=4)  # read, flip, read the back
    rated = session.rate(Rating.Good, duration_ms=watch.stop())
    assert rated.duration_ms == 4000
    assert coach.store.reviews(rated.card.id)[0].duration_ms == 4000
    second = session.rate(Rating.Again)
    assert coach.store.reviews(second.card.id)[0].duration_ms is None
    session.undo()
    assert coach.store.reviews(second.card.id) == []


def test_cram_flashcards_write_no_time(coach):
    session = coach.flashcards(cram=True)
    rated = session.rate(Rating.Good, duration_ms=5000)
    assert rated.duration_ms == 5000 and coach.store.reviews() == []


# ----------------------------------------------------------------------------- exams


def test_exam_item_time_adds_up_across_visits_and_is_saved_with_the_next_step(coach):
    exam = coach.start_exam(4, seed=1)
    exam.spend(0, 30_000)
    exam.next()  # leaving item 0: its time goes with the move
    assert coach.store.exam(exam.id).durations == {0: 30_000}
    exam.spend(1, 5_000)
    exam.previous()
    exam.spend(0, 12_000)  # back to item 0: a second visit adds to it
    exam.answer(correct_response(exam.question()))
    assert exam.durations == {0: 42_000, 1: 5_000}
    assert coach.store.exam(exam.id).durations == {0: 42_000, 1: 5_000}


def test_a_checkpoint_saves_the_time_on_the_item_being_read(coach):
    exam = coach.start_exam(3, seed=1)
    exam.spend(0, 61_000)
    assert coach.store.exam(exam.id).durations == {}  # held until the next step...
    exam.checkpoint()  # ...which the app's timer makes every few seconds
    assert coach.store.exam(exam.id).durations == {0: 61_000}


def test_exam_item_time_survives_a_crash_and_goes_on_after_resume(tmp_path, clock):
    from quizapp.store import ProgressStore
    from quizapp.study import Coach

    first = make_coach(tmp_path, BANK, clock)
    exam = first.start_exam(3, seed=2)
    exam.spend(0, 20_000)
    exam.next()
    exam.spend(1, 7_000)
    exam.checkpoint()
    exam.spend(1, 99_000)  # the crash comes before any step saves this
    first.store.close()

    again = Coach(BANK, ProgressStore.open(tmp_path / "data"), clock, fuzz=False)
    resumed = again.resume_exam()
    assert resumed.durations == {0: 20_000, 1: 7_000}
    resumed.spend(1, 3_000)
    resumed.answer(correct_response(resumed.question()))
    result = resumed.submit()
    assert [row["ms"] for row in result.questions] == [20_000, 10_000, None]
    assert again.store.exam(resumed.id).durations == {0: 20_000, 1: 10_000}
    answered = [a for a in again.store.answers() if a.mode == "exam"]
    assert [(a.question_id, a.duration_ms) for a in answered] == [(resumed.question_ids[1], 10_000)]
    again.store.close()


def test_submit_saves_the_last_items_time_and_a_late_spend_changes_nothing(coach):
    exam = coach.start_exam(2, seed=3)
    exam.answer(correct_response(exam.question()))
    exam.spend(0, 15_000)  # the screen hands over the time as it submits
    result = exam.submit()
    assert result.questions[0]["ms"] == 15_000
    assert coach.store.exam(exam.id).durations == {0: 15_000}
    assert [a.duration_ms for a in coach.store.answers()] == [15_000]
    exam.spend(0, 1_000)  # a blur after the results are up
    assert exam.durations == {0: 15_000} and coach.store.exam(exam.id).durations == {0: 15_000}


def test_spend_ignores_unknown_and_wrong_times_and_caps_an_item_at_a_day(coach):
    exam = coach.start_exam(2, seed=3)
    exam.spend(0, None)
    exam.spend(0, -40)
    assert exam.durations == {}
    exam.spend(1, MAX_DURATION_MS)
    exam.spend(1, 5)
    assert exam.durations == {1: MAX_DURATION_MS}
    with pytest.raises(IndexError):
        exam.spend(2, 1000)


def test_results_give_time_per_question_and_pace_against_83_seconds(coach):
    exam = coach.start_exam(5, seed=4)
    for position, seconds in enumerate([40, 60, 100, 200]):  # item 4 never reached
        exam.spend(position, seconds * 1000)
    result = exam.submit()
    timing = result.timing
    assert EXAM_PACE_S == 83
    assert timing == Timing(timed=4, median_s=80.0, mean_s=100.0, over_pace=2, pace_s=83)
    assert timing.spare_s == -17.0 and timing.on_pace is False
    data = result.as_dict()
    assert data["timing"] == {
        "timed": 4,
        "median_s": 80.0,
        "mean_s": 100.0,
        "pace_s": 83,
        "over_pace": 2,
        "spare_s": -17.0,
    }
    assert ExamResult.from_dict(data) == result  # the stored figures are derived, not read back
    stored = coach.store.exam(exam.id).result
    assert stored["timing"]["median_s"] == 80.0 and [q["ms"] for q in stored["questions"]][4] is None


def test_a_result_stored_before_times_reads_back_with_no_figures():
    old = {
        "total": 2,
        "correct": 1,
        "scaled": 550,
        "passing": 700,
        "passed": False,
        "time_used_s": 100.0,
        "time_limit_s": 166,
        "timed_out": False,
        "by_domain": {},
        "by_task": {},
        "questions": [{"id": "a", "correct": True, "flagged": False, "answered": True}],
    }
    result = ExamResult.from_dict(old)
    assert result.timing == Timing(timed=0, median_s=None, mean_s=None, over_pace=0)
    assert result.timing.spare_s is None and result.timing.on_pace is None


def test_median_is_over_measured_times_only():
    assert median_seconds([None, 1000, 3000, None]) == 2.0
    assert median_seconds([None]) is None


# ----------------------------------------------------------------------------- stats


def test_stats_give_the_median_seconds_per_question_over_timed_answers(coach):
    assert coach.stats()["seconds_per_question"] is None  # nothing answered: no figure, not 0
    session = coach.practice()
    session.answer(None)  # not measured: left out
    assert coach.stats()["seconds_per_question"] is None
    for ms in (30_000, 50_000, 41_500):
        session.answer(None, duration_ms=ms)
    exam = coach.start_exam(2, seed=9)
    exam.answer(correct_response(exam.question()))
    exam.spend(0, 90_000)
    exam.submit()
    assert coach.stats()["seconds_per_question"] == 45.8  # median of 30, 41.5, 50, 90
