"""The store's queries for study days (issue 15, items 9 and 10): due by a day's end with learning steps
kept to their minute, a forecast by day boundaries, and the day's first and repeat reviews. The store
takes instants (epoch seconds, ISO timestamps); which instants bound a day is study's business."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from quizapp.store import ItemState, ProgressStore
from quizapp.store.export_format import ImportChecks, ImportRefused
from quizapp.store.import_check import validate_export
from quizapp.study.settings import setting_problem

START = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 04:00 in Berlin: the study day's start
DAY_START = START.isoformat(timespec="microseconds")
START_EPOCH = int(START.timestamp())
NOW = START_EPOCH + 16 * 3600  # 20:00 in Berlin
DAY_END = START_EPOCH + 24 * 3600


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="microseconds")


def state(item_id: str, due: int, kind: str = "card") -> ItemState:
    return ItemState(item_id, kind, {"card_id": 1}, due, 0, 1, False, "2026-11-23")


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        yield s


def test_due_today_is_by_the_days_end_but_a_step_reviewed_today_waits(store):
    yesterday = iso(START_EPOCH - 3600)
    store.record_review(state("overdue", START_EPOCH - 7200), 3, yesterday, "f")
    store.record_review(state("later-today", NOW + 3 * 3600), 3, yesterday, "f")  # due 23:00, reviewed before
    store.record_review(state("tomorrow", DAY_END + 60), 3, yesterday, "f")
    store.record_review(state("step", NOW + 600), 1, iso(NOW - 60), "f")  # reviewed today, back in 10 min
    store.record_review(state("step-done", NOW - 10), 1, iso(NOW - 610), "f")  # its minute has come
    store.record_review(state("a-question", NOW - 10, "question"), 3, yesterday, "f")
    assert store.due_today("card", NOW, DAY_START, DAY_END) == ["overdue", "step-done", "later-today"]
    assert store.due_today_count("card", NOW, DAY_START, DAY_END) == 3
    assert store.due_today_count("question", NOW, DAY_START, DAY_END) == 1


def test_the_forecast_counts_by_the_given_day_ends_overdue_on_the_first(store):
    for name, due in [("old", 5), ("today", DAY_END - 1), ("tomorrow", DAY_END), ("day-3", DAY_END + 90_000)]:
        store.record_review(state(name, due), 3, DAY_START, "f")
    ends = [DAY_END, DAY_END + 23 * 3600, DAY_END + 47 * 3600]  # a 23-hour day in the middle
    assert store.due_by_day("card", ends) == [2, 1, 1]


def test_first_and_repeat_reviews_since_an_instant(store):
    store.record_review(state("c1", DAY_END), 3, iso(START_EPOCH - 60), "f")  # yesterday's new card
    store.record_review(state("c1", DAY_END), 3, iso(START_EPOCH + 60), "f")  # reviewed again today
    store.record_review(state("c2", DAY_END), 3, iso(START_EPOCH + 120), "f")  # new today
    store.record_review(state("q1", DAY_END, "question"), 3, iso(START_EPOCH + 180), "f")
    assert store.first_reviews_since("card", DAY_START) == 1
    assert store.repeat_reviews_since("card", DAY_START) == 1
    assert store.first_reviews_since("question", DAY_START) == 1
    assert store.repeat_reviews_since("question", DAY_START) == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [("next_day_starts_at", 24), ("next_day_starts_at", "4"), ("question_reviews_per_day", -5)],
)
def test_import_refuses_a_bad_value_for_the_new_settings(store, key, value):
    data = store.export_data()
    checks = ImportChecks(setting=setting_problem)
    good = copy.deepcopy(data)
    good["settings"] = {"next_day_starts_at": 0, "question_reviews_per_day": 9999}
    validate_export(good, checks)  # refused values only
    data["settings"] = {key: value}
    with pytest.raises(ImportRefused) as refused:
        validate_export(data, checks)
    assert any(f"$.settings.{key}" in problem for problem in refused.value.problems)
