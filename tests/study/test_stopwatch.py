"""The stopwatch: shown to submitted, pauses and long silences left out, immune to wall-clock jumps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizapp.study import ManualClock
from quizapp.study.clock import SystemClock, monotonic_of
from quizapp.study.days import StudyClock
from quizapp.study.stopwatch import IDLE_CAP_S, Stopwatch
from tests.factory import START


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def test_counts_from_shown_to_stopped(clock):
    watch = Stopwatch(clock)
    watch.start()
    clock.advance(seconds=41.5)
    assert watch.elapsed_ms() == 41_500
    clock.advance(milliseconds=250)
    assert watch.stop() == 41_750
    clock.advance(seconds=30)
    assert watch.elapsed_ms() == 0 and not watch.running  # stopped: nothing more is counted


def test_a_stopwatch_that_timed_nothing_says_unknown_not_zero(clock):
    watch = Stopwatch(clock)
    assert watch.stop() is None
    watch.start()
    clock.advance(seconds=3)
    assert watch.stop() == 3000
    assert watch.stop() is None  # stopped once: a second stop measured nothing


def test_pause_leaves_out_the_time_away(clock):
    watch = Stopwatch(clock)
    watch.start()
    clock.advance(seconds=10)
    watch.pause()
    assert watch.paused and not watch.running
    clock.advance(minutes=20)  # another window had the focus
    watch.pause()  # a second blur changes nothing
    assert watch.elapsed_ms() == 10_000
    watch.resume()
    clock.advance(seconds=5)
    assert watch.stop() == 15_000


def test_resume_without_an_item_starts_nothing(clock):
    """Focus coming back while the feedback panel is up must not start timing."""
    watch = Stopwatch(clock)
    watch.resume()
    clock.advance(seconds=30)
    assert not watch.running and watch.stop() is None
    watch.start()
    clock.advance(seconds=2)
    watch.stop()
    watch.resume()  # after the answer: still nothing timed
    clock.advance(seconds=30)
    assert watch.elapsed_ms() == 0 and not watch.running


def test_start_again_times_the_next_item_from_zero(clock):
    watch = Stopwatch(clock)
    watch.start()
    clock.advance(seconds=9)
    watch.pause()
    watch.start()  # the next item: running, from zero, even though the last one was paused
    clock.advance(seconds=4)
    assert watch.running and watch.stop() == 4000


def test_a_long_silence_counts_at_most_the_idle_cap(clock):
    watch = Stopwatch(clock)
    watch.start()
    clock.advance(hours=1)  # walked away, terminal still focused
    assert watch.elapsed_ms() == IDLE_CAP_S * 1000
    assert IDLE_CAP_S == 300


def test_key_presses_keep_a_long_read_counted_in_full(clock):
    """Twelve minutes of reading with a key every two minutes is twelve minutes, not the cap."""
    watch = Stopwatch(clock)
    watch.start()
    for _ in range(6):
        clock.advance(minutes=2)
        watch.touch()
    assert watch.stop() == 12 * 60 * 1000


def test_the_idle_cap_applies_to_each_silence_and_before_a_pause(clock):
    watch = Stopwatch(clock, idle_cap_s=60)
    watch.start()
    clock.advance(seconds=90)
    watch.touch()  # 60 counted (capped)
    clock.advance(seconds=20)
    watch.touch()  # 20
    clock.advance(seconds=200)
    watch.pause()  # 60 (capped), then nothing while paused
    clock.advance(hours=2)
    watch.resume()
    clock.advance(seconds=5)
    assert watch.stop() == (60 + 20 + 60 + 5) * 1000
    with pytest.raises(ValueError):
        Stopwatch(clock, idle_cap_s=0)


def test_lap_hands_over_the_time_and_keeps_going(clock):
    watch = Stopwatch(clock)
    watch.start()
    clock.advance(seconds=30)
    assert watch.lap() == 30_000
    clock.advance(seconds=12)
    assert watch.lap() == 12_000
    watch.pause()
    clock.advance(seconds=50)
    assert watch.lap() == 0 and watch.paused  # a lap while paused stays paused
    watch.resume()
    clock.advance(seconds=1)
    assert watch.stop() == 1000


def test_the_wall_clock_jumping_changes_nothing(clock):
    """Setting the system's time moves `now()` only; durations use the monotonic reading."""
    watch = Stopwatch(clock)
    watch.start()
    clock.advance(seconds=20)
    clock.current -= timedelta(hours=3)  # set back
    clock.advance(seconds=5)
    clock.current += timedelta(days=2)  # set forward
    clock.advance(seconds=5)
    assert watch.stop() == 30_000


def test_manual_clock_monotonic_reading_never_goes_back(clock):
    clock.advance(seconds=10)
    clock.advance(seconds=-60)  # the wall clock goes back; the monotonic reading stays
    assert clock.monotonic() == 10
    assert clock.now() == START - timedelta(seconds=50)


class WallOnly:
    """A clock with no monotonic reading: the stopwatch falls back to its wall clock."""

    tz = None

    def __init__(self) -> None:
        self.current = START

    def now(self):
        return self.current

    def today(self):
        return self.current.date()


def test_without_a_monotonic_reading_a_jump_back_counts_nothing_and_one_forward_the_cap():
    wall = WallOnly()
    watch = Stopwatch(wall, idle_cap_s=60)
    watch.start()
    wall.current += timedelta(seconds=10)
    watch.touch()
    wall.current -= timedelta(hours=1)  # set back: never a negative time
    assert watch.elapsed_ms() == 10_000
    wall.current += timedelta(seconds=7)  # measured from the new reading, not the old one
    assert watch.elapsed_ms() == 17_000
    wall.current += timedelta(days=1)  # set forward: at most the idle cap
    assert watch.stop() == 10_000 + 60_000


def test_monotonic_of_looks_through_the_study_clock(clock):
    read = monotonic_of(StudyClock(clock, 4))
    clock.advance(seconds=3)
    assert read() == 3
    system = monotonic_of(SystemClock())
    first = system()
    assert system() >= first


def test_reading_the_time_is_not_activity(clock):
    """A screen that shows the time every second must not keep the idle cap from applying."""
    watch = Stopwatch(clock, idle_cap_s=60)
    watch.start()
    for _ in range(600):
        clock.advance(seconds=1)
        watch.elapsed_ms()
    assert watch.stop() == 60_000
