"""Issue 18: `quizapp stats` (`Coach.stats()`, a fresh Coach each run) shows the pass chance kept for
exactly what is stored (by Home or by the last `stats`) instead of simulating the exam again, and
keeps the one it had to work out for the next run. Counted (simulations run), not timed."""

from __future__ import annotations

import quizapp.study.predictions as predictions
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START, make_bank
from tests.study.test_pass_wiring import _study


def _bank():  # noqa: ANN202
    return make_bank(per_task=4, cards_per_task=1, case_studies=0)


def _counting(monkeypatch) -> list[object]:  # noqa: ANN001
    worked: list[object] = []
    compute = predictions.compute_pass_chance

    def counted(inputs):  # noqa: ANN001, ANN202
        worked.append(inputs)
        return compute(inputs)

    monkeypatch.setattr(predictions, "compute_pass_chance", counted)
    return worked


def test_stats_runs_the_simulation_once_for_what_is_stored(tmp_path, monkeypatch):
    clock = ManualClock(START)
    with ProgressStore.open(tmp_path) as store:
        _study(Coach(_bank(), store, clock, fuzz=False), days=3)
    worked = _counting(monkeypatch)
    shown = []
    for _ in range(3):  # three runs of `quizapp stats`, nothing studied in between
        with ProgressStore.open(tmp_path) as store:
            shown.append(Coach(_bank(), store, clock, fuzz=False).stats()["pass_probability"])
    assert len(worked) == 1  # before: once a run
    assert shown[0] == shown[1] == shown[2] and shown[0]["p"] is not None

    with ProgressStore.open(tmp_path) as store:  # an answer since: worked out again, and right
        coach = Coach(_bank(), store, clock, fuzz=False)
        session = coach.practice()
        question = session.current()
        assert question is not None
        session.answer(correct_response(question))
        fresh = Coach(_bank(), store, clock, fuzz=False).stats()["pass_probability"]
        assert len(worked) == 2
        assert fresh == Coach(_bank(), store, clock, fuzz=False).pass_chance().as_dict()
