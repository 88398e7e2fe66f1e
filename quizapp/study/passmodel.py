"""The learner as `passchance` sees them: per task statement, the seen questions one by one and the
never-answered ones as sums, with the first tries behind their knowledge.

Each answered question's `FirstTry` answers two questions, with one fact each. The task's knowledge
(`knowledge.Knowledge`) takes `right`: its likelihood is that a first answer is right if known, else
at the guessing rate, so it is about the first answer alone, and a later miss (a slip, a tricky
distractor) must not turn a right first answer into a wrong one (that biased the knowledge low for
every learner who ever slips). Whether a seen question may have been known all along, and so keeps
on top of its FSRS recall, takes `kept`: right first and never wrong since, as a later miss speaks
about permanence.

Plain Python loops over a few hundred numbers: a prediction draws `REPLICATES` learners and each costs
one pass over the seen questions (their recall depends on the drawn correction and knowledge) plus one
step per task statement (never-answered questions enter only through their task's sums of guessing
rates, so their number does not matter). The exam side is in `passforms`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.study.knowledge import Knowledge
from quizapp.study.recall_calibration import ForgettingCurve, logit

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.store import ItemState
    from quizapp.store.summaries import FirstTry


@dataclass
class Task:
    """One task statement's questions: the seen ones by (guessing rate, first answer right and never
    wrong since: `FirstTry.kept`), each group a list of logit R on the date; the unseen ones as sums
    of their guessing rates; and its first tries (`FirstTry.right`)."""

    id: str
    seen: dict[tuple[float, bool], list[float]] = field(default_factory=dict)
    seen_count: int = 0
    seen_g: float = 0.0  # sum of g over seen questions
    unseen: int = 0
    g1: float = 0.0  # sum of g over unseen questions
    g2: float = 0.0  # sum of g^2
    right: dict[float, int] = field(default_factory=dict)
    """Questions whose first answer was right, counted by guessing rate (later misses or not)."""
    wrong: int = 0
    """Questions whose first answer was wrong or marked as a guess."""
    _flat: tuple[list[float], list[tuple[float, bool, int, int]]] | None = field(
        default=None, repr=False, compare=False
    )
    """`seen` as one list of logit R and each group's (g, kept, start, end) in it (`sums`)."""

    @property
    def size(self) -> int:
        return self.seen_count + self.unseen

    @property
    def tried(self) -> int:
        return sum(self.right.values()) + self.wrong

    def sums(self, k: float, k_unseen: float, a: float, b: float) -> tuple[float, float]:
        """(sum of p, sum of p^2) over the task's questions: knowledge k, of which k_unseen holds for
        the never-answered ones, and correction (a, b)."""
        # The never-answered: a share k_unseen of them known (p = 1), the rest guessed (p = g). As a
        # pool of ones and g's, not of g + k (1 - g) each: the exam draws some of those very
        # questions, and the finite-pool correction must see that they are known or not.
        s1 = self.g1 + k_unseen * (self.unseen - self.g1)
        s2 = self.g2 + k_unseen * (self.unseen - self.g2)
        if not self.seen:
            return s1, s2
        flat = self._flat
        if flat is None:
            xs_all: list[float] = []
            groups = []
            for (g, first), xs in self.seen.items():
                groups.append((g, first, len(xs_all), len(xs_all) + len(xs)))
                xs_all.extend(xs)
            flat = self._flat = (xs_all, groups)
        exp = math.exp
        # The one part that grows with what was studied (every seen question, for every drawn
        # learner): the task's recalls in one comprehension, then summed group by group in the same
        # order as before (a comprehension per group of a few questions cost more than its sums).
        rs = [1 / (1 + exp(-a - b * x)) for x in flat[0]]
        squares = [r * r for r in rs]
        for g, first, start, end in flat[1]:
            # p = base + scale * recall, the same for the whole group (see `item_chance`)
            known = k / (k + (1 - k) * g) if first and k > 0 else 0.0
            base = known + (1 - known) * g
            scale = (1 - known) * (1 - g)
            r1 = sum(rs[start:end])
            r2 = sum(squares[start:end])
            n = end - start
            s1 += n * base + scale * r1
            s2 += n * base * base + 2 * base * scale * r1 + scale * scale * r2
        return s1, s2


@dataclass
class Learner:
    tasks: list[Task]
    seen: int
    total: int
    g_of: Mapping[str, float]
    x_of: dict[str, float]
    """Logit R on the date of each seen question."""
    task_of: dict[str, int]
    first: Mapping[str, FirstTry]
    domains: list[tuple[int, list[int]]]
    """(weight, indices of its tasks) per blueprint domain."""
    knowledge: Knowledge

    @staticmethod
    def build(
        bank: Bank,
        states: Mapping[str, ItemState],
        first: Mapping[str, FirstTry],
        guess: Mapping[str, float],
        curve: ForgettingCurve,
        moment: datetime,
    ) -> Learner:
        order = list(bank.blueprint.task_ids())
        index = {task: i for i, task in enumerate(order)}
        tasks = [Task(task) for task in order]
        x_of: dict[str, float] = {}
        task_of: dict[str, int] = {}
        for info in bank.questions.infos():
            i = index.get(info.task)
            if i is None:
                continue
            task, g = tasks[i], guess[info.id]
            task_of[info.id] = i
            state = states.get(info.id)
            r = curve.recall(state.card, moment) if state is not None else None
            if r is None:
                task.unseen += 1
                task.g1 += g
                task.g2 += g * g
            else:
                x_of[info.id] = x = logit(r)
                tried = first.get(info.id)
                task.seen.setdefault((g, tried is not None and tried.kept), []).append(x)
                task.seen_count += 1
                task.seen_g += g
        for qid, tried in first.items():
            i = task_of.get(qid)
            if i is None:
                continue
            if tried.right:  # the first answer, whatever came after: see the module's docstring
                g = guess[qid]
                tasks[i].right[g] = tasks[i].right.get(g, 0) + 1
            else:
                tasks[i].wrong += 1
        return Learner(
            tasks,
            seen=len(x_of),
            total=len(task_of),
            g_of=guess,
            x_of=x_of,
            task_of=task_of,
            first=first,
            domains=[(d.weight, [index[t.id] for t in d.tasks]) for d in bank.blueprint.domains],
            knowledge=knowledge_of([(t.wrong, t.right) for t in tasks]),
        )

    @property
    def draws_key(self) -> tuple[tuple[str, int, tuple[tuple[float, int], ...], int], ...]:
        """All that `draw_knowledge` reads besides its deviates: each task's first tries and its
        number of never-answered questions. An answer to a question answered before changes none
        of it (its FSRS state and the recall evidence move, not its first try)."""
        return tuple((t.id, t.wrong, tuple(sorted(t.right.items())), t.unseen) for t in self.tasks)

    @property
    def tried(self) -> int:
        return sum(t.tried for t in self.tasks)

    @property
    def tasks_tried(self) -> int:
        return sum(1 for t in self.tasks if t.tried)

    # ----------------------------------------------------------------- knowledge

    @property
    def dimensions(self) -> int:
        """Standard normal deviates one drawn learner takes (see `draw_knowledge`)."""
        return 1 + 3 * len(self.tasks)

    def draw_knowledge(self, z: Sequence[float]) -> tuple[list[float], list[float]]:
        """One plausible learner from `dimensions` standard normal deviates: their level and each
        task's share known (`knowledge.Knowledge`), and how much of the task's never-answered
        questions that share happens to cover (a task known at 30 % with ten unseen questions may
        hold two known ones or five, and an exam drawn from the bank draws from those very questions;
        a Beta draw, as a ratio of Wilson-Hilferty gammas).

        Deviates rather than a random stream: every prediction takes the same number, so with one seed
        a learner who answers one more question right is compared against the same draws, and their
        pass chance cannot fall by simulation noise; and -z gives the antithetic twin."""
        count = len(self.tasks)
        known = self.knowledge.draw(_uniform(z[0]), [_uniform(v) for v in z[1 : 1 + count]])
        unseen = []
        for i, (t, k) in enumerate(zip(self.tasks, known, strict=True)):
            if t.unseen:
                j = 1 + count + 2 * i
                k = beta_quantile(max(k * t.unseen, 1e-3), max((1 - k) * t.unseen, 1e-3), z[j], z[j + 1])
            unseen.append(k)
        return known, unseen

    def mean_knowledge(self) -> list[float]:
        return _mean_of(self.knowledge)

    def task_shares(self, knowledge: Sequence[float], a: float, b: float) -> dict[str, float]:
        """Expected share right of each task's questions for this knowledge and correction."""
        out = {}
        for task, k in zip(self.tasks, knowledge, strict=True):
            if task.size:
                out[task.id] = task.sums(k, k, a, b)[0] / task.size
        return out


Evidence = tuple[tuple[int, tuple[tuple[float, int], ...]], ...]
_KNOWN: tuple[Evidence, Knowledge, list[float] | None] | None = None
"""The last posterior built (its evidence, it, its mean once asked), replaced whole, never changed
in place: a thread worker and the event loop may both ask."""


def knowledge_of(evidence: Sequence[tuple[int, dict[float, int]]]) -> Knowledge:
    """The knowledge posterior for these first tries, the last one again when they are the same
    (after practice on questions answered before they are: a grid over every task, ms each time)."""
    global _KNOWN
    key = tuple((wrong, tuple(sorted(right.items()))) for wrong, right in evidence)
    known = _KNOWN
    if known is not None and known[0] == key:
        return known[1]
    knowledge = Knowledge(evidence)
    _KNOWN = (key, knowledge, None)
    return knowledge


def _mean_of(knowledge: Knowledge) -> list[float]:
    """`knowledge.mean()`, worked out once for the posterior `knowledge_of` keeps."""
    global _KNOWN
    known = _KNOWN
    if known is None or known[1] is not knowledge:
        return knowledge.mean()
    mean = known[2]
    if mean is None:
        mean = knowledge.mean()
        _KNOWN = (known[0], knowledge, mean)
    return list(mean)


def _uniform(z: float) -> float:
    """The standard normal CDF: a deviate as a uniform, kept off 0 and 1."""
    return min(max(0.5 * math.erfc(-z / math.sqrt(2)), 1e-12), 1 - 1e-12)


def gamma_quantile(shape: float, z: float) -> float:
    """The Wilson-Hilferty approximation of a Gamma(shape) variate at standard normal deviate z: a
    cube of a normal, increasing in both shape and z, and close to the exact quantiles from shape 0.2 up
    (a Beta built from two of them keeps its mean within a point, its 10th-90th percentiles within two)."""
    c = 1 / (9 * shape)
    v = 1 - c + z * math.sqrt(c)
    return shape * v * v * v if v > 0 else 0.0


def beta_quantile(alpha: float, beta: float, z1: float, z2: float) -> float:
    x, y = gamma_quantile(alpha, z1), gamma_quantile(beta, z2)
    return x / (x + y) if x + y > 0 else alpha / (alpha + beta)
