"""`quizapp stats --json` lists mastery by task in task-statement order (issue 15, item 15), whatever
order the bank files hold the questions in."""

from __future__ import annotations

from quizapp.content import Bank
from quizapp.study.coach import _task_order
from tests.factory import make_bank, make_coach


def test_mastery_by_task_is_in_task_statement_order(tmp_path):
    bank = make_bank(per_task=2, case_studies=0)
    shuffled = Bank(bank.blueprint)
    for qid in reversed(list(bank.questions)):  # as if the last task's file were read first
        shuffled.questions[qid] = bank.questions[qid]
    shuffled.flashcards, shuffled.deck_of = bank.flashcards, bank.deck_of
    coach = make_coach(tmp_path, shuffled)
    keys = list(coach.stats()["mastery"]["by_task"])
    assert keys == bank.blueprint.task_ids()
    assert keys[0] == "1.1" and keys[-1] == "5.2"


def test_task_order_is_numeric_not_text():
    assert sorted(["1.10", "2.1", "1.2", "1.1"], key=_task_order) == ["1.1", "1.2", "1.10", "2.1"]
