"""Personal FSRS parameters: fit the 21 FSRS-6 weights to the learner's own review log.

A pure function of the merged review log (`fit_parameters`): no store, no clock, no randomness that
is not seeded. Two machines holding the same history (after export/import, in any insertion order)
and the same "next day starts at" get the same parameters, because

- reviews are ordered by (reviewed_at, item id, rating, mode, kind), never by the store's row ids,
  which differ between machines (an import merges reviews on (item, time, rating, mode), so those
  fields are the review's identity);
- fsrs-rs trains with a fixed `TrainingConfig` seed on items in that order;
- the result is rounded to 4 decimals (as FSRS publishes its defaults): the last bits of an f32 fit
  may differ between CPUs (SIMD paths), 4 decimals do not, short of a rounding boundary.

What one training item is (as fsrs-rs and Anki build them): for every review that comes a study day
or more after the item's previous review, the item's reviews up to and including it; its outcome
(rating > Again: recalled) is the label, the reviews before it are the history. `delta_t` is in study
days (`study.days`: a day starts at the learner's cut-off hour, local time), so two reviews in one
study day are 0 days apart: they shape the short-term stability but are never labels. An item whose
reviews all fall in one study day yields no training item at all, which is also what keeps fsrs-rs
from panicking (it needs a review with delta_t > 0 in every item).

Guesses: an answer the learner marked as a guess (rated Hard) is kept in the history of later
items, because the learner did see the question and its explanation then and the next interval
counts from it, but it is never a label: "right, but guessed" says nothing about recall (a lucky
pick among four options), and fsrs-rs takes no per-item weights, so down-weighting is not on offer.

Held-out check: training items are ordered by the time of their labelled review; the fit sees the
earlier 80 %, and both the fit and the parameters in use are scored on the most recent 20 %: log
loss as fsrs-rs's `evaluate` computes it, each review weighted by its recency within that set (from
0.25 to 1), the same reviews in the same order for both. The fit is adopted only when it scores lower and
py-fsrs's `Scheduler` takes its parameters unchanged.

fsrs-rs is imported on first use, so `FitResult` costs nothing to import.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from quizapp.store.records import AnswerRecord, ReviewRecord
from quizapp.study.days import study_day

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

PARAMETER_COUNT = 21
HOLDOUT = 0.20
"""Share of labelled reviews (the most recent) kept out of the fit to judge it."""
MIN_OUTCOMES = 400
MIN_ITEMS = 50
"""The least history worth fitting: 400 labelled reviews (a day or more after the item's previous
review, guesses left out) over 50 items. fsrs-rs trains all 21 weights only from 64 training items
(after its outlier filter), below that it fits the 4 initial stabilities alone; 400 leaves 320 to
train on and 80 to judge with, and a held-out log loss over fewer than ~80 outcomes moves by more
than the gap between a good fit and the defaults. 50 items keep one hard card from being the model."""
SEED = 2023
"""The fixed TrainingConfig seed (fsrs-rs's own default, pinned so a new default changes nothing)."""
DECIMALS = 4


@dataclass(frozen=True)
class FitResult:
    """What a fit did, in numbers and in words. `parameters` is set only when `adopted`."""

    adopted: bool
    reason: str
    parameters: tuple[float, ...] | None = None
    fitted: tuple[float, ...] | None = None
    """What the fit produced, adopted or not (None when it did not run)."""
    reviews: int = 0
    """Reviews in the log given (flashcards and questions)."""
    used: int = 0
    """Labelled reviews: a study day or more after the item's previous review, guesses left out."""
    train: int = 0
    test: int = 0
    items: int = 0
    """Items with at least one labelled review."""
    guesses: int = 0
    """Labelled reviews left out because the learner marked the answer as a guess."""
    log_loss: float | None = None
    """The fit's log loss on the held-out reviews (lower is better)."""
    current_log_loss: float | None = None
    """The log loss of the parameters in use on the same reviews."""
    default_log_loss: float | None = None
    """The log loss of FSRS's default parameters on the same reviews."""
    failed: bool = False
    """True when the fit could not run (fsrs-rs failed, the worker timed out, the store could not
    be read), as opposed to running and being declined."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("parameters", "fitted"):
            data[key] = list(data[key]) if data[key] is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FitResult:
        """The inverse of `to_dict` (the worker's answer); unknown keys are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("parameters", "fitted"):
            if values.get(key) is not None:
                values[key] = tuple(float(x) for x in values[key])
        return cls(**values)

    @classmethod
    def failure(cls, reason: str, **counts: Any) -> FitResult:
        return cls(adopted=False, reason=reason, failed=True, **counts)


@dataclass(frozen=True)
class Outcome:
    """One training item before it becomes an FSRSItem: its reviews as (rating, delta_t) and the
    ordering key of its labelled (last) review."""

    key: tuple[str, str, int, str, str]
    reviews: tuple[tuple[int, int], ...]


def review_key(r: ReviewRecord) -> tuple[str, str, int, str, str]:
    """A review's place in the merged log, the same on every machine (no row ids)."""
    return (r.reviewed_at, r.item_id, r.rating, r.mode, r.kind)


def guess_keys(reviews: Iterable[ReviewRecord], answers: Iterable[AnswerRecord]) -> set[tuple]:
    """The reviews that record an answer marked as a guess, by their machine-independent key
    (answers link to reviews by the local `review_id`)."""
    by_id = {r.id: r for r in reviews}
    return {review_key(by_id[a.review_id]) for a in answers if a.guess and a.review_id in by_id}


def outcomes(
    reviews: Iterable[ReviewRecord],
    cutoff_hour: int,
    tz: tzinfo | None = None,
    guesses: Collection[tuple] = (),
) -> tuple[list[Outcome], int]:
    """The training items of a review log, oldest label first, and how many labels were guesses.

    A review whose rating is not 1-4 or whose time cannot be read is skipped (fsrs-rs refuses the
    whole fit for one bad rating)."""
    per_item: dict[str, list[tuple[tuple, date, int]]] = {}
    for r in sorted(reviews, key=review_key):
        if isinstance(r.rating, bool) or r.rating not in (1, 2, 3, 4):
            continue
        try:
            day = study_day(datetime.fromisoformat(r.reviewed_at), cutoff_hour, tz)
        except (TypeError, ValueError, OverflowError):
            continue
        per_item.setdefault(r.item_id, []).append((review_key(r), day, r.rating))
    found: list[Outcome] = []
    guessed = 0
    for log in per_item.values():
        history: list[tuple[int, int]] = []
        previous: date | None = None
        for key, day, rating in log:
            delta = 0 if previous is None else (day - previous).days
            history.append((rating, max(delta, 0)))
            previous = day
            if delta > 0:
                if key in guesses:
                    guessed += 1
                else:
                    found.append(Outcome(key, tuple(history)))
    found.sort(key=lambda o: o.key)
    return found, guessed


def fit_parameters(
    reviews: Sequence[ReviewRecord],
    current_parameters: Sequence[float] | None,
    cutoff_hour: int,
    *,
    answers: Iterable[AnswerRecord] = (),
    tz: tzinfo | None = None,
    min_outcomes: int = MIN_OUTCOMES,
    min_items: int = MIN_ITEMS,
) -> FitResult:
    """Fit FSRS-6 parameters to `reviews` (the merged log, any order) and say whether to adopt them.

    `current_parameters` are those in use (None: FSRS's defaults); `answers` tell which reviews
    were guesses; `tz` is the learner's zone for study days (None: the system's). Never raises for
    anything fsrs-rs does: a failure (a Rust panic included) comes back as a `failed` result in
    words; KeyboardInterrupt and SystemExit still propagate.
    """
    guesses = guess_keys(reviews, answers)
    found, guessed = outcomes(reviews, cutoff_hour, tz, guesses)
    items = len({o.key[1] for o in found})
    counts: dict[str, Any] = {"reviews": len(reviews), "used": len(found), "items": items, "guesses": guessed}
    if len(found) < min_outcomes or items < min_items:
        return FitResult(
            adopted=False,
            reason=(
                f"not enough history yet: {len(found)} reviews a day or more after the item's previous "
                f"review, over {items} items; a fit needs {min_outcomes} over {min_items} items"
            ),
            **counts,
        )
    cut = len(found) - max(1, round(len(found) * HOLDOUT))
    train, test = found[:cut], found[cut:]
    counts.update(train=len(train), test=len(test))
    try:
        return _fit(train, test, current_parameters, counts)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException is a BaseException
        return FitResult.failure(
            f"the fit failed inside fsrs-rs ({type(exc).__name__}: {_first_line(exc)}); "
            "the parameters in use are kept",
            **counts,
        )


def _fit(
    train: list[Outcome], test: list[Outcome], current: Sequence[float] | None, counts: dict[str, Any]
) -> FitResult:
    from fsrs.scheduler import DEFAULT_PARAMETERS
    from fsrs_rs_python import FSRS

    in_use = tuple(current) if current is not None else tuple(DEFAULT_PARAMETERS)
    fitted = rounded(compute(_items(train)))
    counts["fitted"] = fitted
    test_items = _items(test)

    def loss(parameters: Sequence[float]) -> float:
        return float(FSRS(list(parameters)).evaluate(test_items).log_loss)

    fit_loss, current_loss, default_loss = loss(fitted), loss(in_use), loss(DEFAULT_PARAMETERS)
    counts.update(log_loss=fit_loss, current_log_loss=current_loss, default_log_loss=default_loss)
    which = "the defaults" if current is None else "your current parameters"
    scores = f"log loss {fit_loss:.4f} against {current_loss:.4f} for {which}"
    on = f"the most recent {len(test)} reviews"
    problem = scheduler_problem(fitted)
    if problem is not None:
        return FitResult(
            adopted=False,
            reason=f"the fitted parameters do not load into py-fsrs ({problem}); {which} stay in use",
            **counts,
        )
    if fitted == in_use:
        return FitResult(adopted=False, reason=f"the fit gives {which} again; they stay in use", **counts)
    if not (math.isfinite(fit_loss) and fit_loss < current_loss):
        return FitResult(
            adopted=False,
            reason=f"the fit predicts {on} no better than {which} ({scores}); {which} stay in use",
            **counts,
        )
    return FitResult(
        adopted=True,
        reason=f"the fit predicts {on} better than {which} ({scores})",
        parameters=fitted,
        **counts,
    )


def _items(found: list[Outcome]) -> list[FSRSItem]:
    from fsrs_rs_python import FSRSItem, FSRSReview

    items = [FSRSItem([FSRSReview(rating, delta) for rating, delta in o.reviews]) for o in found]
    # Built so that each has a review a day or more apart; checked again, since one that has none
    # makes fsrs-rs panic instead of raising.
    return [item for item in items if item.long_term_review_cnt() > 0]


def compute(items: list[FSRSItem]) -> list[float]:
    """fsrs-rs's fit with the fixed seed (the one call into Rust that can panic; tests replace it)."""
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, TrainingConfig

    model = FSRS(list(DEFAULT_PARAMETERS))
    return list(model.compute_parameters(items, training_config=TrainingConfig(seed=SEED)))


def rounded(parameters: Iterable[float]) -> tuple[float, ...]:
    """The parameters rounded to 4 decimals. Every py-fsrs bound is a multiple of 0.001, so a value
    fsrs-rs clamped in f32 (0.8 is 0.800000011920929) comes back inside its bound."""
    return tuple(round(float(p), DECIMALS) for p in parameters)


def scheduler_problem(parameters: Sequence[float]) -> str | None:
    """Why py-fsrs's Scheduler would not take these parameters as they are, or None."""
    from fsrs import Scheduler

    values = tuple(parameters)
    if len(values) != PARAMETER_COUNT:
        return f"{PARAMETER_COUNT} numbers are needed, not {len(values)}"
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        return "every parameter must be a finite number"
    try:
        loaded = Scheduler(parameters=values).parameters
    except (TypeError, ValueError) as exc:
        return " ".join(str(exc).split())[:200]
    if tuple(loaded) != values:
        return "py-fsrs changed them while loading"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no message"
