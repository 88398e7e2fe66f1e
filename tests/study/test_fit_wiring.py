"""The wiring: a fitted choice reaches the scheduler; a bad `fsrs` setting is refused by import,
found by the doctor, and reported (once) while studying; stats --json carries `fsrs`."""

from __future__ import annotations

from fsrs import Rating
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.study.fit import FitResult
from quizapp.study.fit_settings import KEY, record_fit
from quizapp.study.health import examine, repair
from quizapp.study.settings import read_settings, setting_problem
from tests.factory import make_coach

FITTED = tuple(round(p * 3, 4) if i < 4 else p for i, p in enumerate(DEFAULT_PARAMETERS))


def test_fitted_parameters_schedule_and_show_in_stats(tmp_path):
    coach = make_coach(tmp_path)
    now = coach.clock.now()
    before = coach.srs.preview(None, "fc-x", now)
    record_fit(
        coach.store,
        FitResult(
            adopted=True,
            reason="r",
            parameters=FITTED,
            reviews=500,
            log_loss=0.4,
            default_log_loss=0.5,
            test=100,
        ),
        now,
    )
    coach.forget_settings()
    assert coach.srs.scheduler().parameters == FITTED
    after = coach.srs.preview(None, "fc-x", now)
    assert after[Rating.Easy] > before[Rating.Easy]
    assert coach.stats()["fsrs"]["source"] == "fitted"


def test_a_bad_fsrs_setting_is_refused_found_and_reported(tmp_path):
    coach = make_coach(tmp_path)
    assert "must be an object" in setting_problem(KEY, "oops")
    coach.store.set_setting(KEY, "oops")
    problems = []
    read_settings(coach.store, problems.append)
    assert problems == []
    assert coach.srs.parameters is None
    assert coach.problems == [
        f"setting {KEY}: the FSRS parameters setting must be an object; the default FSRS parameters apply"
    ]
    findings = examine(coach)
    assert [(f.key, f.repair) for f in findings] == [(KEY, "set it aside; FSRS's default parameters apply")]
    repair(coach)
    assert KEY not in coach.store.settings()
