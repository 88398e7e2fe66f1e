"""Issue 15, item 8: no readiness number without evidence behind it, mastery from a few answers
shrunk toward guessing, and only weak task statements called weak."""

from __future__ import annotations

from quizapp.study import Scope
from quizapp.study.grading import correct_response
from quizapp.study.readiness import MIN_GROUP_SEEN, MIN_SEEN, pass_share, weak_tasks
from tests.factory import make_coach


def _practise(coach, scope, n: int, right: bool = True) -> None:  # noqa: ANN001
    session = coach.practice(scope)
    for _ in range(min(n, len(session))):
        session.answer(correct_response(session.current()) if right else None)


def test_nothing_answered_gives_no_estimate_but_what_to_do(tmp_path):
    coach = make_coach(tmp_path)
    fresh = coach.readiness()
    assert fresh.scaled is None and fresh.likely_pass is None and not fresh.enough
    assert "Not enough data" in fresh.statement() and "550" not in fresh.statement()
    assert "short exam" in fresh.reason
    assert fresh.short() == "not enough data yet: answer 20 more questions in 7 more tasks (p)"
    ready = coach.stats()["readiness"]
    assert ready["scaled"] is None and ready["likely_pass"] is None
    assert ready["reason"] and ready["statement"] == ready["reason"]
    assert set(ready) >= {"passing", "confidence", "coverage", "tasks_seen", "tasks_total", "target"}


def test_many_answers_in_few_tasks_are_not_enough(tmp_path):
    coach = make_coach(tmp_path)
    _practise(coach, Scope("task", "1.1"), 12)
    _practise(coach, Scope("task", "1.2"), 15)
    ready = coach.readiness()
    assert ready.seen >= MIN_SEEN and ready.tasks_seen == 2 and ready.scaled is None
    assert "from 2 of 14 task statements (at least 7 needed)" in ready.reason
    assert ready.short() == "not enough data yet: answer 5 more tasks (p)"


def test_an_estimate_once_answers_span_half_the_task_statements(tmp_path):
    coach = make_coach(tmp_path)
    for task in coach.bank.blueprint.task_ids()[:7]:
        _practise(coach, Scope("task", task), 3)
    ready = coach.readiness()
    assert ready.enough and ready.scaled is not None and ready.reason is None
    assert coach.stats()["readiness"]["reason"] is None


def test_an_exam_started_without_evidence_records_the_pass_models_prediction(tmp_path):
    # Issue 16: the prediction stored with an exam is the pass model's, which is defined on any
    # evidence (its interval says how little there is): near zero, and a score below the pass mark.
    coach = make_coach(tmp_path)
    coach.start_exam(5, seed=3).submit()
    entry = coach.stats()["exams"][0]
    assert entry["predicted"] is not None and entry["predicted"] < 700
    assert entry["predicted_pass"] is not None and entry["predicted_pass"] < 0.01


def test_one_right_answer_is_not_confident_mastery(tmp_path):
    coach = make_coach(tmp_path)
    _practise(coach, Scope("task", "1.1"), 1)
    _, by_task = coach.mastery()
    one = by_task["1.1"]
    assert one.seen == 1 and one.score is not None and one.score > 0.8
    assert 0.25 < one.estimate < 0.5, "shrunk toward the guessing rate, not 82 %"
    entry = coach.stats()["mastery"]["by_task"]["1.1"]
    assert entry["mastery"] is None and entry["estimate"] < 0.5  # "few" until MIN_GROUP_SEEN
    _practise(coach, Scope("task", "1.1"), MIN_GROUP_SEEN + 8)
    entry = coach.stats()["mastery"]["by_task"]["1.1"]
    assert entry["mastery"] is not None and 0.6 < entry["mastery"] < 1.0


def test_weak_tasks_are_only_those_below_the_pass_level():
    share = pass_share(700, (100, 1000))
    assert abs(share - 2 / 3) < 1e-9
    perfect = {"1.1": {"correct": 3, "total": 3}, "1.2": {"correct": 2, "total": 2}}
    assert weak_tasks(perfect, share) == []
    mixed = {
        "1.1": {"correct": 3, "total": 3},
        "1.2": {"correct": 1, "total": 3},
        "2.1": {"correct": 0, "total": 2},
        "2.2": {"correct": 0, "total": 0},
    }
    assert [t for t, _ in weak_tasks(mixed, share)] == ["2.1", "1.2"]
