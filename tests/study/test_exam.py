"""Practice exams: split by weight, assembly rules, state, timing, scoring and resume."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.study import ExamPlan, assemble, score, split_by_weight
from quizapp.study.grading import correct_response, grade, is_complete, response_problem
from tests.factory import KINDS, make_bank, make_coach, make_question

WEIGHTS = [20, 24, 28, 14, 14]


@pytest.mark.parametrize(
    ("total", "expected"),
    [(65, [13, 16, 18, 9, 9]), (50, [10, 12, 14, 7, 7]), (20, [4, 5, 5, 3, 3]), (10, [2, 3, 3, 1, 1])],
)
def test_split_by_weight(total, expected):
    assert split_by_weight(total, WEIGHTS) == expected


@given(st.integers(1, 400))
def test_split_always_sums_and_stays_within_one_of_exact(total):
    counts = split_by_weight(total, WEIGHTS)
    assert sum(counts) == total
    assert all(abs(c - total * w / 100) < 1 for c, w in zip(counts, WEIGHTS, strict=True))


@pytest.mark.parametrize("length", [65, 50, 20])
def test_assembled_exam_matches_weights_and_rules(length):
    bank = make_bank(per_task=30)
    ids = assemble(bank, length, seed=7, mastery={})
    assert len(ids) == len(set(ids)) == length
    by_domain = Counter(bank.domain_of(bank.questions[q]) for q in ids)
    counts = [by_domain[d] for d in range(1, 6)]
    # A case study (3 questions) is filed under its case's task; it may shift one domain by its size.
    assert sum(abs(c - e) for c, e in zip(counts, split_by_weight(length, WEIGHTS), strict=True)) <= 2 * 3
    tasks = Counter(bank.questions[q].task for q in ids)
    if length >= 50:
        assert len(tasks) == 14, "spread across every task statement"


def test_case_study_questions_stay_together_and_in_order():
    bank = make_bank(per_task=2, case_studies=2)
    for seed in range(20):
        ids = assemble(bank, 40, seed=seed, mastery={})
        for case_id in bank.case_studies:
            positions = [ids.index(f"{case_id}-q{j}") for j in range(3) if f"{case_id}-q{j}" in ids]
            if positions:
                assert len(positions) == 3
                assert positions == list(range(positions[0], positions[0] + 3))


def test_assembly_is_reproducible_from_seed_and_prefers_unseen_then_weak():
    bank = make_bank(per_task=30)
    assert assemble(bank, 65, seed=1, mastery={}) == assemble(bank, 65, seed=1, mastery={})
    assert assemble(bank, 65, seed=1, mastery={}) != assemble(bank, 65, seed=2, mastery={})
    seen = {qid: 0.9 for qid in list(bank.questions)[::2]}
    ids = assemble(bank, 65, seed=1, mastery=seen)
    assert all(q not in seen for q in ids if q not in bank.case_of), "unseen questions come first"
    everything_seen = {qid: (0.1 if qid.endswith("7") else 0.99) for qid in bank.questions}
    weak_first = assemble(bank, 20, seed=1, mastery=everything_seen)
    assert sum(everything_seen[q] == 0.1 for q in weak_first) >= 15


def test_exam_plans():
    bank = make_bank()
    assert ExamPlan.for_kind(bank, "full") == ExamPlan(65, 90 * 60)
    assert ExamPlan.for_kind(bank, "scored") == ExamPlan(50, 90 * 60)
    assert ExamPlan.for_kind(bank, 10) == ExamPlan(10, 830)


responses = st.one_of(
    st.none(),
    st.integers(-1, 6),
    st.lists(st.integers(-1, 6), max_size=6),
    st.lists(st.sampled_from(["r0", "r1", "r2", "rX", None]), min_size=3, max_size=3),
)


@settings(max_examples=300)
@given(st.sampled_from(KINDS), responses)
def test_scoring_never_gives_partial_credit(kind, response):
    question = make_question("q", "1.1", kind)
    key = correct_response(question)
    if kind == "multi" and isinstance(response, list) and all(isinstance(i, int) for i in response):
        exact = sorted(set(response)) == key  # choosing the same option twice is still one choice
    else:
        exact = response == key
    assert grade(question, response) == exact


def test_score_scaled_pass_and_breakdown():
    bank = make_bank(per_task=5, case_studies=0)
    ids = list(bank.questions)[:10]
    responses = {i: correct_response(bank.questions[q]) for i, q in enumerate(ids[:7])}
    result = score(bank, ids, responses, {1}, 1200.0, 5400, False)
    assert (result.correct, result.total) == (7, 10)
    assert result.scaled == 730 and result.passed
    assert result.by_domain["1"] == {"correct": 7, "total": 10}
    assert result.questions[1]["flagged"] and not result.questions[8]["answered"]
    assert score(bank, ids, {}, set(), 0, 5400, False).scaled == 100


def test_exam_session_state_submit_and_missed_queue(tmp_path):
    coach = make_coach(tmp_path)
    exam = coach.start_exam(10, seed=5)
    assert len(exam) == 10 and exam.remaining() == 830
    exam.answer(None)
    exam.answer(correct_response(exam.question()))
    exam.go(4)
    exam.answer(correct_response(exam.question()))
    exam.answer(correct_response(exam.question(4)) if exam.question(4).type == "ordering" else None)
    exam.toggle_flag(2)
    exam.toggle_flag(3)
    exam.toggle_flag(3)
    assert exam.flagged_positions() == [2]
    assert exam.is_answered(0) and 0 not in exam.unanswered() and 1 in exam.unanswered()
    coach.clock.advance(minutes=4)
    assert exam.remaining() == 830 - 240
    with pytest.raises(RuntimeError):
        coach.start_exam(10)
    result = exam.submit()
    assert result.total == 10 and not result.timed_out and result.time_used_s == 240
    # Only answered items are recorded (issue 15): blanks are wrong in the score, never missed.
    assert coach.store.missed_count() == result.answered - result.correct
    assert coach.store.answered_count() == result.answered < 10
    with pytest.raises(RuntimeError):
        exam.answer(0)
    record = coach.store.exams()[0]
    assert record.status == "submitted" and record.result["scaled"] == result.scaled


def test_time_out_submits_by_itself(tmp_path):
    coach = make_coach(tmp_path)
    exam = coach.start_exam(3, seed=1)
    exam.answer(correct_response(exam.question()))
    coach.clock.advance(minutes=10)
    assert exam.time_is_up() and exam.remaining() == 0
    result = exam.submit()
    assert result.timed_out and result.time_used_s == 3 * 83 and result.correct >= 1


def test_exam_whose_time_ran_out_before_a_crash_is_submitted_on_resume(tmp_path):
    coach = make_coach(tmp_path)
    exam = coach.start_exam(3, seed=1)
    exam.answer(correct_response(exam.question()))
    coach.clock.advance(minutes=10)
    exam.checkpoint()  # the app's timer saved the time used, then it crashed
    resumed = make_coach(tmp_path, coach.bank, coach.clock).resume_exam()
    assert resumed.result is not None and resumed.result.timed_out
    assert coach.store.exams()[0].status == "timed_out"
    assert not coach.has_exam_in_progress()


def test_resume_restores_answers_flags_position_and_time(tmp_path):
    coach = make_coach(tmp_path)
    exam = coach.start_exam(8, seed=2)
    coach.clock.advance(seconds=50)
    exam.answer(correct_response(exam.question()))
    exam.next()
    exam.toggle_flag()
    coach.clock.advance(seconds=20)
    exam.next()
    coach.clock.advance(hours=3)  # the app was closed for three hours: the timer does not run
    resumed = make_coach(tmp_path, coach.bank, coach.clock).resume_exam()
    assert resumed.id == exam.id and resumed.position == 2
    assert sorted(resumed.responses) == [0] and resumed.flagged == {1}
    assert resumed.remaining() == 8 * 83 - 70


@settings(max_examples=300)
@given(st.sampled_from(KINDS), responses)
def test_a_stored_response_that_fits_can_be_graded_and_one_that_does_not_is_named(kind, response):
    # An exam resumed from the store or an import only ever meets responses response_problem passes.
    question = make_question("q", "1.1", kind)
    problem = response_problem(question, response)
    if problem is None:
        assert isinstance(grade(question, response), bool)
        assert isinstance(is_complete(question, response), bool)
    else:
        assert question.type in problem or "offer" in problem


def test_out_of_range_and_repeated_indices_do_not_fit():
    multi = make_question("m", "1.1", "multi")
    ordering = make_question("o", "1.1", "ordering")
    matching = make_question("x", "1.1", "matching")
    assert response_problem(multi, [0, 99]) is not None
    assert response_problem(multi, [0, 1]) is None
    assert response_problem(ordering, [0, 0, 1]) is not None
    assert response_problem(ordering, [True, 1, 2]) is not None
    assert response_problem(ordering, list(range(len(ordering.items)))) is None
    assert response_problem(matching, ["not offered", None, None]) is not None
    assert response_problem(matching, [matching.pairs[0].response, None, None]) is None
