"""Does FSRS over- or under-predict this learner's recall? Checked against their own answers.

Each review of a question already seen is a test of the scheduler: FSRS said the learner would recall
it with probability R, and the answer was right or wrong. Collected over the history, those tests fit a
correction (Platt scaling on the logit of R, with the guessing floor in the likelihood):

    recall = sigmoid(a + b * logit(R)),   P(right) = recall + (1 - recall) * guess

`a = 0, b = 1` is "FSRS is right about you". The fit is a penalised maximum likelihood with a normal
prior around that (`PRIOR_SD`), so a thin history barely moves it, and its Laplace covariance is kept:
the pass-probability interval draws corrections from it, so doubt about the memory model widens the
interval rather than hiding in the point estimate.

The evidence is binned as it is collected (logit R in steps of `BIN_WIDTH`, by guessing rate), so it
can be kept as a summary that grows with each review instead of a re-read of the whole log; a fit
then costs a few hundred operations whatever the history's length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.store import ReviewRecord
    from quizapp.study.srs import Srs

R_FLOOR, R_CEIL = 0.005, 0.995
"""Retrievability is clipped here before taking its logit: FSRS says exactly 1.0 on the day of a
review, and no one recalls anything with certainty."""
BIN_WIDTH = 0.25
"""Evidence bins in logit R; a quarter is about 2 points of R near 0.9, finer than any history can
resolve."""
PRIOR_SD = (0.5, 0.25)
"""Prior spread of the intercept and of the slope around "no correction". A shift of 0.5 in logit R
moves a predicted 90 % to 85 % or 94 %: personal differences of that size are common, larger ones need
evidence. The slope is held closer: below about 0.5, R would carry almost no information about
recall, which no FSRS fit to real learners has shown."""
EXAM_DAY_SD = 0.15
"""Spread (logit) kept on the correction however many reviews back it. Reviews test recall days after
learning, near the desired retention; the exam asks about the same items weeks later, and a learner's
memory departs from FSRS's defaults in item-specific ways (initial stability, growth, decay) that one
correction fitted on reviews cannot pin down. Without it the interval narrows to a certainty the
model does not have. In the calibration simulation (960 learners), learners' true pass chances fell
inside their 80 % intervals 79 % of the time with 0.15, 87 % with 0.3."""
MIN_ELAPSED_DAYS = 1
"""Reviews of an item seen earlier the same day are left out: FSRS says R = 1 for them, so they test
short-term memory of the feedback, not the forgetting curve the exam date depends on."""


def logit(r: float) -> float:
    r = min(max(r, R_FLOOR), R_CEIL)
    return math.log(r / (1 - r))


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


@dataclass(frozen=True)
class ForgettingCurve:
    """FSRS's retrievability, read straight from a stored card: the same formula and whole-day count
    as `fsrs.Scheduler.get_card_retrievability`, without building a `Card` per item (hundreds of
    items per prediction, thousands of reviews per fit)."""

    decay: float
    factor: float

    @staticmethod
    def of(srs: Srs) -> ForgettingCurve:
        scheduler = srs.scheduler()
        decay = -float(scheduler.parameters[20])
        return ForgettingCurve(decay, 0.9 ** (1 / decay) - 1)

    def recall(self, card: Mapping[str, Any], at: datetime) -> float | None:
        """R of a stored card at `at`, or None when the card has no usable memory state (such an
        item counts as unseen, as it does everywhere else)."""
        elapsed = self.elapsed_days(card, at)
        if elapsed is None:
            return None
        return (1 + self.factor * elapsed / card["stability"]) ** self.decay

    @staticmethod
    def elapsed_days(card: Mapping[str, Any], at: datetime) -> int | None:
        try:
            stability = card["stability"]
            last = datetime.fromisoformat(card["last_review"])
        except (KeyError, TypeError, ValueError):
            return None
        if not isinstance(stability, int | float) or not 0 < stability < 1e6 or last.tzinfo is None:
            return None
        return max(0, (at - last).days)


@dataclass
class RecallEvidence:
    """Reviews of seen questions, binned by (logit-R bin, guessing rate): [reviews, right, sum of
    logit R]. Add one review at a time; `fit_calibration` reads it."""

    bins: dict[tuple[int, float], list[float]] = field(default_factory=dict)

    def add(self, recall: float, guess: float, right: bool) -> None:
        x = logit(recall)
        key = (round(x / BIN_WIDTH), round(guess, 6))
        row = self.bins.setdefault(key, [0, 0, 0.0])
        row[0] += 1
        row[1] += bool(right)
        row[2] += x

    @property
    def reviews(self) -> int:
        return int(sum(row[0] for row in self.bins.values()))

    def rows(self) -> Iterator[tuple[float, float, float, float]]:
        """(mean logit R, guessing rate, reviews, right) per bin."""
        for (_, guess), (n, k, sx) in sorted(self.bins.items()):
            yield sx / n, guess, n, k


def recall_evidence(reviews: Iterable[ReviewRecord], guess: Mapping[str, float], srs: Srs) -> RecallEvidence:
    """The evidence in a review log (read once, oldest first or not): every review of a question
    that had been reviewed on an earlier day, with FSRS's R just before it and whether it was right
    (any rating but Again). Flashcards are left out: their ratings are the learner's own verdict, and
    the prediction is about exam questions."""
    curve = ForgettingCurve.of(srs)
    evidence = RecallEvidence()
    for review in reviews:
        if review.kind != "question" or review.before is None or review.item_id not in guess:
            continue
        at = datetime.fromisoformat(review.reviewed_at)
        elapsed = curve.elapsed_days(review.before.card, at)
        if elapsed is None or elapsed < MIN_ELAPSED_DAYS:
            continue
        recall = curve.recall(review.before.card, at)
        assert recall is not None
        evidence.add(recall, guess[review.item_id], review.rating > 1)
    return evidence


@dataclass(frozen=True)
class Calibration:
    """recall = sigmoid(a + b * logit(R)); `cov` = (var a, cov ab, var b) of the fit."""

    a: float = 0.0
    b: float = 1.0
    cov: tuple[float, float, float] = (PRIOR_SD[0] ** 2, 0.0, PRIOR_SD[1] ** 2)
    reviews: int = 0
    """Reviews the fit rests on (0: the prior alone, FSRS as it is)."""

    def recall(self, r: float) -> float:
        return sigmoid(self.a + self.b * logit(r))

    def draw(self, z1: float, z2: float, z3: float) -> tuple[float, float]:
        """A plausible (a, b) from three standard normal deviates: the fit's normal approximation
        (through its Cholesky factor), plus the exam-day spread `EXAM_DAY_SD` on the intercept.

        That spread is doubt about the model, not evidence of worse memory, so it must widen the
        interval without moving the mean: noise on a logit pulls the average recall toward one half
        (a 90 % recall averages 89.7 % under it). The drawn logit is therefore stretched by
        sqrt(1 + pi sd^2 / 8) first, which keeps E[sigmoid] where it was (the probit approximation)."""
        var_a, cov_ab, var_b = self.cov
        sd_a = math.sqrt(max(var_a, 0.0))
        l21 = cov_ab / sd_a if sd_a else 0.0
        l22 = math.sqrt(max(var_b - l21 * l21, 0.0))
        stretch = math.sqrt(1 + math.pi * EXAM_DAY_SD**2 / 8)
        a = stretch * (self.a + sd_a * z1) + EXAM_DAY_SD * z3
        b = stretch * (self.b + l21 * z1 + l22 * z2)
        return min(max(a, -20.0), 20.0), min(max(b, -20.0), 20.0)  # no overflow in exp, whatever the fit

    def describe(self) -> str:
        """In words: how the learner's recall compares with FSRS's prediction, at R = 90 %."""
        if not self.reviews:
            return "no reviews yet to check FSRS's recall predictions against"
        at90 = self.recall(0.9)
        if abs(at90 - 0.9) < 0.02:
            how = "about as FSRS predicts"
        else:
            side = "more" if at90 > 0.9 else "less"
            how = f"{side} than FSRS predicts ({round(at90 * 100)} % where it says 90 %)"
        return f"you recall {how}, from {self.reviews} reviews"


def fit_calibration(evidence: RecallEvidence, prior_sd: tuple[float, float] = PRIOR_SD) -> Calibration:
    """The penalised maximum-likelihood correction, by Fisher scoring (two parameters, so a 2x2
    solve per step; it converges in a handful of steps)."""
    rows = list(evidence.rows())
    n_reviews = int(sum(row[2] for row in rows))
    pa, pb = 1 / prior_sd[0] ** 2, 1 / prior_sd[1] ** 2
    if not rows:
        return Calibration(cov=(1 / pa, 0.0, 1 / pb))
    a, b = 0.0, 1.0
    i_aa = i_ab = i_bb = 0.0
    for _ in range(100):
        g_a, g_b = -pa * a, -pb * (b - 1)
        i_aa, i_ab, i_bb = pa, 0.0, pb
        for x, guess, n, k in rows:
            c = sigmoid(a + b * x)
            p = min(max(guess + (1 - guess) * c, 1e-12), 1 - 1e-12)
            slope = (1 - guess) * c * (1 - c)  # dP/d(eta)
            score = slope * (k / p - (n - k) / (1 - p))
            weight = n * slope * slope / (p * (1 - p))
            g_a += score
            g_b += score * x
            i_aa += weight
            i_ab += weight * x
            i_bb += weight * x * x
        det = i_aa * i_bb - i_ab * i_ab
        step_a = (i_bb * g_a - i_ab * g_b) / det
        step_b = (i_aa * g_b - i_ab * g_a) / det
        scale = min(1.0, 2.0 / max(abs(step_a), abs(step_b), 1e-12))  # no wild first steps
        a += scale * step_a
        b += scale * step_b
        if max(abs(step_a), abs(step_b)) < 1e-9:
            break
    det = i_aa * i_bb - i_ab * i_ab
    return Calibration(a, b, (i_bb / det, -i_ab / det, i_aa / det), n_reviews)
