"""Study-day arithmetic (issue 15, item 9): a day starts at the learner's cut-off hour in local time,
not at midnight UTC; daylight-saving days are 23 or 25 hours long and still start at the cut-off."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.study import ManualClock, SystemClock
from quizapp.study.days import StudyClock, day_end, day_start, study_day

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def local(*args: int, tz=BERLIN) -> datetime:  # noqa: ANN001
    return datetime(*args, tzinfo=tz)


@pytest.mark.parametrize(
    ("moment", "cutoff", "day"),
    [
        (local(2026, 11, 24, 3, 59), 4, date(2026, 11, 23)),  # before the cut-off: still yesterday
        (local(2026, 11, 24, 4, 0), 4, date(2026, 11, 24)),  # at the cut-off: a new day
        (local(2026, 11, 23, 23, 0), 4, date(2026, 11, 23)),
        (local(2026, 11, 24, 1, 0), 4, date(2026, 11, 23)),  # 01:00 belongs to the evening before
        (local(2026, 11, 24, 0, 0), 0, date(2026, 11, 24)),  # cut-off 0: the calendar date
        (local(2026, 11, 23, 23, 59), 0, date(2026, 11, 23)),
        (local(2026, 11, 24, 22, 59), 23, date(2026, 11, 23)),
        (local(2026, 11, 24, 23, 0), 23, date(2026, 11, 24)),
    ],
)
def test_the_study_day_of_a_moment(moment, cutoff, day):
    assert study_day(moment, cutoff, BERLIN) == day
    assert study_day(moment.astimezone(UTC), cutoff, BERLIN) == day, "an instant's day is its local one"


def test_the_local_time_decides_not_utc():
    moment = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)
    assert study_day(moment, 4, BERLIN) == date(2026, 11, 24)  # 04:30 there: a new day
    assert study_day(moment, 4, UTC) == date(2026, 11, 23)  # 03:30: not yet
    assert study_day(moment, 4, NEW_YORK) == date(2026, 11, 23)  # 22:30 the evening before


def test_a_day_starts_and_ends_at_the_cut_off():
    assert day_start(date(2026, 11, 24), 4, BERLIN) == local(2026, 11, 24, 4, 0)
    assert day_end(local(2026, 11, 24, 1, 0), 4, BERLIN) == local(2026, 11, 24, 4, 0)
    assert day_end(local(2026, 11, 24, 4, 0), 4, BERLIN) == local(2026, 11, 25, 4, 0)
    assert day_end(local(2026, 11, 24, 23, 59), 0, BERLIN) == local(2026, 11, 25, 0, 0)
    assert day_end(local(2026, 11, 24, 1, 0), 4, BERLIN).tzinfo == UTC


def test_daylight_saving_days_start_at_the_cut_off_and_last_23_or_25_hours():
    # Berlin springs forward on 2026-03-29 (02:00 -> 03:00) and falls back on 2026-10-25 (03:00 -> 02:00).
    spring = day_start(date(2026, 3, 29), 4, BERLIN) - day_start(date(2026, 3, 28), 4, BERLIN)
    autumn = day_start(date(2026, 10, 25), 4, BERLIN) - day_start(date(2026, 10, 24), 4, BERLIN)
    assert spring == timedelta(hours=23) and autumn == timedelta(hours=25)
    assert day_start(date(2026, 3, 29), 4, BERLIN) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 04:00 CEST
    assert day_start(date(2026, 10, 25), 4, BERLIN) == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)  # 04:00 CET
    # the wall clock decides: 03:30 CEST is before the cut-off, though only 1.5 hours after 01:00 CET
    assert study_day(local(2026, 3, 29, 3, 30), 4, BERLIN) == date(2026, 3, 28)
    assert study_day(local(2026, 3, 29, 4, 0), 4, BERLIN) == date(2026, 3, 29)


def test_a_cut_off_inside_the_skipped_hour_starts_the_day_when_the_clocks_jump():
    start = day_start(date(2026, 3, 29), 2, BERLIN)  # 02:00 never happens that night
    assert start == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 CET, the instant it is 03:00 CEST
    assert study_day(start - timedelta(seconds=1), 2, BERLIN) == date(2026, 3, 28)
    assert study_day(start, 2, BERLIN) == date(2026, 3, 29)


def test_the_study_clock_follows_the_injected_clock_and_its_zone():
    clock = ManualClock(local(2026, 3, 28, 23, 0).astimezone(UTC), BERLIN)
    days = StudyClock(clock, 4)
    assert days.now() == clock.now() and days.tz is BERLIN
    assert days.today() == date(2026, 3, 28) and clock.today() == date(2026, 3, 28)
    clock.advance(hours=2)  # 01:00 on the 29th (still CET)
    assert clock.today() == date(2026, 3, 29), "the calendar date has moved on"
    assert days.today() == date(2026, 3, 28), "the study day has not"
    assert days.start() == local(2026, 3, 28, 4, 0) and days.end() == local(2026, 3, 29, 4, 0)
    ends = days.ends(3)
    assert [b - a for a, b in zip([days.start(), *ends], ends, strict=False)] == [
        timedelta(hours=23),  # the 28th's day runs into the night the clocks spring forward
        timedelta(hours=24),
        timedelta(hours=24),
    ]
    clock.advance(hours=2)  # 04:00 CEST
    assert days.today() == date(2026, 3, 29)


def test_a_cut_off_inside_the_repeated_hour_starts_the_day_the_first_time_it_shows():
    start = day_start(date(2026, 10, 25), 2, BERLIN)  # 02:00 shows twice that night
    assert start == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST, the first time
    assert study_day(start - timedelta(seconds=1), 2, BERLIN) == date(2026, 10, 24)
    assert study_day(start + timedelta(hours=1), 2, BERLIN) == date(2026, 10, 25)  # 02:00 CET, again


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="the system zone is set through TZ on Unix only")
def test_the_system_zone_gives_the_same_days_as_the_named_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        for day, cutoff in [(date(2026, 3, 29), 2), (date(2026, 3, 29), 4), (date(2026, 10, 25), 2)]:
            assert day_start(day, cutoff) == day_start(day, cutoff, BERLIN), (day, cutoff)
        moment = local(2026, 11, 24, 3, 59)
        assert study_day(moment, 4) == date(2026, 11, 23) == study_day(moment, 4, BERLIN)
        assert StudyClock(SystemClock(), 4).tz is None
    finally:
        monkeypatch.undo()
        time.tzset()
