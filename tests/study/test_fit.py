"""Personal FSRS parameters (issue 16, item 2): the fit is a pure, deterministic function of the
merged review log, adopted only when it predicts the most recent 20 % of reviews better than the
parameters in use, never panics on same-day items, reports a Rust panic instead of raising it, and
gives parameters py-fsrs loads unchanged. The isolated run (a child process) gives the same result."""

from __future__ import annotations

import random
import stat
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store import ProgressStore, ReviewRecord
from quizapp.study import fit
from quizapp.study.fit import FitResult, Outcome, fit_parameters, outcomes, rounded
from quizapp.study.fit_worker import fit_store, run_fit_isolated
from tests.study.fit_learner import START, TRUE_PARAMETERS, Event, records, simulate, write_history


@pytest.fixture(scope="module")
def learner() -> list[Event]:
    return simulate()  # 300 items over 120 days: 3,700 reviews


def fit_of(events: list[Event], current=None, order: list[int] | None = None) -> FitResult:  # noqa: ANN001
    reviews, answers = records(events, order)
    return fit_parameters(reviews, current, 4, answers=answers, tz=UTC)


def review(n: int, item: str, at: datetime, rating: int = 3) -> ReviewRecord:
    return ReviewRecord(n, item, "card", rating, at.isoformat(), "review", None)


def test_a_fit_to_a_forgetful_learner_is_adopted_and_beats_the_defaults(learner):
    result = fit_of(learner)
    assert result.adopted and not result.failed, result.reason
    assert result.reviews == len(learner) > 3000
    assert result.train + result.test == result.used and result.test == round(result.used * 0.2)
    assert result.log_loss < result.default_log_loss == result.current_log_loss
    assert "better than the defaults" in result.reason
    # It learned the learner: first memories much weaker than FSRS's defaults, as in the true model.
    assert result.parameters[2] < DEFAULT_PARAMETERS[2] / 2 and TRUE_PARAMETERS[2] < DEFAULT_PARAMETERS[2] / 2
    assert result.parameters[20] > DEFAULT_PARAMETERS[20]  # forgetting is steeper than the defaults'


def test_the_parameters_load_into_py_fsrs_unchanged(learner):
    parameters = fit_of(learner).parameters
    assert len(parameters) == 21 and all(isinstance(p, float) for p in parameters)
    assert Scheduler(parameters=parameters).parameters == parameters
    assert fit.scheduler_problem(parameters) is None


def test_rounding_brings_an_f32_clamp_back_inside_py_fsrs_bounds():
    clamped = list(DEFAULT_PARAMETERS)
    clamped[9] = 0.800000011920929  # fsrs-rs's upper clamp 0.8 as an f32: py-fsrs refuses it
    with pytest.raises(ValueError, match="out of bounds"):
        Scheduler(parameters=clamped)
    assert rounded(clamped)[9] == 0.8
    assert fit.scheduler_problem(rounded(clamped)) is None


def test_the_same_history_in_any_insertion_order_gives_the_same_fit(learner):
    first = fit_of(learner)
    order = list(range(len(learner)))
    random.Random(16).shuffle(order)  # another machine: other row ids, other insertion order
    assert fit_of(learner, order=order) == first
    assert fit_of(learner) == first  # and again on this one


def test_the_fit_sees_the_earlier_80_percent_and_is_judged_on_the_latest_20(learner, monkeypatch):
    seen = {}

    def spy(train, test, current, counts):  # noqa: ANN001, ANN202
        seen.update(train=train, test=test)
        return FitResult(adopted=False, reason="spied")

    monkeypatch.setattr(fit, "_fit", spy)
    fit_of(learner)
    train, test = seen["train"], seen["test"]
    assert len(test) == round((len(train) + len(test)) * 0.2)
    assert max(o.key for o in train) <= min(o.key for o in test)  # by the time of the labelled review
    assert [o.key for o in train] == sorted(o.key for o in train)


def test_the_fit_is_adopted_only_when_it_beats_the_parameters_in_use(learner):
    adopted = fit_of(learner)
    again = fit_of(learner, current=adopted.parameters)
    assert not again.adopted and again.parameters is None
    assert "gives your current parameters again" in again.reason

    with pytest.MonkeyPatch.context() as mp:  # a fit that predicts worse than the parameters in use
        mp.setattr(fit, "compute", lambda items: list(DEFAULT_PARAMETERS))
        declined = fit_of(learner, current=adopted.parameters)
    assert not declined.adopted and not declined.failed
    assert declined.log_loss > declined.current_log_loss
    assert "no better than your current parameters" in declined.reason and "stay in use" in declined.reason


def test_too_little_history_is_not_adopted_and_says_why():
    result = fit_of(simulate(items=30, days=20))
    assert not result.adopted and not result.failed and result.parameters is None
    assert result.reason.startswith("not enough history yet")
    assert "a fit needs 400 over 50 items" in result.reason
    assert fit_of([]).reason.startswith("not enough history yet: 0 reviews")


def test_delta_t_counts_study_days_from_the_cut_off_in_local_time():
    berlin = ZoneInfo("Europe/Berlin")
    evening = datetime(2026, 11, 23, 22, 0, tzinfo=berlin)
    log = [
        review(1, "a", evening),
        review(2, "a", evening + timedelta(hours=5)),  # 03:00: still the evening's study day
        review(3, "a", evening + timedelta(hours=7)),  # 05:00: the next study day
        review(4, "a", evening + timedelta(days=3, hours=7), rating=1),
    ]
    found, guessed = outcomes(reversed(log), 4, berlin)
    assert guessed == 0
    assert [o.reviews for o in found] == [((3, 0), (3, 0), (3, 1)), ((3, 0), (3, 0), (3, 1), (1, 3))]
    midnight, _ = outcomes(log, 0, berlin)  # with the day starting at midnight, 03:00 is a new day
    assert [o.reviews[-1] for o in midnight] == [(3, 1), (1, 3)]


def test_guesses_stay_in_the_history_but_are_never_outcomes(learner):
    reviews, answers = records(learner)
    with_guesses, guessed = outcomes(reviews, 4, UTC, fit.guess_keys(reviews, answers))
    without, none = outcomes(reviews, 4, UTC)
    assert guessed > 50 and none == 0
    assert len(without) - len(with_guesses) == guessed
    guess_keys = fit.guess_keys(reviews, answers)
    assert not any(o.key in guess_keys for o in with_guesses)
    # A later outcome of a guessed question still carries the guess in its history: questions are
    # rated Good or Again, so a Hard (2) there is the guess.
    guessed_items = {key[1] for key in guess_keys}
    assert any(2 in {r for r, _ in o.reviews[:-1]} for o in with_guesses if o.key[1] in guessed_items)
    assert fit_of(learner).guesses == guessed


def test_items_reviewed_on_one_study_day_only_do_not_panic(learner, capfd):
    same_day = [
        Event(f"fc-same-{n}", "card", START + timedelta(days=n % 90, minutes=m), 3)
        for n in range(200)
        for m in (0, 1, 10)
    ]
    result = fit_of(sorted(learner + same_day, key=lambda e: e.at))
    assert not result.failed and result.adopted, result.reason
    assert result.reviews == len(learner) + len(same_day) and result.used == fit_of(learner).used
    assert capfd.readouterr().err == ""
    assert fit._items([Outcome(("t", "x", 3, "m", "card"), ((3, 0), (3, 0)))]) == []  # belt and braces


class FakePanic(BaseException):
    """Like pyo3's PanicException: a BaseException, not an Exception."""


def test_a_panic_in_fsrs_rs_is_reported_not_raised(learner, monkeypatch):
    def panic(items):  # noqa: ANN001, ANN202
        raise FakePanic("Invalid FSRS item: at least one review with delta_t > 0 is required")

    monkeypatch.setattr(fit, "compute", panic)
    result = fit_of(learner)
    assert result.failed and not result.adopted and result.parameters is None
    assert result.reason.startswith("the fit failed inside fsrs-rs (FakePanic: Invalid FSRS item")
    assert result.reason.endswith("the parameters in use are kept")


def test_a_real_rust_panic_is_caught(learner, monkeypatch, capfd):
    from fsrs_rs_python import FSRSItem, FSRSReview

    monkeypatch.setattr(fit, "_items", lambda found: [FSRSItem([FSRSReview(3, 0), FSRSReview(3, 0)])] * 100)
    result = fit_of(learner)
    assert result.failed and "PanicException" in result.reason
    capfd.readouterr()  # the Rust hook's backtrace went to fd 2: why the app runs the fit in a child


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_interrupts_still_stop_a_fit(learner, monkeypatch, interrupt):
    def stop(items):  # noqa: ANN001, ANN202
        raise interrupt()

    monkeypatch.setattr(fit, "compute", stop)
    with pytest.raises(interrupt):
        fit_of(learner)


def test_parameters_py_fsrs_refuses_are_not_adopted(learner, monkeypatch):
    out_of_bounds = list(DEFAULT_PARAMETERS)
    out_of_bounds[4] = 11.0  # initial difficulty above py-fsrs's 10
    monkeypatch.setattr(fit, "compute", lambda items: out_of_bounds)
    result = fit_of(learner)
    assert not result.adopted and result.parameters is None and not result.failed
    assert result.reason.startswith("the fitted parameters do not load into py-fsrs (")
    assert "parameters[4] = 11.0 is out of bounds" in result.reason


def test_a_result_survives_json(learner):
    result = fit_of(learner)
    assert FitResult.from_dict(result.to_dict()) == result
    assert FitResult.from_dict({**result.to_dict(), "from_a_newer_quizapp": 1}) == result


# ---------------------------------------------------------------- isolation


@pytest.fixture(scope="module")
def history_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fit-history")
    with ProgressStore.open(folder) as store:
        write_history(store, simulate())
    return folder


@pytest.mark.slow
def test_the_isolated_run_gives_the_in_process_result(history_dir, capfd):
    with ProgressStore.open(history_dir) as store:
        here = fit_store(store)
    assert here.adopted and here.reviews > 3000
    assert run_fit_isolated(history_dir) == here
    assert capfd.readouterr().err == ""


@pytest.mark.slow
def test_a_fit_that_takes_too_long_is_stopped_and_said_so(history_dir):
    result = run_fit_isolated(history_dir, timeout=0.001)
    assert result.failed and not result.adopted
    assert result.reason == "the fit took longer than 0.001 s and was stopped; the parameters in use are kept"


@pytest.mark.slow
def test_a_store_the_worker_cannot_use_is_said_in_words(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = run_fit_isolated(not_a_folder)
    assert result.failed and result.reason.startswith(f"cannot use {not_a_folder}")
    assert "Traceback" not in result.reason


@pytest.mark.slow
def test_a_child_that_panics_reaches_neither_the_terminal_nor_the_caller(
    history_dir, tmp_path, monkeypatch, capfd
):
    panicking = tmp_path / "python"
    panicking.write_text(
        "#!/bin/sh\n"
        f'exec "{sys.executable}" -c "import fsrs_rs_python as f; '
        'f.FSRS(f.DEFAULT_PARAMETERS).compute_parameters([f.FSRSItem([f.FSRSReview(3, 0)])] * 9)"\n'
    )
    panicking.chmod(panicking.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(sys, "executable", str(panicking))
    result = run_fit_isolated(history_dir)
    assert result.failed
    assert result.reason == "the fit stopped unexpectedly (exit status 1); the parameters in use are kept"
    assert capfd.readouterr().err == ""


@pytest.mark.slow
def test_a_quizapp_folder_in_the_working_directory_does_not_replace_the_worker(
    history_dir, tmp_path, monkeypatch
):
    """`python -m` would put the working directory first on sys.path: a learner who starts quizapp
    from a folder holding another `quizapp` (an old checkout) must still get this one's fit."""
    shadow = tmp_path / "quizapp"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise SystemExit('the wrong quizapp')\n")
    monkeypatch.chdir(tmp_path)
    result = run_fit_isolated(history_dir)
    assert not result.failed and result.adopted, result.reason
