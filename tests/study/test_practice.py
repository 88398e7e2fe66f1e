"""Practice sessions: scopes, order, feedback, guess, undo, missed review, and cram."""

from __future__ import annotations

import pytest
from fsrs import State

from quizapp.study import Scope
from quizapp.study.grading import correct_response
from tests.factory import make_coach


@pytest.mark.parametrize(
    ("scope", "check"),
    [
        (Scope("domain", "4"), lambda bank, q: bank.domain_of(q) == 4),
        (Scope("task", "5.2"), lambda bank, q: q.task == "5.2"),
        (Scope("tag", "even"), lambda bank, q: "even" in q.tags),
        (Scope("type", "matching"), lambda bank, q: q.type == "matching"),
    ],
)
def test_scopes_filter(tmp_path, scope, check):
    coach = make_coach(tmp_path)
    session = coach.practice(scope)
    assert len(session) > 0
    assert all(check(coach.bank, coach.bank.questions[qid]) for qid in session.queue)


def test_unknown_scope_is_refused():
    with pytest.raises(ValueError):
        Scope("everything")
    with pytest.raises(ValueError):
        Scope("task")


def test_feedback_explains_every_option(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice(Scope("type", "single"))
    question = session.current()
    fb = session.answer(0)  # option 1 is the key in the factory
    assert not fb.correct and fb.right_answer == 1
    assert [o.why for o in fb.options] == [o.why for o in question.options]
    assert [o.chosen for o in fb.options] == [True, False, False, False]
    assert fb.explanation == question.explanation and fb.refs == question.refs


def test_answers_are_scheduled_good_hard_again(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice(Scope("type", "single"))
    right, guessed, wrong = session.queue[:3]
    session.answer(1)
    session.answer(1)
    session.mark_guess()
    session.answer(3)
    ratings = {r.item_id: r.rating for r in coach.store.reviews()}
    assert ratings == {right: 3, guessed: 2, wrong: 1}
    answers = {a.question_id: a for a in coach.store.answers()}
    assert answers[guessed].guess and not answers[right].guess
    assert coach.store.state(wrong).card["state"] == State.Learning


def test_undo_takes_the_answer_back(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice()
    question = session.current()
    session.answer(None)
    assert coach.store.missed_count() == 1
    assert session.undo().id == question.id
    assert session.current().id == question.id
    assert coach.store.answered_count() == 0 and coach.store.missed_count() == 0
    assert coach.store.state(question.id) is None


def test_order_is_due_then_weak_then_new(tmp_path):
    coach = make_coach(tmp_path)
    first = coach.practice(Scope("task", "1.1"))
    a, b, c = first.queue[:3]
    first.answer(None)  # a: wrong -> due again in minutes
    first.answer(correct_response(first.current()))  # b: right -> next learning step in 10 min
    coach.clock.advance(minutes=5)
    order = coach.practice(Scope("task", "1.1")).queue
    assert order[0] == a, "due first"
    assert order[1] == b, "then seen but not due (weakest first)"
    assert order[2] == c, "then new"
    assert coach.practice(Scope("due")).queue == [a]
    assert a not in coach.practice(Scope("new")).queue
    assert set(coach.practice(Scope("weak")).queue) == {a, b}


def test_review_missed_is_a_practice_session_over_the_queue(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice(Scope("task", "2.2"))
    missed = []
    for _ in range(3):
        missed.append(session.current().id)
        session.answer(None)
    review = coach.review_missed()
    assert sorted(review.queue) == sorted(missed)
    review.answer(correct_response(review.current()))
    assert coach.store.missed_count() == 3, "one right answer does not clear it"
    assert list(coach.store.answers())[-1].mode == "missed"


def test_case_study_questions_know_their_scenario(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice(Scope("task", "3.1"))
    case_question = coach.bank.questions["cs-0-q0"]
    assert session.scenario(case_question) == "A scenario."
    assert session.scenario(coach.bank.questions["q-3.1-000"]) is None


def test_cram_records_answers_without_scheduling(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice(Scope("task", "1.2"), cram=True)
    session.answer(None)
    assert coach.store.answered_count() == 1 and coach.store.states() == {}
    assert list(coach.store.answers())[0].mode == "cram"


def test_summary_counts_by_domain(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice(Scope("domain", "5"))
    session.answer(correct_response(session.current()))
    session.answer(None)
    summary = session.summary()
    assert (summary.answered, summary.correct, summary.by_domain) == (2, 1, {"5": [1, 2]})
