"""Storing the FSRS parameters in use (issue 16, item 2): one `fsrs` setting through the store's
settings API, validated on read (a bad value: the defaults and a report), every run remembered so the
next automatic one waits for new reviews, and the defaults offered back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store import ProgressStore
from quizapp.study.fit import FitResult
from quizapp.study.fit_settings import (
    KEY,
    FsrsChoice,
    fsrs_choice,
    fsrs_setting_problem,
    read_fsrs,
    record_fit,
    refit_due,
    revert_to_defaults,
    review_count,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FITTED = tuple(round(p * 0.9, 4) if i < 4 else p for i, p in enumerate(DEFAULT_PARAMETERS))


def adopted(reviews: int = 3000) -> FitResult:
    return FitResult(
        adopted=True,
        reason="the fit predicts the most recent 400 reviews better than the defaults",
        parameters=FITTED,
        fitted=FITTED,
        reviews=reviews,
        used=2000,
        train=1600,
        test=400,
        items=300,
        log_loss=0.45,
        current_log_loss=0.5,
        default_log_loss=0.5,
    )


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "data") as opened:
        yield opened


def test_nothing_stored_means_the_defaults(store):
    problems: list[str] = []
    choice = read_fsrs(store, problems.append)
    assert choice == FsrsChoice() and choice.parameters is None and not choice.fitted
    assert problems == []
    assert choice.stats() == {
        "source": "default",
        "reviews": 0,
        "log_loss": None,
        "default_log_loss": None,
        "fitted_at": None,
    }


def test_an_adopted_fit_is_stored_and_read_back(store):
    choice = record_fit(store, adopted(), NOW)
    assert read_fsrs(store) == choice
    assert choice.fitted and choice.parameters == FITTED
    assert Scheduler(parameters=choice.parameters).parameters == FITTED
    assert choice.stats() == {
        "source": "fitted",
        "reviews": 3000,
        "log_loss": 0.45,
        "default_log_loss": 0.5,
        "fitted_at": "2026-11-23T09:00:00.000000+00:00",
    }
    assert choice.checked_reviews == 3000 and choice.held_out == 400
    assert store.settings()[KEY]["parameters"] == list(FITTED)
    assert choice.describe()[:2] == [
        "FSRS parameters: fitted to your 3000 reviews on 2026-11-23",
        "Log loss on the latest 400 reviews: fitted 0.450, defaults 0.500 (lower predicts better)",
    ]


def test_a_declined_or_failed_run_keeps_the_parameters_and_is_remembered(store):
    record_fit(store, adopted(), NOW)
    declined = FitResult(
        adopted=False,
        reason="the fit predicts ... no better",
        fitted=DEFAULT_PARAMETERS,
        reviews=3400,
        test=450,
        log_loss=0.47,
        current_log_loss=0.44,
        default_log_loss=0.5,
    )
    after = record_fit(store, declined, NOW)
    assert after.parameters == FITTED and after.fitted_at == "2026-11-23T09:00:00.000000+00:00"
    assert after.reviews == 3000 and after.checked_reviews == 3400
    assert (after.log_loss, after.fitted_log_loss, after.held_out) == (0.44, 0.47, 450)
    failed = record_fit(store, FitResult.failure("the fit took longer than 60 s", reviews=3600), NOW)
    assert failed.parameters == FITTED and failed.log_loss == 0.44
    assert failed.checked_reviews == 3600 and failed.reason == "the fit took longer than 60 s"


def test_the_defaults_are_offered_back_and_say_so(store):
    record_fit(store, adopted(), NOW)
    choice = revert_to_defaults(store, NOW)
    assert read_fsrs(store) == choice
    assert choice.parameters is None and choice.source == "default" and not choice.auto
    assert choice.log_loss == 0.5 and choice.fitted_log_loss == 0.45  # what the fit measured is kept
    assert choice.reason == "you chose the default parameters on 2026-11-23"
    assert choice.stats()["source"] == "default" and choice.stats()["fitted_at"] is None
    # An automatic run does not undo the learner's choice; `quizapp optimize` (by the learner) does.
    assert not refit_due(choice, 100_000)
    background = record_fit(store, adopted(4000), NOW)
    assert background.parameters is None and background.reason.endswith("kept the defaults you chose")
    chosen = record_fit(store, adopted(4000), NOW, by_learner=True)
    assert chosen.parameters == FITTED and chosen.auto


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("fitted", "must be an object"),
        ({"source": "mine"}, "source must be default or fitted"),
        ({"source": "fitted", "parameters": None}, "must be a list of 21 numbers"),
        ({"source": "fitted", "parameters": [0.5] * 20}, "21 numbers are needed, not 20"),
        (
            {"source": "fitted", "parameters": [*DEFAULT_PARAMETERS[:4], 11.0, *DEFAULT_PARAMETERS[5:]]},
            "bounds",
        ),
        ({"source": "fitted", "parameters": [*DEFAULT_PARAMETERS[:20], "x"]}, "finite number"),
        ({"source": "fitted", "parameters": [*DEFAULT_PARAMETERS[:20], True]}, "finite number"),
        ({"source": "default", "parameters": list(DEFAULT_PARAMETERS)}, "stored as null"),
        ({"reviews": -1}, "reviews must be a whole number"),
        ({"checked_reviews": 1.5}, "checked_reviews must be a whole number"),
        ({"log_loss": "low"}, "log_loss must be a positive number"),
        ({"default_log_loss": -0.1}, "default_log_loss must be a positive number"),
        ({"fitted_at": "yesterday"}, "fitted_at must be a time"),
        ({"checked_at": "2026-11-23T09:00:00"}, "checked_at must be a time"),
        ({"auto": "yes"}, "auto must be true or false"),
    ],
)
def test_a_bad_stored_value_is_reported_and_the_defaults_apply(store, value, problem):
    assert problem in fsrs_setting_problem(value)
    store.set_setting(KEY, value)
    problems: list[str] = []
    assert read_fsrs(store, problems.append) == FsrsChoice()
    assert len(problems) == 1 and problems[0].startswith(f"setting {KEY}: ")
    assert problems[0].endswith("; the default FSRS parameters apply") and problem in problems[0]


def test_a_value_from_a_newer_quizapp_keeps_what_it_knows():
    value = {**FsrsChoice(source="fitted", parameters=FITTED).to_json(), "new_field": [1, 2]}
    assert fsrs_setting_problem(value) is None
    assert fsrs_choice(value).parameters == FITTED


@pytest.mark.parametrize(
    ("checked", "now", "due"),
    [
        (0, 399, False),  # never before enough history could exist
        (0, 400, True),
        (400, 599, False),  # 200 new reviews at least
        (400, 600, True),
        (2000, 2399, False),  # or 20 % more, whichever is more
        (2000, 2400, True),
    ],
)
def test_an_automatic_fit_waits_for_enough_new_reviews(checked, now, due):
    assert refit_due(FsrsChoice(checked_reviews=checked), now) is due


def test_a_run_that_never_counted_the_reviews_still_waits_for_new_ones(tmp_path):
    """A timed-out child reports no counts: the store's own count is remembered instead, or the app
    would start the same failing fit again at once."""
    from tests.study.fit_learner import simulate, write_history

    with ProgressStore.open(tmp_path / "data") as store:
        write_history(store, simulate(items=60, days=40))
        logged = review_count(store)
        assert logged == len(store.reviews()) > 400
        choice = record_fit(store, FitResult.failure("the fit took longer than 60 s and was stopped"), NOW)
        assert choice.checked_reviews == logged
        assert not refit_due(choice, logged) and not refit_due(choice, logged + 199)
        assert refit_due(choice, logged + 200)
