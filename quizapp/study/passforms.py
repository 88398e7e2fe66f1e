"""The exam side of `passchance`: which forms, and P(pass) on them for one drawn learner.

`RandomPlan` stands for every form the blueprint could deal (integrated in its moments), `FormPlan`
for one given form. Both turn a drawn learner (task knowledge, recall correction) into P(pass) and the
expected number right.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizapp.study.exam import split_by_weight

if TYPE_CHECKING:
    from quizapp.study.passmodel import Learner


def item_chance(x: float, g: float, kept: bool, k: float, a: float, b: float) -> float:
    """P(right) on the date for a seen question: logit R `x` corrected by (a, b), the guessing floor
    g, and, if its first answer was right and none wrong since (`kept`, as `FirstTry.kept`), the
    chance that it was known before studying (durable, as for never-answered questions):
    k / (k + (1 - k) g) by Bayes."""
    recall = 1 / (1 + math.exp(-a - b * x))
    p = g + (1 - g) * recall
    if kept and k > 0:
        known = k / (k + (1 - k) * g)
        p = known + (1 - known) * p
    return p


def allocate(learner: Learner, length: int) -> list[float]:
    """Expected items per task statement on a form of `length`, as `exam.assemble` deals them:
    domain quotas by weight, then each domain's tasks in turn, one item each per round (the last
    round's items fall to tasks at random, so they are shared evenly here); a domain too thin for its
    quota leaves the rest to the others, heaviest first."""
    alloc = [0.0] * len(learner.tasks)
    quotas = split_by_weight(length, [w for w, _ in learner.domains])
    shortfall = 0.0
    for (_, members), quota in zip(learner.domains, quotas, strict=True):
        shortfall += quota - _fill(learner, alloc, members, quota)
    for _, members in sorted(learner.domains, key=lambda d: -d[0]):
        if shortfall <= 1e-9:
            break
        shortfall -= _fill(learner, alloc, members, shortfall)
    return alloc


def _fill(learner: Learner, alloc: list[float], members: list[int], room: float) -> float:
    taken = 0.0
    while room - taken > 1e-9:
        open_ = [i for i in members if learner.tasks[i].size - alloc[i] >= 1 - 1e-9]
        if not open_:
            break
        step = min(1.0, (room - taken) / len(open_))
        for i in open_:
            alloc[i] += step
        taken += step * len(open_)
    return taken


def chance_from_moments(mean: float, var: float, third: float, needed: int) -> float:
    """P(count >= needed) for a sum of Bernoullis with these cumulants: normal with a continuity
    correction and the first Edgeworth (skewness) term, clamped to [0, 1]."""
    if var <= 1e-12:
        return 1.0 if mean >= needed - 0.5 else 0.0
    sd = math.sqrt(var)
    z = (needed - 0.5 - mean) / sd
    tail = 0.5 * math.erfc(z / math.sqrt(2))
    skew = third / (var * sd)
    tail += math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi) * skew * (z * z - 1) / 6
    return min(1.0, max(0.0, tail))


@dataclass
class RandomPlan:
    """Every form the blueprint could deal, integrated in its moments."""

    learner: Learner
    alloc: list[float]

    @staticmethod
    def of(learner: Learner, length: int) -> RandomPlan:
        return RandomPlan(learner, allocate(learner, length))

    def chance(
        self, known: Sequence[float], unseen: Sequence[float], a: float, b: float, needed: int
    ) -> tuple[float, float]:
        """(P(pass), expected right): per task, `q` items drawn without replacement from its `n`
        questions, each right with its own p: mean q pbar, variance q pbar (1 - pbar) less the finite-pool
        correction q(q - 1) var(p) / (n - 1); the third cumulant as if drawn with replacement."""
        mean = var = third = 0.0
        for task, k, k_unseen, q in zip(self.learner.tasks, known, unseen, self.alloc, strict=True):
            if q <= 0:
                continue
            n = task.size
            s1, s2 = task.sums(k, k_unseen, a, b)
            pbar = s1 / n
            spread = max(s2 / n - pbar * pbar, 0.0)
            mean += q * pbar
            var += q * pbar * (1 - pbar) - (q * (q - 1) * spread / (n - 1) if n > 1 else 0.0)
            third += q * pbar * (1 - pbar) * (1 - 2 * pbar)
        return chance_from_moments(mean, max(var, 0.0), third, needed), mean

    def weakest(self, shares: Mapping[str, float]) -> str | None:
        """The task expected to cost the most points: items it brings times the share missed."""
        lost = [
            (q * (1 - shares.get(task.id, 0.0)), -i, task.id)
            for i, (task, q) in enumerate(zip(self.learner.tasks, self.alloc, strict=True))
            if q > 0
        ]
        return max(lost)[2] if lost else None

    def guess_share(self) -> float:
        """What guessing every item would score."""
        total = sum(self.alloc)
        floor = 0.0
        for task, q in zip(self.learner.tasks, self.alloc, strict=True):
            if q > 0:
                floor += q * (task.seen_g + task.g1) / task.size
        return floor / total if total else 0.0


@dataclass
class FormPlan:
    """One given form (an exam about to start)."""

    learner: Learner
    items: list[tuple[int, float | None, float, bool]]
    """(task index or -1, logit R or None when unseen, guessing rate, first answer right and never
    wrong since)."""

    @staticmethod
    def of(learner: Learner, form: Sequence[str]) -> FormPlan:
        items: list[tuple[int, float | None, float, bool]] = []
        for qid in form:
            task = learner.task_of.get(qid)
            if task is None:
                items.append((-1, None, 0.0, False))  # not in the bank: graded wrong, as `exam.score` does
            else:
                tried = learner.first.get(qid)  # kept: known all along is lasting (see `passmodel`)
                kept = tried is not None and tried.kept
                items.append((task, learner.x_of.get(qid), learner.g_of[qid], kept))
        return FormPlan(learner, items)

    def chance(
        self, known: Sequence[float], unseen: Sequence[float], a: float, b: float, needed: int
    ) -> tuple[float, float]:
        """(P(pass), expected right) for this form: its own items, each with its own probability (the
        Poisson-binomial's cumulants, turned into P(pass) as for random forms)."""
        mean = var = third = 0.0
        for task, x, g, first in self.items:
            if task < 0:
                continue
            # Unseen: the task's knowledge, not the share drawn for its unseen pool: which of the pool
            # this form holds is unknown, so each is known with probability k (see RandomPlan).
            p = g + known[task] * (1 - g) if x is None else item_chance(x, g, first, known[task], a, b)
            mean += p
            var += p * (1 - p)
            third += p * (1 - p) * (1 - 2 * p)
        return chance_from_moments(mean, var, third, needed), mean

    def weakest(self, shares: Mapping[str, float]) -> str | None:
        counts = [0] * len(self.learner.tasks)
        for task, _, _, _ in self.items:
            if task >= 0:
                counts[task] += 1
        lost = [
            (n * (1 - shares.get(t.id, 0.0)), -i, t.id)
            for i, (t, n) in enumerate(zip(self.learner.tasks, counts, strict=True))
            if n
        ]
        return max(lost)[2] if lost else None

    def guess_share(self) -> float:
        return sum(g for _, _, g, _ in self.items) / len(self.items) if self.items else 0.0
