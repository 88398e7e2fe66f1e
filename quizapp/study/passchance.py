"""Will I pass? P(scaled score >= the pass mark) on a date, with an 80 % interval and the reason.

The model, item by item, on the target date:
- a question already answered is recalled with FSRS's retrievability R, corrected by what the
  learner's own reviews say about R (`recall_calibration`); one not recalled is still answered, and
  right at its guessing rate g (`guessing`): p = r + (1 - r) g. The guessing term matters: someone who
  has forgotten an item still picks an answer, and is right on a four-option item one time in four;
  without it a long gap would predict scores below what guessing gets.
- a question never answered is known with the learner's knowledge k of its task statement, else
  guessed: p = k + (1 - k) g. k comes from first answers in that task (later answers are reviews,
  already in the FSRS states), net of lucky guesses, in a posterior pooled toward the learner's level
  over all tasks, itself shrunk toward knowing little (`knowledge`: computed on a grid, as the
  likelihood is not conjugate; a right first answer counts as right whatever came after, as that
  likelihood is about the first answer alone). Knowing before studying is lasting knowledge, so a
  question whose first answer was right, and never wrong since, keeps on top of its FSRS recall the chance
  k / (k + (1 - k) g) that it was known all along. With no answers at all every p is about the
  guessing rate, and the pass chance is near zero.
- every item is all or nothing, as graded: multi, ordering and matching have tiny guessing rates.

The exam: `length` items (the real exam's 50 scored ones by default) dealt by the blueprint as
`exam.assemble` deals them: domain quotas by weight, spread over each domain's task statements in
turn, uniformly within a task. Rather than simulating forms one by one, the number right over all such
forms is integrated exactly in its first two moments (with the finite-pool correction) and turned into
P(pass) by a normal approximation with continuity and skewness (Edgeworth) corrections; brute-force
simulation of 3,000 forms from `exam.assemble` agrees within two points (tests/study/
test_passchance.py). That is exact in the form draw, free of simulation noise, and fast enough for
Home. A known form (an exam about to start: `form=`) is scored on its own items.

The interval is what the history leaves uncertain: `replicates` plausible learners are drawn from the
posterior (a parametric bootstrap of the history: the learner's level and each task's knowledge, the
share of never-answered questions that knowledge covers, the recall correction from its normal
approximation plus an exam-day spread), each gives its own P(pass); `p` is their mean (the
posterior predictive, which is what calibration checks) and `low`/`high` their 10th and 90th
percentiles. More evidence, narrower interval. tests/study/test_pass_calibration.py checks both on
simulated learners whose memory is known.

Inputs are summaries, never the raw log, so they can come from summary tables: question states, two
flags per answered question (`first_tries`), and a `Calibration` fitted from binned review evidence
(`recall_calibration`). On the real bank with a year of history a prediction takes about 30 ms
(bench/passchance.py).
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from quizapp.store.summaries import FirstTry
from quizapp.study.exam import scaled_score
from quizapp.study.guessing import guess_rates
from quizapp.study.pass_figure import PassChance, _bare, percent, target_moment
from quizapp.study.passforms import FormPlan, RandomPlan
from quizapp.study.passmodel import Learner
from quizapp.study.recall_calibration import Calibration, ForgettingCurve

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.store import AnswerRecord, ItemState
    from quizapp.study.srs import Srs

REPLICATES = 200
"""Learners drawn from the posterior (100 antithetic pairs) for the mean and the interval."""
INTERVAL = (0.10, 0.90)

FirstTries = Mapping[str, FirstTry]
"""Question id -> its first answer right (not marked as a guess), and that and none wrong since."""


def first_tries(answers: Iterable[AnswerRecord]) -> dict[str, FirstTry]:
    """Each answered question: was it known before studying, as far as the answers can tell? Two
    facts (`FirstTry`), as they feed two things. `right`: its first answer right (a right answer the
    learner marked as a guess is not: they said so); that is the task's knowledge evidence, whose
    likelihood is about the first answer alone, so a later miss does not change it (counting it
    wrong biased the knowledge low for every learner who ever slips). `kept`: right, and none wrong
    since (what was known before studying is not forgotten in weeks, so a later miss says the first
    right answer was luck or fresh); that is whether a seen question may count as known all along.
    Read once, oldest first, as `ProgressStore.answers` yields them; a summary table can keep it with
    two flags per question, `kept` cleared by any wrong answer."""
    first: dict[str, FirstTry] = {}
    for answer in answers:
        qid = answer.question_id
        if qid not in first:
            right = bool(answer.correct and not answer.guess)
            first[qid] = FirstTry(right, right)
        elif not answer.correct and first[qid].kept:
            first[qid] = FirstTry(first[qid].right, False)
    return first


def brier(predictions: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean squared error of probability forecasts against what happened (0 is perfect; always
    saying 50 % scores 0.25)."""
    if len(predictions) != len(outcomes):
        raise ValueError("one outcome per prediction")
    if not predictions:
        raise ValueError("no predictions to score")
    return sum((p - bool(o)) ** 2 for p, o in zip(predictions, outcomes, strict=True)) / len(predictions)


def pass_probability(
    bank: Bank,
    states: Mapping[str, ItemState],
    first: FirstTries,
    srs: Srs,
    on: date | datetime,
    rng_seed: int = 0,
    *,
    calibration: Calibration | None = None,
    length: int | None = None,
    form: Sequence[str] | None = None,
    replicates: int = REPLICATES,
) -> PassChance:
    """The pass chance on `on` for an exam of `length` items dealt by the blueprint (default: the
    scored part of the real exam), or for the given `form` of question ids. `states` are the
    questions' FSRS states, `first` each answered question's first tries (`first_tries`), `srs` the
    scheduler in use (its parameters give R). Same inputs and seed, same answer."""
    moment = target_moment(on)
    calibration = calibration or Calibration()
    learner = Learner.build(bank, states, first, guess_rates(bank), ForgettingCurve.of(srs), moment)
    fmt = bank.blueprint.format
    plan: FormPlan | RandomPlan
    if form is not None:
        length, plan = len(form), FormPlan.of(learner, form)
    else:
        length = length or fmt.scored
        plan = RandomPlan.of(learner, length)
    passing = (c for c in range(length + 1) if scaled_score(c, length, fmt.scale) >= fmt.passing)
    needed = next(passing, length + 1)
    chances, shares = [], []
    for known, unseen, z in _draws(learner, rng_seed, replicates):
        a, b = calibration.draw(*z)
        chance, mean = plan.chance(known, unseen, a, b, needed)
        chances.append(chance)
        shares.append(mean / length if length else 0.0)
    p = sum(chances) / len(chances)
    chances.sort()
    share = sum(shares) / len(shares)
    by_task = learner.task_shares(learner.mean_knowledge(), calibration.a, calibration.b)
    studied = learner.seen > 0 or learner.tried > 0
    chance = PassChance(
        p=p,
        low=min(_quantile(chances, INTERVAL[0]), p),
        high=max(_quantile(chances, INTERVAL[1]), p),
        date=moment.date(),
        weakest_task=plan.weakest(by_task) if studied else None,
        expected_scaled=_scaled(share, fmt.scale),
        expected_share=share,
        needed_share=needed / length if length else 1.0,
        length=length,
        replicates=len(chances),
        reason="",
        seen=learner.seen,
        total=learner.total,
        by_task=by_task,
    )
    return replace(
        chance, reason=_reason(chance, learner, calibration, plan.guess_share(), fmt.passing, fmt.scale)
    )


Draws = list[tuple[Sequence[float], Sequence[float], tuple[float, float, float]]]
"""Flat arrays of doubles: the last draws are kept (`_DRAWN`), some 200 learners of three numbers per
task, and a Python float in a list takes four times the memory."""
_DRAWN: tuple[tuple[object, ...], Draws] | None = None
"""The last learners drawn and what they were drawn for, replaced whole (a thread worker and the
event loop may both predict)."""
draws_made = 0
"""How many times learners were drawn rather than found in `_DRAWN` (tests count it)."""


def _draws(learner: Learner, rng_seed: int, replicates: int) -> Draws:
    """Each replicate's drawn knowledge (known share per task, and of its never-answered questions)
    and its three deviates for the recall correction, in antithetic pairs.

    The deviates come from the seed alone, and the knowledge from them and the first tries alone
    (`Learner.draws_key`): practice on questions answered before (what a learner with a history
    mostly does) changes neither, so the last draws are used again, the same numbers. That was
    about half of a prediction's time: the posterior's grid inverted for every task of every learner."""
    global _DRAWN, draws_made
    key = (learner.draws_key, rng_seed, replicates, learner.dimensions)
    drawn = _DRAWN
    if drawn is not None and drawn[0] == key:
        return drawn[1]
    rng = random.Random(rng_seed)
    dimensions = learner.dimensions + 3
    draws: Draws = []
    for _ in range((replicates + 1) // 2):
        draw = [rng.gauss(0.0, 1.0) for _ in range(dimensions)]
        for z in (draw, [-v for v in draw]):  # antithetic pairs: half the noise for the same work
            known, unseen = learner.draw_knowledge(z)
            draws.append((array("d", known), array("d", unseen), (z[-3], z[-2], z[-1])))
    _DRAWN = (key, draws)
    draws_made += 1
    return draws


def _scaled(share: float, scale: tuple[int, int]) -> int:
    """A share right on the exam's linear scale, as `exam.scaled_score` maps a result."""
    return round(scale[0] + (scale[1] - scale[0]) * share)


def _quantile(ordered: list[float], q: float) -> float:
    at = q * (len(ordered) - 1)
    lo = math.floor(at)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (at - lo)


def _reason(
    chance: PassChance,
    learner: Learner,
    calibration: Calibration,
    guessing: float,
    passing: int,
    scale: tuple[int, int],
) -> str:
    needed = f"{_bare(chance.needed_share)} % right ({passing}) passes"
    if not learner.seen and not learner.tried:
        guess_scaled = _scaled(guessing, scale)
        return (
            f"Nothing studied yet: guessing alone scores about {_bare(guessing)} % ({guess_scaled}), "
            f"and {needed}. Answer questions across the task statements to get a real estimate."
        )
    verdict = ""
    if chance.p < 0.05:
        verdict = "Unlikely to pass yet: "
    elif chance.p > 0.95:
        verdict = "Very likely to pass: "
    unseen = learner.total - learner.seen
    expected = f"xpected {_bare(chance.expected_share)} % right ({chance.expected_scaled}) where {needed}"
    return (
        f"{verdict}{'e' if verdict else 'E'}{expected}. From {learner.seen} of {learner.total} questions "
        f"answered and first tries in {learner.tasks_tried} of {len(learner.tasks)} task statements"
        + (f"; the {unseen} never answered are predicted from those first tries" if unseen else "")
        + f"; {calibration.describe()}."
    )


__all__ = [
    "Calibration",
    "FirstTries",
    "FirstTry",
    "PassChance",
    "brier",
    "first_tries",
    "pass_probability",
    "percent",
    "target_moment",
]
