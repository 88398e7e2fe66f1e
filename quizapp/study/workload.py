"""Workload to the exam date: expected reviews a day at the desired retention and two others.

A higher target is paid for in reviews; this says how many, before the learner raises it (issue 16,
item 6). Each item's FSRS schedule is followed forward with the learner's own parameters, from the
state stored now, one study day at a time up to the exam (or 30 days without one):

- an item is reviewed on the day it falls due (overdue ones today). It is recalled with FSRS's
  retrievability at that moment, and both outcomes are followed, each with its probability, so the
  figures are expected values, not one random draw: the same history always gives the same answer.
  A recall is rated Good (what a right answer gives). A lapse is Again, relearned the same day (a
  second review that day, Good), and comes back after the short interval its lower stability gets;
- new flashcards come at the new-cards-per-day limit (today: what is left of it) until none is left
  unseen, each taking its two learning steps on its first day. New questions are not counted: the
  learner chooses when to practise unseen ones, and no limit paces them;
- the exam date caps every interval as the scheduler does (due at the latest the day before it);
- intervals are whole days, without fuzz, and nothing is held back by the daily question limit:
  this is the demand the schedule makes, which a limit would only defer.

A changed target applies from each item's next review on (what is already scheduled stays), which is
exactly what saving a new desired retention does.

Following every branch apart would grow without bound (each review doubles them); items and
branches in nearly the same state on the same day are merged instead (`_Days`), so a year of history
on the real bank takes tens of milliseconds to a 30-day horizon (`bench/workload.py`). Pure: no
store, no clock, no Textual; the app runs it in a worker, never on a keypress.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.study.days import study_day

if TYPE_CHECKING:
    from quizapp.store.records import ItemState
    from quizapp.study.days import StudyClock

DEFAULT_DAYS = 30
"""The horizon without an exam date (or with one today or past)."""
STEP = 0.05
"""The alternatives shown: the desired retention less and more this."""
LOWEST, HIGHEST = 0.70, 0.99
"""The range Settings accepts for desired retention."""
MAXIMUM_INTERVAL = 36500
"""py-fsrs's default maximum interval (days)."""


@dataclass(frozen=True)
class Forecast:
    """Expected reviews on each study day from today, at one desired retention."""

    retention: float
    per_day: tuple[float, ...]

    @property
    def total(self) -> float:
        return sum(self.per_day)

    @property
    def mean(self) -> float:
        """Expected reviews a day over the whole span."""
        return self.total / len(self.per_day) if self.per_day else 0.0

    @property
    def peak(self) -> float:
        return max(self.per_day, default=0.0)


@dataclass(frozen=True)
class Workload:
    """Forecasts at a few retentions, lowest first, for the days from `start` on."""

    start: date
    exam_date: date | None
    """The exam the span runs up to (exclusive), or None: the next DEFAULT_DAYS days."""
    current: float
    forecasts: tuple[Forecast, ...]

    @property
    def days(self) -> int:
        return len(self.forecasts[0].per_day) if self.forecasts else 0

    def at(self, retention: float) -> Forecast:
        return next(f for f in self.forecasts if math.isclose(f.retention, retention))

    @property
    def eve(self) -> bool:
        """Whether the last day is the day before the exam, when every item not due sooner comes
        back (the scheduler caps intervals there): shown apart, or it would swamp the average."""
        return self.exam_date is not None


def describe(workload: Workload) -> list[str]:
    """Settings' lines: the current retention first, then the others, e.g.
    "At 0.92: about 120 reviews a day to the exam on 21 Dec; at 0.87: 103, at 0.97: 181", and the day
    before the exam on a line of its own."""
    current = workload.at(workload.current)
    others = [f for f in workload.forecasts if f is not current]
    regular = workload.days - 1 if workload.eve else workload.days

    def line(head: str, value: Callable[[Forecast], float], tail: str) -> str:
        rest = ", ".join(f"at {f.retention:.2f}: {_reviews(value(f))}" for f in others)
        return f"{head}about {_reviews(value(current))} {tail}; {rest}"

    def eve(f: Forecast) -> float:
        return f.per_day[-1]

    at = f"At {current.retention:.2f}: "
    if regular <= 0:  # the exam is tomorrow: today is the day before it
        return [line(at, eve, "reviews today, the day before the exam, when everything comes back")]

    def mean(f: Forecast) -> float:
        return sum(f.per_day[:regular]) / regular

    span = (
        f"to the exam on {_day(workload.exam_date)}"
        if workload.exam_date
        else f"over the next {regular} days"
    )
    lines = [line(at, mean, f"reviews a day {span}")]
    if workload.eve:
        lines.append(line("The day before it, when everything comes back: ", eve, "reviews"))
    return lines


def _reviews(n: float) -> str:
    return "under 1" if 0 < n < 0.5 else f"{round(n)}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def alternatives(current: float) -> tuple[float, float, float]:
    """Three retentions, lowest first: the current one, one STEP below and one STEP above, kept in
    Settings' range (0.97: 0.92, 0.97, 0.99); at an end of the range, two on the other side
    (0.99: 0.89, 0.94, 0.99; 0.70: 0.70, 0.75, 0.80)."""
    current = min(HIGHEST, max(LOWEST, round(current, 2)))
    lower, upper = max(LOWEST, round(current - STEP, 2)), min(HIGHEST, round(current + STEP, 2))
    if lower == current:
        lower, upper = upper, round(current + 2 * STEP, 2)
    elif upper == current:
        lower, upper = round(current - 2 * STEP, 2), lower
    low, mid, high = sorted((lower, current, upper))
    return low, mid, high


def horizon(today: date, exam_date: date | None) -> int:
    """Study days forecast: from today up to the exam day (not included), else DEFAULT_DAYS."""
    if exam_date is not None and exam_date > today:
        return (exam_date - today).days
    return DEFAULT_DAYS


# ----------------------------------------------------------------------------- FSRS-6, in days


class _Model:
    """FSRS-6's stability and difficulty updates (as py-fsrs 6 computes them; a test checks them
    against its Scheduler), for one set of parameters and one desired retention."""

    def __init__(self, w: Sequence[float], retention: float) -> None:
        self.w = w = tuple(w)
        self.decay = -w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self.interval_per_stability = (retention ** (1 / self.decay) - 1) / self.factor
        self.easy_difficulty = w[4] - math.exp(w[5] * 3) + 1  # initial difficulty of Easy, unclamped
        self.short_good = math.exp(w[17] * w[18])  # same-day Good: exp(w17 * (3 - 3 + w18))
        self.recall_good = math.exp(w[8])

    def retrievability(self, elapsed: float, stability: float) -> float:
        return (1 + self.factor * max(0.0, elapsed) / stability) ** self.decay

    def interval(self, stability: float) -> int:
        return max(1, min(MAXIMUM_INTERVAL, round(stability * self.interval_per_stability)))

    def difficulty(self, d: float, rating: int) -> float:
        w = self.w
        damped = d + (10.0 - d) * (-(w[6] * (rating - 3))) / 9.0
        return min(10.0, max(1.0, w[7] * self.easy_difficulty + (1 - w[7]) * damped))

    def recall(self, d: float, s: float, r: float) -> float:
        """Stability after a Good recall at retrievability r."""
        w = self.w
        grown = s * (1 + self.recall_good * (11 - d) * s ** -w[9] * (math.exp((1 - r) * w[10]) - 1))
        return max(0.001, grown)

    def forget(self, d: float, s: float, r: float) -> float:
        """Stability after Again at retrievability r."""
        w = self.w
        long_term = w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp((1 - r) * w[14])
        return max(0.001, min(long_term, s / self.short_good))

    def same_day_good(self, s: float) -> float:
        """Stability after a Good within the same day (a learning or relearning step)."""
        return max(0.001, s * max(1.0, self.short_good * s ** -self.w[19]))


# ----------------------------------------------------------------------------- the forecast


@dataclass(frozen=True)
class _Item:
    """An item in the review state as the forecast starts it: stability, difficulty, the study day
    of its last review (0 is today, negative before) and the day it is due (0: today or overdue)."""

    stability: float
    difficulty: float
    last: int
    due: int


class _Days:
    """What falls due on each future day, as weighted states.

    FSRS's update does not depend on which item it is, so items (and branches) due the same day
    with the same elapsed days and nearly the same stability (within about 20 %) and difficulty
    (within 0.5) are merged into one state that carries their total weight and their weighted mean
    stability and difficulty. The work then follows the number of distinct states a day, not items
    times branches; merging by means (not by rounding to a grid) keeps the expected counts within a
    fraction of a percent of following every branch apart (a test checks it).
    """

    def __init__(self, days: int) -> None:
        self.days = days
        self.due: list[dict[tuple[int, int, int], list[float]]] = [{} for _ in range(days)]

    def add(self, day: int, elapsed: int, stability: float, difficulty: float, weight: float) -> None:
        if day >= self.days:
            return
        key = (elapsed, round(math.log(stability) * _S_STEPS), round(difficulty * _D_STEPS))
        slot = self.due[day].get(key)
        if slot is None:
            self.due[day][key] = [weight, weight * stability, weight * difficulty]
        else:
            slot[0] += weight
            slot[1] += weight * stability
            slot[2] += weight * difficulty


_S_STEPS = 5
"""Stabilities merge within a factor e ** (1 / 5), about 20 %. Finer steps change the expected
totals by under 0.1 % on a year of history and cost twice the time (measured with 10 and 4)."""
_D_STEPS = 2
"""Difficulties merge within 0.5."""


def _run(model: _Model, due: _Days, counts: list[float], cap: int | None) -> None:
    """Review what falls due each day, both outcomes weighted by their probability, and add the
    expected reviews to `counts` (a lapse is relearned the same day: one more review).

    `_Model`'s updates written out inline: this loop runs once per state a day, and Python's calls
    would be most of its cost (a test checks it against `_Model` and py-fsrs)."""
    w = model.w
    exp, log = math.exp, math.log
    decay, factor, per_s = model.decay, model.factor, model.interval_per_stability
    recall_k, short_good = model.recall_good, model.short_good
    # Difficulty after Good and after Again-then-Good are linear in d before clamping.
    mean_rev = w[7] * model.easy_difficulty
    good = lambda d: min(10.0, max(1.0, mean_rev + (1 - w[7]) * d))  # noqa: E731 - Good: no change before reversion
    again = lambda d: min(10.0, max(1.0, mean_rev + (1 - w[7]) * (d + (10.0 - d) * 2 * w[6] / 9.0)))  # noqa: E731
    w9, w10, w11, w12, w13, w14, w19 = w[9], w[10], w[11], w[12], w[13], w[14], w[19]
    days = due.days
    for day in range(days):
        capped = cap is not None and day < cap
        for (elapsed, _, _), (weight, ws, wd) in due.due[day].items():
            s, d = ws / weight, wd / weight
            r = (1 + factor * elapsed / s) ** decay
            counts[day] += weight * (2 - r)
            # Recalled (Good).
            s_pass = max(0.001, s * (1 + recall_k * (11 - d) * s**-w9 * (exp((1 - r) * w10) - 1)))
            # Forgotten (Again), relearned the same day (Good).
            s_lapse = max(
                0.001, min(w11 * d**-w12 * ((s + 1) ** w13 - 1) * exp((1 - r) * w14), s / short_good)
            )
            s_fail = max(0.001, s_lapse * max(1.0, short_good * s_lapse**-w19))
            for p, s_next, d_next in ((r, s_pass, good(d)), (1 - r, s_fail, good(again(d)))):
                next_due = day + max(1, min(MAXIMUM_INTERVAL, round(s_next * per_s)))
                if capped and next_due > cap:  # type: ignore[operator]
                    next_due = cap
                if next_due >= days:
                    continue
                key = (next_due - day, round(log(s_next) * _S_STEPS), round(d_next * _D_STEPS))
                bucket = due.due[next_due]
                slot = bucket.get(key)
                weight_p = weight * p
                if slot is None:
                    bucket[key] = [weight_p, weight_p * s_next, weight_p * d_next]
                else:
                    slot[0] += weight_p
                    slot[1] += weight_p * s_next
                    slot[2] += weight_p * d_next
        due.due[day] = {}


def forecast(
    items: Iterable[_Item],
    new_per_day: Sequence[int],
    parameters: Sequence[float] | None,
    retention: float,
    days: int,
    cap: int | None,
) -> Forecast:
    """Expected reviews on each of `days` days: `items` followed forward, plus `new_per_day[i]`
    new flashcards introduced on day i (two learning steps, then the review state)."""
    model = _Model(parameters or DEFAULT_PARAMETERS, retention)
    counts = [0.0] * days
    due = _Days(days)
    for item in items:
        due.add(item.due, item.due - item.last, item.stability, item.difficulty, 1.0)
    if any(new_per_day):
        w = model.w
        # A new card rated Good twice on its first day: initial stability and difficulty, then a
        # same-day Good (py-fsrs's default learning steps, 1 and 10 minutes) into the review state.
        s = model.same_day_good(max(0.001, w[2]))
        d = model.difficulty(min(10.0, max(1.0, w[4] - math.exp(w[5] * 2) + 1)), Rating.Good)
        first = model.interval(s)
        for day, n in enumerate(new_per_day[:days]):
            if n:
                counts[day] += 2 * n
                next_due = day + first
                if cap is not None and day < cap:
                    next_due = min(next_due, cap)
                due.add(next_due, next_due - day, s, d, float(n))
    _run(model, due, counts, cap)
    return Forecast(round(retention, 2), tuple(counts))


def workload(
    states: Iterable[ItemState],
    *,
    unseen_cards: int,
    new_cards_per_day: int,
    new_cards_today: int,
    days: StudyClock,
    exam_date: date | None,
    desired_retention: float,
    parameters: Sequence[float] | None,
    retentions: Sequence[float] | None = None,
) -> Workload:
    """The forecast at `retentions` (default: `alternatives(desired_retention)`) for the learner's
    study days (their cut-off and time zone) from today to the exam."""
    today = days.today()
    n = horizon(today, exam_date)
    cap = n - 1 if exam_date is not None and exam_date > today else None
    ends = [e.timestamp() for e in days.ends(n)]
    scheduler = Scheduler(
        parameters=tuple(parameters or DEFAULT_PARAMETERS),
        desired_retention=desired_retention,
        enable_fuzzing=False,
    )
    items: list[_Item] = []
    steps = [0.0] * n  # learning and relearning steps, the same at every retention
    for state in states:
        item = _start(state, scheduler, days, today, ends, steps, cap)
        if item is not None:
            items.append(item)
    new = _new_cards(unseen_cards, new_cards_per_day, new_cards_today, n)
    chosen = tuple(sorted(retentions)) if retentions else alternatives(desired_retention)
    forecasts = []
    for retention in chosen:
        f = forecast(items, new, parameters, retention, n, cap)
        forecasts.append(Forecast(f.retention, tuple(a + b for a, b in zip(f.per_day, steps, strict=True))))
    return Workload(
        today, exam_date if cap is not None else None, round(desired_retention, 2), tuple(forecasts)
    )


def _new_cards(unseen: int, per_day: int, today: int, days: int) -> list[int]:
    out, left = [], max(0, unseen)
    for day in range(days):
        n = min(left, max(0, today if day == 0 else per_day))
        out.append(n)
        left -= n
    return out


def _day_index(moment: datetime, days: StudyClock, today: date) -> int:
    return (study_day(moment, days.cutoff_hour, days.tz) - today).days


def _due_index(due: float, ends: list[float]) -> int:
    """The study day an epoch time falls due in: 0 for today and overdue, len(ends) past the span."""
    return bisect_right(ends, due) if due >= ends[0] else 0


def _start(
    state: ItemState,
    scheduler: Scheduler,
    days: StudyClock,
    today: date,
    ends: list[float],
    steps: list[float],
    cap: int | None,
) -> _Item | None:
    """Where the forecast starts the item: its stored state if in review; an item in its learning
    or relearning steps takes them (Good) on the day it is due, counted in `steps`, and starts from
    the review state they lead to. None for a state FSRS cannot use or one past the span."""
    from quizapp.study.srs import load_card

    card = load_card(state.card)
    if card is None or card.stability is None or card.difficulty is None or card.last_review is None:
        return None
    due = _due_index(state.due, ends)
    if due >= len(ends):
        return None
    if card.state != State.Review:
        card, taken = _graduate(card, scheduler)
        steps[due] += taken
        last = due
        due = due + max(1, round((card.due - card.last_review) / timedelta(days=1)))  # type: ignore[operator]
        if cap is not None and last < cap:
            due = min(due, cap)
    else:
        last = _day_index(card.last_review, days, today)
    return _Item(float(card.stability), float(card.difficulty), last, due)  # type: ignore[arg-type]


def _graduate(card: Card, scheduler: Scheduler) -> tuple[Card, int]:
    """The card after Good at each remaining step, and how many reviews that took."""
    taken = 0
    at = max(card.due, card.last_review or card.due)
    while card.state != State.Review and taken < 5:
        card, _ = scheduler.review_card(card, Rating.Good, review_datetime=at)
        taken += 1
        at = card.due
    return card, taken
