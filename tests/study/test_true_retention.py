"""True retention (issue 16, item 3): the store counts review outcomes in one SQL aggregate, mature
(scheduled 21 days or more ahead) apart from young, passes (any rating but Again) apart from fails,
by study-day period; the study layer turns the counts into Anki's table and the Settings line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.store import ItemState, ProgressStore
from quizapp.study import ManualClock
from quizapp.study.clock import epoch, iso
from quizapp.study.days import StudyClock
from quizapp.study.retention import (
    MIN_REVIEWS,
    Tally,
    percent,
    period_starts,
    summary,
    table,
    true_retention,
)
from tests.factory import START, make_coach

# START is 2026-11-23 09:00 UTC; with the clock in UTC and the cut-off at 4 am, today's study day
# started at 04:00 UTC.
TODAY_4AM = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
REVIEW, LEARNING, RELEARNING = 2, 1, 3


@pytest.fixture
def store(tmp_path: Path):
    s = ProgressStore.open(tmp_path / "data")
    yield s
    s.close()


def _state(item: str, kind: str, last: datetime, interval: timedelta, state: int = REVIEW) -> ItemState:
    due = last + interval
    card = {
        "card_id": abs(hash(item)) % 2**40,
        "state": state,
        "step": None if state == REVIEW else 0,
        "stability": 30.0,
        "difficulty": 5.0,
        "due": due.isoformat(),
        "last_review": last.isoformat(),
    }
    return ItemState(item, kind, card, epoch(due), introduced_day="2025-01-01")


_n = 0


def review(
    store: ProgressStore,
    at: datetime,
    rating: int,
    *,
    kind: str = "card",
    interval: timedelta = timedelta(days=30),
    state: int = REVIEW,
) -> None:
    """One review at `at` of a fresh item whose stored state (its `before`) was scheduled
    `interval` after its last review, in FSRS state `state`."""
    global _n
    _n += 1
    item = f"{kind}-{_n}"
    last = at - interval
    store.record_review(_state(item, kind, last, interval, state), 3, iso(last), "setup")  # first sight
    store.record_review(_state(item, kind, at, timedelta(days=40)), rating, iso(at), "flashcard")


def days(cutoff: int = 4) -> StudyClock:
    return StudyClock(ManualClock(START), cutoff)


def test_mature_is_a_scheduled_interval_of_21_days_or_more(store):
    at = TODAY_4AM + timedelta(hours=2)
    review(store, at, 3, interval=timedelta(days=21))
    review(store, at, 3, interval=timedelta(days=400))
    review(store, at, 3, interval=timedelta(days=20, hours=23))
    review(store, at, 3, interval=timedelta(days=1))
    rows = store.review_outcomes(period_starts(days()))
    counts = {(r.kind, r.period, r.mature): r.reviews for r in rows}
    assert counts == {("card", 0, True): 2, ("card", 0, False): 2}


def test_first_sight_and_learning_steps_are_not_counted(store):
    at = TODAY_4AM + timedelta(hours=1)
    review(store, at, 1, interval=timedelta(days=30), state=LEARNING)
    review(store, at, 1, interval=timedelta(days=30), state=RELEARNING)
    # Every `review` call also wrote a first-sight row (no `before`): none of them is counted either.
    assert store.review_outcomes(period_starts(days())) == []
    review(store, at, 1, interval=timedelta(days=30))
    assert [(r.reviews, r.passed) for r in store.review_outcomes(period_starts(days()))] == [(1, 0)]


def test_any_rating_but_again_passes(store):
    at = TODAY_4AM + timedelta(hours=1)
    for rating in (1, 1, 2, 3, 4, 3):
        review(store, at, rating)
    [row] = store.review_outcomes(period_starts(days()))
    assert (row.reviews, row.passed, row.mature) == (6, 4, True)


def test_flashcards_and_questions_are_counted_apart(store):
    at = TODAY_4AM + timedelta(hours=1)
    review(store, at, 3, kind="card")
    review(store, at, 1, kind="question")
    review(store, at, 3, kind="question")
    rows = {r.kind: (r.reviews, r.passed) for r in store.review_outcomes(period_starts(days()))}
    assert rows == {"card": (1, 1), "question": (2, 1)}


def test_periods_follow_study_days(store):
    review(store, TODAY_4AM + timedelta(hours=1), 3)  # today
    review(store, TODAY_4AM - timedelta(hours=2), 1)  # 2 am today: still yesterday's study day
    review(store, TODAY_4AM - timedelta(days=1), 3)  # the first instant of yesterday
    review(store, TODAY_4AM - timedelta(days=1, seconds=1), 3)  # two study days back
    review(store, TODAY_4AM - timedelta(days=6), 3)  # the first day of the last 7
    review(store, TODAY_4AM - timedelta(days=6, seconds=1), 1)  # the 8th day back: the month only
    review(store, TODAY_4AM - timedelta(days=29), 3)  # the first day of the last 30
    review(store, TODAY_4AM - timedelta(days=200), 3)  # the year only
    review(store, TODAY_4AM - timedelta(days=364), 3)  # the year's first day
    review(store, TODAY_4AM - timedelta(days=364, seconds=1), 3)  # older: never read
    result = true_retention(store, days(), 0.9)
    got = {row.period.key: row.tally("card") for row in result.rows}
    assert got == {
        "today": Tally(1, 1),
        "yesterday": Tally(2, 1),
        "week": Tally(5, 4),
        "month": Tally(7, 5),
        "year": Tally(9, 7),
    }
    assert all(row.tally("card", mature=False) == Tally() for row in result.rows)


def test_a_later_cutoff_moves_reviews_into_yesterday(store):
    review(store, TODAY_4AM + timedelta(hours=1), 3)  # 05:00 UTC
    early = true_retention(store, days(cutoff=4), 0.9).row("today").tally("card")
    late = true_retention(store, days(cutoff=6), 0.9)
    assert early == Tally(1, 1)
    assert late.row("today").tally("card") == Tally() and late.row("yesterday").tally("card") == Tally(1, 1)


def test_a_damaged_before_state_is_skipped_not_fatal(store):
    at = TODAY_4AM + timedelta(hours=1)
    review(store, at, 3)
    review(store, at, 1)
    store._conn.execute("UPDATE review SET before_json = '{not json' WHERE rating = 1")
    rows = store.review_outcomes(period_starts(days()))
    assert [(r.reviews, r.passed) for r in rows] == [(1, 1)]


def test_the_query_reads_only_the_time_index_range(store):
    sql_plans = []
    store._conn.set_trace_callback(sql_plans.append)
    store.review_outcomes(period_starts(days()))
    store._conn.set_trace_callback(None)
    statements = [s for s in sql_plans if "FROM outcome_day" in s or "review_outcome" in s]
    assert len(statements) == 2  # the whole days from their summary, then the days a start cuts
    whole, cut = (
        " ".join(str(r) for r in store._conn.execute("EXPLAIN QUERY PLAN " + s)) for s in statements
    )
    # Schema 8's day summary from the oldest start's day on; the outcome summary (schema 6),
    # clustered by time, only in ranges of its key; the log not read.
    assert "SEARCH outcome_day USING PRIMARY KEY (day>?)" in whole, whole
    assert "SEARCH review_outcome USING PRIMARY KEY (reviewed_at>? AND reviewed_at<?)" in cut, cut
    for plan in (whole, cut):
        assert "SCAN outcome_day" not in plan and "SCAN review_outcome" not in plan, plan
        assert " review " not in plan, plan


# ------------------------------------------------------------------------------ the study table


def test_too_few_reviews_give_no_percentage():
    assert Tally(MIN_REVIEWS - 1, MIN_REVIEWS - 1).rate is None
    assert Tally(MIN_REVIEWS, MIN_REVIEWS - 2).rate == pytest.approx((MIN_REVIEWS - 2) / MIN_REVIEWS)
    assert percent(Tally()) == "-" and percent(Tally(3, 3)) == "few"
    assert percent(Tally(40, 35)) == "88 %"


def test_the_table_adds_the_disjoint_periods_up(store):
    at = TODAY_4AM + timedelta(hours=1)
    for i in range(25):
        review(store, at, 1 if i < 3 else 3, kind="card")  # 22 of 25 mature card reviews passed
    for _ in range(8):
        review(store, at - timedelta(days=10), 3, kind="question")
    for i in range(30):
        review(
            store, at - timedelta(days=3), 1 if i % 5 == 0 else 3, kind="question", interval=timedelta(days=3)
        )
    result = true_retention(store, days(), 0.92)
    month = result.row("month")
    assert month.tally("card").rate == pytest.approx(22 / 25)
    assert month.tally("question") == Tally(8, 8)
    assert month.tally("question", mature=False) == Tally(30, 24)
    assert result.row("today").tally("question", mature=False) == Tally()
    assert summary(result) == (
        "Desired 92 % · true retention last 30 days: cards 88 % (25 reviews), "
        "questions: too few mature reviews yet (8)"
    )
    data = json.loads(json.dumps(result.as_dict()))
    assert data["desired"] == 0.92 and data["mature_days"] == 21
    periods = {p["period"]: p for p in data["periods"]}
    assert list(periods) == ["today", "yesterday", "week", "month", "year"]
    assert periods["month"]["days"] == 30
    assert periods["month"]["card"]["mature"] == {"reviews": 25, "passed": 22, "retention": 0.88}
    assert periods["month"]["question"]["mature"]["retention"] is None  # 8 reviews: too few


def test_table_from_counts_without_a_store():
    from quizapp.store.retention import OutcomeCount

    counts = [OutcomeCount("card", 0, True, 10, 9), OutcomeCount("card", 3, True, 30, 24)]
    result = table(counts, 0.9)
    assert result.row("today").tally("card") == Tally(10, 9)
    assert result.row("week").tally("card") == Tally(10, 9)
    assert result.row("month").tally("card") == Tally(40, 33)


def test_coach_gives_the_table_and_stats_carry_it(tmp_path):
    coach = make_coach(tmp_path)
    result = coach.true_retention()
    assert result.desired == coach.settings.desired_retention
    assert all(
        row.tally(kind, mature) == Tally()
        for row in result.rows
        for kind in ("card", "question")
        for mature in (True, False)
    )
    stats = coach.stats()
    assert stats["true_retention"]["periods"][3]["period"] == "month"
    assert stats["true_retention"]["periods"][3]["card"]["mature"] == {
        "reviews": 0,
        "passed": 0,
        "retention": None,
    }


def test_the_table_reads_back_from_stats():
    from quizapp.store.retention import OutcomeCount
    from quizapp.study.retention import TrueRetention

    counts = [OutcomeCount("card", 0, True, 10, 9), OutcomeCount("question", 4, False, 30, 24)]
    result = table(counts, 0.87)
    assert TrueRetention.from_dict(json.loads(json.dumps(result.as_dict()))) == result
