"""Readiness, settings and the stats object that `quizapp stats` and the dashboard share."""

from __future__ import annotations

import pytest

from quizapp.study import Scope
from quizapp.study.grading import correct_response
from tests.factory import make_coach


def _practise(coach, scope, right: bool, n: int) -> None:
    session = coach.practice(scope)
    for _ in range(min(n, len(session))):
        session.answer(correct_response(session.current()) if right else None)


def test_readiness_starts_unsure_and_follows_performance(tmp_path):
    coach = make_coach(tmp_path)
    fresh = coach.readiness()
    assert fresh.confidence == "low" and fresh.coverage == 0 and fresh.tasks_seen == 0
    assert fresh.scaled is None  # no estimate without evidence (issue 15, item 8), not 550
    good = make_coach(tmp_path / "good")
    for task in good.bank.blueprint.task_ids():
        _practise(good, Scope("task", task), True, 12)
    bad = make_coach(tmp_path / "bad")
    for task in bad.bank.blueprint.task_ids():
        _practise(bad, Scope("task", task), False, 12)
    r_good, r_bad = good.readiness(), bad.readiness()
    assert r_good.scaled > 700 > r_bad.scaled
    assert r_good.confidence == "high" and r_good.tasks_seen == 14
    assert "Predicted" in r_good.statement() and "high confidence" in r_good.statement()


def test_readiness_is_for_the_exam_day_when_set(tmp_path):
    coach = make_coach(tmp_path)
    _practise(coach, Scope("domain", "1"), True, 20)
    today = coach.readiness()
    coach.update_settings(exam_date="2027-03-01")
    later = coach.readiness()
    assert later.target == "2027-03-01" and today.target == "2026-11-23"
    assert later.by_domain["1"] < today.by_domain["1"], "memory fades by the exam day"


def test_settings_validate_and_persist(tmp_path):
    coach = make_coach(tmp_path)
    assert coach.settings.new_cards_per_day == 20 and coach.settings.desired_retention == 0.90
    coach.update_settings(new_cards_per_day=35, exam_length="30", theme="nord")
    again = make_coach(tmp_path, coach.bank, coach.clock)
    assert (again.settings.new_cards_per_day, again.settings.exam_length, again.settings.theme) == (
        35,
        "30",
        "nord",
    )
    for bad in (
        {"desired_retention": 1.5},
        {"new_cards_per_day": -1},
        {"exam_date": "soon"},
        {"exam_length": "forever"},
    ):
        with pytest.raises(ValueError):
            coach.update_settings(**bad)


def test_stats_shape_and_exam_history_with_prediction(tmp_path):
    coach = make_coach(tmp_path)
    _practise(coach, Scope("task", "1.1"), False, 4)
    coach.flashcards().rate(3)
    exam = coach.start_exam(5, seed=9)
    exam.submit()
    stats = coach.stats()
    # The blank exam is history only (issue 15): its 5 unanswered items are not answers.
    assert isinstance(stats["answered"], int) and stats["answered"] == 4
    assert isinstance(stats["reviewed"], int) and stats["reviewed"] == 1
    assert isinstance(stats["exams"], list) and len(stats["exams"]) == 1
    entry = stats["exams"][0]
    # 4 answers in one task statement: the pass model still predicts (far below the pass mark; a
    # 5-item exam passes on 4 lucky guesses, so not quite zero).
    assert entry["scaled"] == 100 and entry["predicted"] < 700 and 0 <= entry["predicted_pass"] < 0.05
    assert isinstance(stats["readiness"], dict) and "statement" in stats["readiness"]
    assert stats["accuracy"]["by_task"]["1.1"]["answered"] >= 4
    assert stats["missed"] >= 4 and stats["due"]["flashcards"] >= 0
    assert len(stats["due_forecast"]) == 14
