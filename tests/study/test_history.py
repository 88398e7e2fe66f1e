"""The reviews chart's window follows the history (issue 15, item 13): two weeks at least, twelve at
most, whole weeks in between, from the first review."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Rating

from quizapp.study import ManualClock
from quizapp.study.days import study_day
from quizapp.study.history import MAX_DAYS, MIN_DAYS, per_study_day, recent_reviews, review_days
from tests.factory import START, make_coach

TODAY = date(2026, 11, 23)


def _per_day(first: date, last: date = TODAY) -> dict[str, int]:
    days = (last - first).days + 1
    return {(first + timedelta(days=i)).isoformat(): i + 1 for i in range(days)}


@pytest.mark.parametrize(
    ("history_days", "window", "span"),
    [
        (0, 14, "14 days"),
        (1, 14, "14 days"),
        (7, 14, "14 days"),
        (15, 21, "21 days"),
        (28, 28, "28 days"),
        (29, 35, "5 weeks"),
        (40, 42, "6 weeks"),
        (84, 84, "12 weeks"),
        (365, 84, "12 weeks"),
    ],
)
def test_window_fits_the_history(history_days, window, span):
    first = TODAY - timedelta(days=history_days - 1) if history_days else None
    per_day = _per_day(first) if first else {}
    reviews = review_days(per_day, TODAY, first)
    assert len(reviews.days) == len(reviews.counts) == window
    assert MIN_DAYS <= window <= MAX_DAYS
    assert reviews.days[-1] == TODAY and reviews.span == span
    assert sum(reviews.counts) == sum(v for k, v in per_day.items() if k >= reviews.days[0].isoformat())


def test_a_week_of_history_fills_half_the_window_not_one_column():
    reviews = review_days(_per_day(TODAY - timedelta(days=6)), TODAY, TODAY - timedelta(days=6))
    assert reviews.counts[:7] == (0,) * 7 and all(reviews.counts[7:])


def test_axis_labels_say_days_or_weeks_back():
    week = review_days({}, TODAY, TODAY - timedelta(days=6))
    assert week.ticks() == ([0, 6, 13], ["-13d", "-7d", "today"])
    year = review_days({}, TODAY, TODAY - timedelta(days=364))
    assert year.ticks() == ([0, 27, 55, 83], ["-12w", "-8w", "-4w", "today"])


def test_recent_reviews_reads_the_first_review_from_the_log(tmp_path):
    clock = ManualClock(START - timedelta(days=9))
    coach = make_coach(tmp_path, clock=clock)
    cards = coach.flashcards()
    cards.rate(Rating.Good)
    clock.current = START
    reviews = recent_reviews(coach)
    assert reviews.span == "14 days"
    assert reviews.counts[-10] == 1 and sum(reviews.counts) == 1
    coach.store.close()


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "late", "next_morning"),
    [
        # 01:30 local is still the evening's study day; 04:10 is the next one.
        ("Europe/Berlin", _utc(2026, 11, 22, 0, 30), _utc(2026, 11, 22, 3, 10)),
        # Kathmandu is UTC+5:45: the cut-off falls mid-hour in UTC, so hour buckets could not split it.
        ("Asia/Kathmandu", _utc(2026, 11, 21, 19, 50), _utc(2026, 11, 21, 22, 20)),
    ],
)
def test_reviews_count_on_the_study_day_not_the_utc_day(tmp_path, zone, late, next_morning):
    """A review at 01:30 belongs to the evening before (cut-off 4 am), in any zone's offset; the
    chart and `stats` agree with every other count (issue 15, item 9)."""
    tz = ZoneInfo(zone)
    clock = ManualClock(late - timedelta(hours=3), tz=tz)
    coach = make_coach(tmp_path, clock=clock)
    evening = study_day(clock.current, 4, tz)
    cards = coach.flashcards()
    cards.rate(Rating.Good)  # the evening itself
    clock.current = late
    cards.rate(Rating.Good)
    clock.current = next_morning
    cards.rate(Rating.Good)
    assert study_day(late, 4, tz) == evening and study_day(next_morning, 4, tz) == evening + timedelta(days=1)
    per_day = per_study_day(coach.store, coach.days, evening - timedelta(days=1))
    assert per_day == {evening.isoformat(): 2, (evening + timedelta(days=1)).isoformat(): 1}
    assert coach.stats()["reviews_per_day"] == per_day
    assert recent_reviews(coach).counts[-2:] == (2, 1)
    coach.store.close()


def test_per_study_day_counts_a_day_at_a_time_across_a_clock_change(tmp_path):
    """Reviews over the autumn clock change (New York, 1 Nov 2026), at every hour, with one dated
    after today (a device whose clock ran ahead): each on its study day, as `study_day` of its own
    time says, from a count a day rather than a row per quarter hour with reviews."""
    tz = ZoneInfo("America/New_York")
    start = datetime(2026, 10, 28, 0, 30, tzinfo=UTC)
    clock = ManualClock(start, tz=tz)
    coach = make_coach(tmp_path, clock=clock)
    cards = coach.flashcards()
    for hour in range(0, 24 * 8, 5):  # every five hours for eight days
        clock.current = start + timedelta(hours=hour)
        cards.rate(Rating.Good)
    today = study_day(clock.current, 4, tz)
    clock.current = start + timedelta(days=12)  # rated "in the future", then the clock goes back
    cards.rate(Rating.Good)
    clock.current = start + timedelta(hours=24 * 8 - 5)
    expected: dict[str, int] = {}
    for review in coach.store.reviews():
        day = study_day(datetime.fromisoformat(review.reviewed_at), 4, tz).isoformat()
        expected[day] = expected.get(day, 0) + 1
    conn = coach.store._conn
    counting = _RowCounter(conn)
    coach.store._conn = counting  # type: ignore[assignment]
    try:
        per_day = per_study_day(coach.store, coach.days, today - timedelta(days=10))
    finally:
        coach.store._conn = conn
    assert per_day == expected and sum(per_day.values()) == len(coach.store.reviews())
    assert counting.rows <= 12 + 1, counting.rows  # a count a day (and the review ahead)
    assert counting.statements <= 2
    coach.store.close()


class _RowCounter:
    """The store's connection, counting the statements run and the rows handed back to Python."""

    def __init__(self, conn) -> None:  # noqa: ANN001
        self.conn, self.statements, self.rows = conn, 0, 0

    def execute(self, sql, params=()):  # noqa: ANN001, ANN202
        self.statements += 1
        rows = self.conn.execute(sql, params).fetchall()
        self.rows += len(rows)
        return _Rows(rows)


class _Rows(list):
    def fetchall(self) -> list:
        return list(self)
