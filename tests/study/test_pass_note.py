"""Issue 18: the pass chance Home showed is kept for the next start (`study.pass_note`) and shown
then without being worked out again, only while everything it was worked out for still holds."""

from __future__ import annotations

import pytest

import quizapp.study.predictions as predictions
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START, make_bank
from tests.study.test_pass_wiring import _study

BANK = make_bank(per_task=4, cards_per_task=1, case_studies=0)


def _next_start(tmp_path, clock: ManualClock) -> Coach:  # noqa: ANN001
    """A new process: a new Coach on the same file and an equal bank (not the same object)."""
    return Coach(make_bank(per_task=4, cards_per_task=1, case_studies=0), ProgressStore.open(tmp_path), clock)


@pytest.fixture
def studied(tmp_path):  # noqa: ANN001, ANN201
    clock = ManualClock(START)
    coach = Coach(BANK, ProgressStore.open(tmp_path), clock, fuzz=False)
    _study(coach, days=3)
    shown = coach.pass_chance()
    coach.keep_for_next_start()
    coach.store.close()
    return clock, shown


def test_the_next_start_shows_the_kept_chance_without_working_it_out(tmp_path, studied, monkeypatch):
    clock, shown = studied
    worked: list[object] = []
    monkeypatch.setattr(predictions, "compute_pass_chance", lambda inputs: worked.append(inputs))
    coach = _next_start(tmp_path, clock)
    assert coach.known_pass_chance() == shown
    assert coach.pass_chance() == shown and worked == []  # the cached one: nothing computed
    coach.store.close()


def test_an_answer_since_or_a_new_day_makes_it_worked_out_again(tmp_path, studied):
    clock, _ = studied
    coach = _next_start(tmp_path, clock)
    session = coach.practice()
    question = session.current()
    assert question is not None
    session.answer(correct_response(question))
    assert coach.known_pass_chance() is None
    coach.pass_chance()
    coach.keep_for_next_start()
    assert coach.known_pass_chance() is not None
    coach.store.close()

    clock.advance(days=1)
    tomorrow = _next_start(tmp_path, clock)
    assert tomorrow.known_pass_chance() is None  # predicted for another day
    tomorrow.store.close()


def test_another_bank_does_not_take_it(tmp_path, studied):
    clock, _ = studied
    bigger = make_bank(per_task=5, cards_per_task=1, case_studies=0)
    other = Coach(bigger, ProgressStore.open(tmp_path), clock)
    assert other.known_pass_chance() is None
    other.store.close()


def test_a_damaged_note_is_only_a_missing_shortcut(tmp_path, studied):
    from quizapp.store.summaries import save_note
    from quizapp.study.pass_note import NOTE

    clock, _ = studied
    coach = _next_start(tmp_path, clock)
    save_note(coach.store, NOTE, '{"key": 3, "chance": [')
    assert coach.known_pass_chance() is None
    assert coach.pass_chance().p >= 0
    coach.store.close()
