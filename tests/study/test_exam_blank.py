"""Issue 15 item 2: an unanswered exam item is wrong in that exam's score, never an answer.

A blank item may never have been read, so it must not reach the answer table, stats, the
missed queue, spaced repetition or readiness; a wholly blank exam stays in exam history only.
"""

from __future__ import annotations

from quizapp.study.exam import ExamResult
from quizapp.study.grading import correct_response
from tests.factory import make_coach


def test_blank_exam_is_history_only(tmp_path):
    coach = make_coach(tmp_path)
    before = coach.readiness()
    exam = coach.start_exam(6, seed=3)
    result = exam.submit()
    assert result.total == 6 and result.correct == 0 and not result.passed
    store = coach.store
    assert store.answered_count() == 0
    assert store.missed_count() == 0
    assert store.states("question") == {}
    assert coach.readiness() == before
    assert result.answered == 0 and result.nothing_answered
    record = store.exams()[0]
    assert record.status == "submitted" and record.result["total"] == 6
    assert ExamResult.from_dict(record.result).nothing_answered


def test_unanswered_items_count_wrong_in_the_score_only(tmp_path):
    coach = make_coach(tmp_path)
    exam = coach.start_exam(6, seed=3)
    answered = exam.question_ids[0]
    exam.answer(correct_response(exam.question(0)), 0)
    result = exam.submit()
    assert result.correct == 1
    assert result.scaled < result.passing  # 1 of 6: the blanks still count as wrong here
    store = coach.store
    assert store.answered_count() == 1
    assert [a.question_id for a in store.answers()] == [answered]
    assert set(store.states("question")) == {answered}
    assert store.missed_count() == 0
    assert result.answered == 1 and not result.nothing_answered


def test_session_knows_when_nothing_is_answered(tmp_path):
    exam = make_coach(tmp_path).start_exam(4, seed=1)
    assert exam.nothing_answered()
    exam.answer(correct_response(exam.question(2)), 2)
    assert not exam.nothing_answered()


def test_answered_wrong_exam_item_is_still_missed(tmp_path):
    coach = make_coach(tmp_path)
    exam = coach.start_exam(10, seed=2)
    position = next(p for p in range(len(exam)) if exam.question(p).type == "single")
    exam.answer((correct_response(exam.question(position)) + 1) % 4, position)
    result = exam.submit()
    assert coach.store.answered_count() == 1 and coach.store.missed_count() == 1
    assert result.answered == 1 and result.correct == 0
