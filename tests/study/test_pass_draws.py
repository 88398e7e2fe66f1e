"""A prediction after practice on questions answered before draws no learners again (issue 18).

The drawn learners (each task's knowledge and the deviates of the recall correction) depend on the
seed and the first tries alone; practice on a question answered before changes its FSRS state and
the recall evidence, not its first try. Counted: `Knowledge.draw` calls and posteriors built.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock, passchance, passmodel
from quizapp.study.grading import correct_response
from quizapp.study.knowledge import Knowledge
from quizapp.study.practice import PracticeSession
from tests.history import NOW, real_bank, study_days, wrong_response


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Calls of `Knowledge.draw` (one per drawn learner) and `Knowledge.__init__` (one per posterior)."""
    calls = {"draw": 0, "posterior": 0}
    draw, init = Knowledge.draw, Knowledge.__init__

    def counted_draw(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls["draw"] += 1
        return draw(self, *args, **kwargs)

    def counted_init(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls["posterior"] += 1
        return init(self, *args, **kwargs)

    monkeypatch.setattr(Knowledge, "draw", counted_draw)
    monkeypatch.setattr(Knowledge, "__init__", counted_init)
    return calls


def _forget_draws(coach: Coach) -> None:
    """As a new process would start: nothing drawn, nothing predicted."""
    passchance._DRAWN = None
    passmodel._KNOWN = None
    coach._pass_cache.clear()


def _session(coach: Coach, qid: str) -> PracticeSession:
    """Practice on exactly this question, as the app records it."""
    return PracticeSession(coach.bank, coach.store, coach.days, coach.srs, [qid])


def test_practice_on_answered_questions_draws_no_learner_again(tmp_path, counted):
    bank = real_bank()
    clock = ManualClock(NOW - timedelta(days=4))
    with ProgressStore.open(tmp_path / "data") as store:
        coach = Coach(bank, store, clock, fuzz=False)
        study_days(coach, clock, days=4, answers=8, ratings=0)
        _forget_draws(coach)
        first = coach.pass_chance()
        assert counted["draw"] == passchance.REPLICATES  # the first prediction draws them all
        answered = [qid for qid in bank.questions if store.states("question").get(qid)]
        rng = random.Random(4)
        for i, qid in enumerate(answered[:3]):  # right, wrong, right: states and evidence move
            question = bank.questions[qid]
            response = correct_response(question) if i != 1 else wrong_response(question, rng)
            _session(coach, qid).answer(response, duration_ms=8000)
        counted.update(draw=0, posterior=0)
        again = coach.pass_chance()
        assert (counted["draw"], counted["posterior"]) == (0, 0)
        assert again != first  # a new prediction for the new states, not the old one
        _forget_draws(coach)
        assert coach.pass_chance() == again  # the same figures as drawing afresh


def test_a_new_first_try_draws_again(tmp_path, counted):
    bank = real_bank()
    clock = ManualClock(NOW - timedelta(days=2))
    with ProgressStore.open(tmp_path / "data") as store:
        coach = Coach(bank, store, clock, fuzz=False)
        study_days(coach, clock, days=2, answers=5, ratings=0)
        coach.pass_chance()
        unseen = next(q for q in bank.questions if not store.states("question").get(q))
        _session(coach, unseen).answer(correct_response(bank.questions[unseen]), duration_ms=8000)
        counted.update(draw=0, posterior=0)
        coach.pass_chance()
        assert counted["draw"] == passchance.REPLICATES  # a new first try: the knowledge moved
        assert counted["posterior"] == 1
