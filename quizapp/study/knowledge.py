"""What does the learner know before studying? The posterior of their level and each task's share.

The model: the learner's level L ~ Beta(`KNOWLEDGE_PRIOR`); each task statement's share k_t ~
Beta(`TASK_POOLING` L, `TASK_POOLING` (1 - L)); each question is known beforehand with probability
k_t. A first answer is right if known, else with the question's guessing rate g, so a task's first
tries have the likelihood (1 - k)^wrong * prod over right answers of (k + (1 - k) g). It is about
first answers alone: a first answer right and missed later counts as right here (`FirstTry.right`);
what a later miss says, that it was not known all along, is used elsewhere (`passmodel`).

That likelihood is not conjugate to the Beta, and shortcuts are biased: subtracting expected lucky
guesses and clipping at zero credits one lucky guess with knowledge; an EM plug-in overstated the
share of never-answered questions a learner knows by about 4 points, averaged over learners drawn from
the prior (a simulation-based check: tests/study/test_passchance.py). So the posterior is computed on a
grid: `LEVELS` values of L and `SHARES` values of k, both denser near zero where most learners are
(k = u^2 for u evenly spaced). It costs a few thousand multiplications, and comes out within a point.

Draws are by inverse CDF from given uniforms (a level, then each task given it, interpolated within a
grid cell), so the same uniforms give the same learner whatever the evidence, and more evidence of
knowing moves every draw up, never down.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Sequence
from functools import cache
from itertools import accumulate
from operator import mul

KNOWLEDGE_PRIOR = (1.0, 9.0)
"""Beta prior of the share of questions a learner knows before answering any, beyond guessing: mean
10 %, and a learner knowing a third of the material beforehand is a 1-in-40 case. It is what "nothing
studied" predicts (a pass chance well under 1 %: nobody is told they would pass on no evidence), and
it is worth ten first tries, so a couple of dozen outweigh it."""
TASK_POOLING = 6.0
"""How many first tries a task's own estimate needs to count as much as the learner's overall level:
a task with two first tries is mostly the learner's level, one with thirty mostly its own."""
LEVELS = 40
SHARES = 64


def _nodes(count: int) -> tuple[list[float], list[float]]:
    """Grid points k = u^2 at the middle of `count` even cells in u, and each cell's width in k."""
    points = [((i + 0.5) / count) ** 2 for i in range(count)]
    widths = [((i + 1) / count) ** 2 - (i / count) ** 2 for i in range(count)]
    return points, widths


def _beta_masses(a: float, b: float, points: list[float], widths: list[float]) -> list[float]:
    logs = [
        (a - 1) * math.log(k) + (b - 1) * math.log1p(-k) + math.log(w)
        for k, w in zip(points, widths, strict=True)
    ]
    top = max(logs)
    masses = [math.exp(v - top) for v in logs]
    total = sum(masses)
    return [m / total for m in masses]


@cache
def _grid() -> tuple[list[float], list[float], list[list[float]], list[float]]:
    """(levels, level prior masses, task-share prior masses per level, share points): fixed, so built
    once per process."""
    shares, share_widths = _nodes(SHARES)
    levels, level_widths = _nodes(LEVELS)
    level_prior = _beta_masses(*KNOWLEDGE_PRIOR, levels, level_widths)
    by_level = [
        _beta_masses(TASK_POOLING * level, TASK_POOLING * (1 - level), shares, share_widths)
        for level in levels
    ]
    return levels, level_prior, by_level, shares


class Knowledge:
    """The posterior, given each task's first tries: (wrong, {guessing rate: right answers})."""

    def __init__(self, evidence: Sequence[tuple[int, dict[float, int]]]) -> None:
        levels, level_prior, by_level, shares = _grid()
        self.shares = shares
        self.likelihoods: list[array[float]] = []
        """Per task, over the share grid; flat arrays of doubles, as the cached CDFs below: the posterior
        is kept while the first tries are the same (`passmodel.knowledge_of`), and a Python float in a
        list takes four times the memory."""
        log_shares = [math.log1p(-k) for k in shares]
        for wrong, right in evidence:
            logs = [
                wrong * l1 + sum(n * math.log(k + (1 - k) * g) for g, n in right.items())
                for k, l1 in zip(shares, log_shares, strict=True)
            ]
            top = max(logs)
            self.likelihoods.append(array("d", [math.exp(v - top) for v in logs]))
        weights = []
        for prior, row in zip(level_prior, by_level, strict=True):
            log_w = math.log(prior)
            for lik in self.likelihoods:
                log_w += math.log(max(sum(map(mul, row, lik)), 1e-300))
            weights.append(log_w)
        top = max(weights)
        posterior = [math.exp(w - top) for w in weights]
        total = sum(posterior)
        self.level_posterior = [p / total for p in posterior]
        self.level_cdf = list(accumulate(self.level_posterior))
        self._by_level = by_level
        self._conditional: dict[tuple[int, int], array[float]] = {}

    def _cdf(self, task: int, level: int) -> array[float]:
        """The task's share CDF over the grid given the level's grid index (cached)."""
        key = (task, level)
        cdf = self._conditional.get(key)
        if cdf is None:
            masses = list(map(mul, self._by_level[level], self.likelihoods[task]))
            total = sum(masses) or 1.0
            cdf = array("d", [c / total for c in accumulate(masses)])
            self._conditional[key] = cdf
        return cdf

    def mean(self) -> list[float]:
        """Each task's posterior mean share (levels with negligible weight skipped)."""
        out = [0.0] * len(self.likelihoods)
        for j, weight in enumerate(self.level_posterior):
            if weight < 1e-9:
                continue
            for t, lik in enumerate(self.likelihoods):
                masses = list(map(mul, self._by_level[j], lik))
                total = sum(masses)
                if total > 0:
                    out[t] += weight * sum(map(mul, masses, self.shares)) / total
        norm = sum(w for w in self.level_posterior if w >= 1e-9)
        return [v / norm for v in out]

    def draw(self, u_level: float, u_tasks: Sequence[float]) -> list[float]:
        """One plausible learner's task shares from uniforms in (0, 1)."""
        j = min(bisect.bisect_left(self.level_cdf, u_level), len(self.level_cdf) - 1)
        return [_inverse(self._cdf(t, j), u) for t, u in enumerate(u_tasks)]


def _inverse(cdf: Sequence[float], u: float) -> float:
    """The share at which `cdf` (over the grid's cells, even in u = sqrt(k)) reaches u, interpolated
    linearly in u within the cell."""
    i = min(bisect.bisect_left(cdf, u), len(cdf) - 1)
    below = cdf[i - 1] if i else 0.0
    inside = (u - below) / (cdf[i] - below) if cdf[i] > below else 0.5
    root = (i + min(max(inside, 0.0), 1.0)) / len(cdf)
    return root * root
