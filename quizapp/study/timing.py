"""Time per question: the figures the learner sees, from the times `Stopwatch` measured.

A time is whole ms from shown to submitted (pauses and long silences left out, see `stopwatch`);
None is "not measured" (history from before quizapp measured, an import without times) and is left
out of every figure, never counted as 0.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from quizapp.store.records import MAX_DURATION_MS

EXAM_PACE_S = 83
"""AIF-C01: 90 minutes for 65 questions, 83 s a question. A practice exam of another length is
still compared with the real exam's pace: that is the pace the learner must keep on the day."""


def clean_duration(ms: float | None) -> int | None:
    """A measured time as the store keeps it: whole ms, at most a day; None stays unknown.

    A time a caller got wrong (negative, NaN) is stored as unknown rather than refused: the time is
    a side note to the answer, and an answer must never be lost over it.
    """
    if ms is None:
        return None
    if isinstance(ms, bool) or not isinstance(ms, int | float):
        raise TypeError(f"a duration is a number of ms, not {type(ms).__name__}")
    if not math.isfinite(ms) or ms < 0:
        return None
    return MAX_DURATION_MS if ms >= MAX_DURATION_MS else round(ms)


def known(times: Iterable[int | None]) -> list[int]:
    return [ms for ms in times if ms is not None]


def median_seconds(times: Iterable[int | None]) -> float | None:
    """The median of the measured times, in seconds to a tenth; None when none was measured."""
    measured = known(times)
    return round(statistics.median(measured) / 1000, 1) if measured else None


def mean_seconds(times: Iterable[int | None]) -> float | None:
    measured = known(times)
    return round(sum(measured) / len(measured) / 1000, 1) if measured else None


@dataclass(frozen=True)
class Timing:
    """An exam's time per question against the real exam's pace.

    Counted over the items that were on screen (a time was measured); an item never reached has no
    time and is left out, so the figures say how long a question took, not how many were reached.
    """

    timed: int
    """Items with a measured time."""
    median_s: float | None
    mean_s: float | None
    over_pace: int
    """Items that took longer than the pace: where the time went."""
    pace_s: int = EXAM_PACE_S

    @staticmethod
    def of(times: Iterable[int | None], pace_s: int = EXAM_PACE_S) -> Timing:
        measured = known(times)
        return Timing(
            len(measured),
            median_seconds(measured),
            mean_seconds(measured),
            sum(1 for ms in measured if ms > pace_s * 1000),
            pace_s,
        )

    @property
    def spare_s(self) -> float | None:
        """Seconds a question to spare at this mean (negative: behind the exam's pace)."""
        return None if self.mean_s is None else round(self.pace_s - self.mean_s, 1)

    @property
    def on_pace(self) -> bool | None:
        """Whether the mean question was answered within the pace; None when nothing was timed."""
        return None if self.mean_s is None else self.mean_s <= self.pace_s

    def as_dict(self) -> dict[str, Any]:
        return {
            "timed": self.timed,
            "median_s": self.median_s,
            "mean_s": self.mean_s,
            "pace_s": self.pace_s,
            "over_pace": self.over_pace,
            "spare_s": self.spare_s,
        }
