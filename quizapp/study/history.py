"""Reviews per day over the span the learner's history actually covers.

A fixed 12-week window drew a first week of study as one or two squeezed columns at the right edge
(issue 15, item 13). The window here starts at the first review, is never shorter than two weeks
(so a first day still reads as a bar among days, not a full-width block) and never longer than
twelve, and grows in whole weeks so its title can say the span in plain words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from quizapp.study.clock import iso
from quizapp.study.days import StudyClock, day_start, study_day

if TYPE_CHECKING:
    from quizapp.store import ProgressStore
    from quizapp.study.coach import Coach

MIN_DAYS = 14
MAX_DAYS = 84


@dataclass(frozen=True)
class ReviewDays:
    """Reviews per day, oldest first, the last day being today."""

    days: tuple[date, ...]
    counts: tuple[int, ...]

    @property
    def span(self) -> str:
        """The window in words: "14 days" up to four weeks, then "5 weeks" ... "12 weeks"."""
        n = len(self.days)
        return f"{n // 7} weeks" if n > 28 and n % 7 == 0 else f"{n} days"

    def ticks(self) -> tuple[list[int], list[str]]:
        """Where to label the time axis, and the labels: "today" at the right, then steps back
        (a week while the window is four weeks or less, then two or four weeks), and the window's
        first day when it is not crowded by the last step."""
        n = len(self.days)
        step = 7 if n <= 28 else 14 if n <= 56 else 28
        weeks = n > 28
        at = list(range(n - 1, -1, -step))
        if at[-1] != 0 and at[-1] >= step // 2:
            at.append(0)

        def label(index: int) -> str:
            back = n - 1 - index
            if back == 0:
                return "today"
            return f"-{round(back / 7)}w" if weeks else f"-{back}d"

        at.reverse()
        return at, [label(i) for i in at]


def review_days(per_day: Mapping[str, int], today: date, first: date | None = None) -> ReviewDays:
    """The window for a history whose first review was on `first` (None: no reviews yet), with
    `per_day` keyed by ISO date; days without a key count zero."""
    since = 1 if first is None else (today - first).days + 1
    n = min(MAX_DAYS, max(MIN_DAYS, -(-since // 7) * 7))  # whole weeks, from two to twelve
    days = tuple(today - timedelta(days=n - 1 - i) for i in range(n))
    return ReviewDays(days, tuple(int(per_day.get(d.isoformat(), 0)) for d in days))


def recent_reviews(coach: Coach) -> ReviewDays:
    """The dashboard's reviews chart, by study day (the learner's cut-off and time zone, like every
    other count): the first review comes from the time index, then only the window is read, in
    quarter-hour buckets, so the cost does not grow with the history."""
    days = coach.days
    today = days.today()
    first_at = coach.store.first_review_at()
    first = study_day(datetime.fromisoformat(first_at), days.cutoff_hour, days.tz) if first_at else None
    window = review_days({}, today, first)
    return review_days(per_study_day(coach.store, days, window.days[0]), today, first)


def per_study_day(store: ProgressStore, days: StudyClock, since: date) -> dict[str, int]:
    """Reviews per study day (ISO date keys, days without reviews left out) from the start of study
    day `since` on. Up to today, one count a day on the time index (`reviews_between`); reviews
    dated after today (a device whose clock ran ahead) are folded into their days by quarter hour."""
    today = days.today()
    span = [since + timedelta(days=i) for i in range(max(0, (today - since).days + 2))]  # to tomorrow
    bounds = [iso(day_start(day, days.cutoff_hour, days.tz)) for day in span] or [
        iso(day_start(since, days.cutoff_hour, days.tz))
    ]
    counts: dict[str, int] = defaultdict(int)
    for day, n in zip(span, store.reviews_between(bounds), strict=False):
        if n:
            counts[day.isoformat()] += n
    for bucket, n in store.reviews_per_quarter_hour(bounds[-1]).items():
        moment = datetime.fromisoformat(bucket).replace(tzinfo=UTC)
        counts[study_day(moment, days.cutoff_hour, days.tz).isoformat()] += n
    return dict(counts)
