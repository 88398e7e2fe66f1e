"""True retention: the share of reviews the learner actually passed, next to the retention asked for.

Desired retention is a target FSRS schedules toward; true retention is what happened (Anki's "True
Retention" table). Counted per study day period like Anki's rows (today, yesterday, the last 7 and
30 days, the last year), for flashcards and questions apart, mature items (scheduled 21 days or more
ahead, see `quizapp.store.retention`) apart from young ones. A learner whose mature true retention
sits well below the desired one forgets more than the model expects: a sign to fit the parameters
or to lower the target.

The store counts (one SQL aggregate); this module only names the periods and adds them up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from quizapp.store.retention import MATURE_DAYS
from quizapp.study.clock import iso
from quizapp.study.days import day_start

if TYPE_CHECKING:
    from quizapp.store import ProgressStore
    from quizapp.store.retention import OutcomeCount
    from quizapp.study.days import StudyClock

KINDS = ("card", "question")
MIN_REVIEWS = 20
"""Below this many reviews a share is not shown as a percentage: on 20 reviews a 90 % share is
already uncertain by about 7 points either way, on 5 it says next to nothing."""


@dataclass(frozen=True)
class Period:
    """A row of the table: study days `first_back` to `last_back` before today (0 is today)."""

    key: str
    label: str
    first_back: int
    last_back: int


PERIODS = (
    Period("today", "Today", 0, 0),
    Period("yesterday", "Yesterday", 1, 1),
    Period("week", "Last 7 days", 0, 6),
    Period("month", "Last 30 days", 0, 29),
    Period("year", "Last year", 0, 364),
)
BOUNDARIES = (0, 1, 2, 7, 30, 365)
"""Study days back at which the store's disjoint periods start (latest first): today, yesterday,
2-6 days back, 7-29, 30-364. Each row above is a union of consecutive ones."""


@dataclass(frozen=True)
class Tally:
    """Reviews and how many of them passed (any rating but Again)."""

    reviews: int = 0
    passed: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.reviews + other.reviews, self.passed + other.passed)

    @property
    def rate(self) -> float | None:
        """The share passed, or None below MIN_REVIEWS (too few to say)."""
        return self.passed / self.reviews if self.reviews >= MIN_REVIEWS else None

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "reviews": self.reviews,
            "passed": self.passed,
            "retention": None if rate is None else round(rate, 4),
        }


@dataclass(frozen=True)
class RetentionRow:
    period: Period
    tallies: dict[tuple[str, bool], Tally]
    """(kind, mature) -> the tally."""

    def tally(self, kind: str, mature: bool = True) -> Tally:
        return self.tallies.get((kind, mature), Tally())


@dataclass(frozen=True)
class TrueRetention:
    desired: float
    rows: tuple[RetentionRow, ...]

    def row(self, key: str) -> RetentionRow:
        return next(r for r in self.rows if r.period.key == key)

    def as_dict(self) -> dict[str, Any]:
        """The `true_retention` object of `stats --json`."""
        return {
            "desired": self.desired,
            "mature_days": MATURE_DAYS,
            "min_reviews": MIN_REVIEWS,
            "periods": [
                {
                    "period": row.period.key,
                    "days": row.period.last_back - row.period.first_back + 1,
                    **{
                        kind: {
                            "mature": row.tally(kind, True).as_dict(),
                            "young": row.tally(kind, False).as_dict(),
                        }
                        for kind in KINDS
                    },
                }
                for row in self.rows
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrueRetention:
        """The table back from `as_dict` (what `Coach.stats()` carries), so a screen that has the
        stats draws it without counting again."""
        by_key = {p.key: p for p in PERIODS}
        rows = []
        for entry in data["periods"]:
            tallies = {
                (kind, mature): Tally(entry[kind][age]["reviews"], entry[kind][age]["passed"])
                for kind in KINDS
                for mature, age in ((True, "mature"), (False, "young"))
            }
            rows.append(RetentionRow(by_key[entry["period"]], tallies))
        return cls(float(data["desired"]), tuple(rows))


def period_starts(days: StudyClock, today: date | None = None) -> list[str]:
    """The ISO instants the store's disjoint periods start, latest first: period i holds study days
    BOUNDARIES[i] to BOUNDARIES[i + 1] - 1 back, so it starts BOUNDARIES[i + 1] - 1 days back."""
    today = today or days.today()
    return [
        iso(day_start(today - timedelta(days=BOUNDARIES[i + 1] - 1), days.cutoff_hour, days.tz))
        for i in range(len(BOUNDARIES) - 1)
    ]


def table(counts: Iterable[OutcomeCount], desired: float) -> TrueRetention:
    """The rows from the store's disjoint counts (period i starts BOUNDARIES[i] study days back)."""
    parts: dict[tuple[int, str, bool], Tally] = {}
    for c in counts:
        key = (c.period, c.kind, c.mature)
        parts[key] = parts.get(key, Tally()) + Tally(c.reviews, c.passed)
    rows = []
    for period in PERIODS:
        covered = [i for i in range(len(BOUNDARIES) - 1) if _within(i, period)]
        tallies: dict[tuple[str, bool], Tally] = {}
        for kind in KINDS:
            for mature in (True, False):
                total = Tally()
                for i in covered:
                    total += parts.get((i, kind, mature), Tally())
                tallies[(kind, mature)] = total
        rows.append(RetentionRow(period, tallies))
    return TrueRetention(desired, tuple(rows))


def _within(index: int, period: Period) -> bool:
    """Whether disjoint period `index` (study days BOUNDARIES[index] .. BOUNDARIES[index+1]-1 back)
    lies inside `period`."""
    first, last = BOUNDARIES[index], BOUNDARIES[index + 1] - 1
    return period.first_back <= first and last <= period.last_back


def true_retention(store: ProgressStore, days: StudyClock, desired: float) -> TrueRetention:
    """The table for the learner's study days (their cut-off and time zone) up to now."""
    return table(store.review_outcomes(period_starts(days)), desired)


def percent(tally: Tally) -> str:
    """ "87 %", or "few" when there are too few reviews to say, "-" when there are none."""
    rate = tally.rate
    if rate is None:
        return "few" if tally.reviews else "-"
    return f"{rate:.0%}".replace("%", " %")


def summary(result: TrueRetention, period: str = "month") -> str:
    """One line for Settings: "Desired 90 % · true retention last 30 days: cards 87 % (212 reviews),
    questions 81 % (64)" (mature reviews), or what is missing in words."""
    row = result.row(period)
    parts = []
    for kind, name in (("card", "cards"), ("question", "questions")):
        t = row.tally(kind, True)
        if not t.reviews:
            parts.append(f"{name}: no mature reviews yet")
        elif t.rate is None:
            parts.append(f"{name}: too few mature reviews yet ({t.reviews})")
        else:
            parts.append(f"{name} {percent(t)} ({t.reviews}{' reviews' if not parts else ''})")
    desired = f"{result.desired:.0%}".replace("%", " %")
    return f"Desired {desired} · true retention {row.period.label.lower()}: " + ", ".join(parts)
