"""How ready is the learner? A predicted scaled score with an honest statement of certainty.

Per question, mastery is FSRS retrievability on the target day (the exam date if set, else now).
Per group (domain or task statement) it blends mean retrievability with recent accuracy, then
shrinks it towards the guessing rate with a Beta prior, so one lucky answer reads as "barely more
than a guess", not as 82 %. The domain figures are weighted by the blueprint and mapped to the
scale like an exam result, but only once there is enough evidence behind them (`MIN_SEEN`
questions across `MIN_TASK_SHARE` of the task statements); before that there is no number, only
what to do to get one (issue 15, item 8: "Readiness: 550" with nothing answered was invented).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from math import ceil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.content.facts import QuestionInfo
    from quizapp.store import ItemState

GUESS_RATE = 0.25
"""The prior mean: what someone who knows nothing scores on a single-answer item with four options.
It is the most generous guessing rate in the bank (choose-2, ordering and matching are lower), so
the prior never makes anyone look worse than guessing."""
PRIOR_WEIGHT = 4
"""The prior counts as this many answers: Beta(1, 3) around `GUESS_RATE`. One right answer then gives
about 40 %, five give about 60 %, twenty about 85 %: evidence wins, but only as it accumulates."""
RECENT_ANSWERS = 20
MIN_SEEN = 20
"""Questions that must have been answered before readiness is estimated: one short exam's worth. With
fewer, the share right has a standard error above 11 points (about 100 scaled points), as wide as the
whole distance between guessing and the pass mark, so any number would be mostly noise."""
MIN_TASK_SHARE = 0.5
"""Share of the task statements that must have been answered before readiness is estimated. The
exam draws from all of them by the blueprint's weights; with answers from fewer than half, most of
the estimate would be the prior, not the learner."""
MIN_GROUP_SEEN = 3
"""Questions seen in a task statement or domain before its mastery is shown as a percentage; below
that the dashboard and `stats` say "few" (the shrunk `estimate` is still given for the curious)."""


@dataclass(frozen=True)
class Mastery:
    seen: int
    total: int
    retrievability: float | None  # mean over seen questions on the target day
    accuracy: float | None  # over the most recent answers
    answered: int

    @property
    def coverage(self) -> float:
        return self.seen / self.total if self.total else 0.0

    @property
    def score(self) -> float | None:
        """The blended 0-1 mastery of what has been seen, or None if nothing has."""
        parts = [p for p in (self.retrievability, self.accuracy) if p is not None]
        return sum(parts) / len(parts) if parts else None

    @property
    def estimate(self) -> float:
        """Mastery shrunk towards the guessing rate (the Beta prior's mean) by how little has been
        seen: the posterior mean, so a handful of lucky answers cannot look like mastery."""
        if self.score is None:
            return GUESS_RATE
        return (self.seen * self.score + PRIOR_WEIGHT * GUESS_RATE) / (self.seen + PRIOR_WEIGHT)

    @property
    def shown(self) -> float | None:
        """The mastery to show a learner: the shrunk estimate, or None ("few") while fewer than
        `MIN_GROUP_SEEN` questions stand behind it."""
        return self.estimate if self.seen >= MIN_GROUP_SEEN else None


@dataclass(frozen=True)
class Readiness:
    scaled: int | None
    """The predicted scaled score, or None while there is not enough evidence (see `reason`)."""
    passing: int
    likely_pass: bool | None
    confidence: str  # low | medium | high
    coverage: float
    tasks_seen: int
    tasks_total: int
    target: str  # ISO date the estimate is for
    by_domain: dict[str, float]
    seen: int = 0
    """Questions answered (with a usable memory state)."""
    seen_needed: int = MIN_SEEN
    tasks_needed: int = 0

    @property
    def enough(self) -> bool:
        return self.scaled is not None

    @property
    def reason(self) -> str | None:
        """Why there is no estimate, and what gets one; None when there is one."""
        if self.enough:
            return None
        return (
            f"Not enough data yet: {self.seen} questions answered (at least {self.seen_needed} needed), "
            f"from {self.tasks_seen} of {self.tasks_total} task statements (at least {self.tasks_needed} "
            "needed). Practise across task statements or take a short exam to get an estimate."
        )

    def short(self) -> str:
        """One line for Home, the same length whatever the history (it must fit 80 columns)."""
        if self.scaled is None:
            more = [
                f"{n} more {what}"
                for n, what in (
                    (self.seen_needed - self.seen, "questions"),
                    (self.tasks_needed - self.tasks_seen, "tasks"),
                )
                if n > 0
            ]
            return f"not enough data yet: answer {' in '.join(more)} (p)"
        return f"{self.scaled} ({self.confidence} confidence, {self.coverage:.0%} of the bank seen)"

    def statement(self) -> str:
        if self.scaled is None:
            reason = self.reason
            assert reason is not None
            return reason
        verdict = "at or above" if self.likely_pass else "below"
        return (
            f"Predicted {self.scaled} on {self.target}, {verdict} the {self.passing} pass mark "
            f"({self.confidence} confidence: {self.coverage:.0%} of the bank seen, "
            f"{self.tasks_seen} of {self.tasks_total} task statements)."
        )

    def as_dict(self) -> dict[str, object]:
        """The `readiness` object of `stats --json`: `scaled` and `likely_pass` are null, and
        `reason` says why, while there is not enough evidence; `reason` is null otherwise."""
        return {
            "scaled": self.scaled,
            "passing": self.passing,
            "likely_pass": self.likely_pass,
            "confidence": self.confidence,
            "coverage": round(self.coverage, 4),
            "tasks_seen": self.tasks_seen,
            "tasks_total": self.tasks_total,
            "target": self.target,
            "by_domain": {k: round(v, 4) for k, v in self.by_domain.items()},
            "reason": self.reason,
            "statement": self.statement(),
        }


def mastery_by(
    bank: Bank,
    key,  # noqa: ANN001
    states: dict[str, ItemState],
    retrievability: dict[str, float],
    recent: Iterable[tuple[str, bool]],
) -> dict[str, Mastery]:
    """Mastery per group (`key(question)` gives the group: domain or task).

    `recent` is (question, right) of answers, newest first. It need not be every answer: each
    question's newest `RECENT_ANSWERS` (`store.summaries.recent_answers`, a summary the store keeps)
    hold every group's newest `RECENT_ANSWERS`, which is all the accuracy uses, so the cost does not
    grow with the history."""
    totals: dict[str, int] = defaultdict(int)
    seen: dict[str, list[float]] = defaultdict(list)
    for question in bank.questions.infos():
        group = key(question)
        totals[group] += 1
        if question.id in states:
            seen[group].append(retrievability.get(question.id, 0.0))
    hits_by: dict[str, list[bool]] = defaultdict(list)
    for question_id, correct in recent:  # newest first
        question = bank.questions.info(question_id)
        if question is None:
            continue
        bucket = hits_by[key(question)]
        if len(bucket) < RECENT_ANSWERS:
            bucket.append(correct)
    out = {}
    for group, total in totals.items():
        values = seen.get(group, [])
        hits = hits_by.get(group, [])
        out[group] = Mastery(
            seen=len(values),
            total=total,
            retrievability=sum(values) / len(values) if values else None,
            accuracy=sum(hits) / len(hits) if hits else None,
            answered=len(hits),
        )
    return out


def task_of(question: QuestionInfo) -> str:
    """The task-statement grouping for `mastery_by`."""
    return question.task


def domain_key(bank: Bank) -> Callable[[QuestionInfo], str]:
    """The domain grouping for `mastery_by` (the domain as text), looked up once a task statement
    rather than once an answer."""
    by_task: dict[str, str] = {}

    def key(question: QuestionInfo) -> str:
        domain = by_task.get(question.task)
        if domain is None:
            domain = by_task[question.task] = str(bank.domain_of(question))
        return domain

    return key


def newest_needed(
    bank: Bank,
    keys: Sequence[Callable[[QuestionInfo], str]],
    recent: Iterable[tuple[str, bool]],
    answered: Mapping[str, int],
) -> list[tuple[str, bool]]:
    """The answers of `recent` (newest first) that `mastery_by` uses for any of `keys`' groups, read
    only as far as needed: each group takes its newest `RECENT_ANSWERS`, and once every group has
    them (or all it can: `answered` per question says how many there are) the rest is never read.
    `mastery_by` over the result gives what it gives over all of `recent`."""
    need: dict[tuple[int, str], int] = defaultdict(int)
    for question in bank.questions.infos():
        n = min(answered.get(question.id, 0), RECENT_ANSWERS)
        for k, key in enumerate(keys):
            need[(k, key(question))] += n
    left = {group: min(n, RECENT_ANSWERS) for group, n in need.items() if n}
    out: list[tuple[str, bool]] = []
    for question_id, correct in recent:
        if not left:
            break
        question = bank.questions.info(question_id)
        if question is None:
            continue
        wanted = False
        for k, key in enumerate(keys):
            group = (k, key(question))
            if group in left:
                wanted = True
                left[group] -= 1
                if not left[group]:
                    del left[group]
        if wanted:
            out.append((question_id, correct))
    return out


def readiness(
    bank: Bank, by_domain: dict[str, Mastery], by_task: dict[str, Mastery], target: datetime
) -> Readiness:
    from quizapp.study.exam import scaled_score

    blueprint = bank.blueprint
    fraction = (
        sum(d.weight * by_domain[str(d.id)].estimate for d in blueprint.domains if str(d.id) in by_domain)
        / 100
    )
    total = sum(m.total for m in by_domain.values())
    seen = sum(m.seen for m in by_domain.values())
    coverage = seen / total if total else 0.0
    tasks_seen = sum(1 for m in by_task.values() if m.seen)
    tasks_total = len(blueprint.task_ids())
    if coverage >= 0.6 and tasks_seen == tasks_total:
        confidence = "high"
    elif coverage >= 0.25 and tasks_seen >= tasks_total * 0.75:
        confidence = "medium"
    else:
        confidence = "low"
    seen_needed = min(MIN_SEEN, total)  # a bank smaller than that can still be judged in full
    tasks_needed = ceil(tasks_total * MIN_TASK_SHARE)
    scaled: int | None = None
    if seen >= seen_needed and tasks_seen >= tasks_needed and seen:
        scaled = scaled_score(round(fraction * 1000), 1000, blueprint.format.scale)
    return Readiness(
        scaled,
        blueprint.format.passing,
        None if scaled is None else scaled >= blueprint.format.passing,
        confidence,
        coverage,
        tasks_seen,
        tasks_total,
        target.date().isoformat(),
        {k: v.estimate for k, v in by_domain.items()},
        seen=seen,
        seen_needed=seen_needed,
        tasks_needed=tasks_needed,
    )


def pass_share(passing: int, scale: tuple[int, int]) -> float:
    """The share of items right that the pass mark stands for on a linear scale (700 on 100-1000:
    two thirds)."""
    low, high = scale
    return (passing - low) / (high - low) if high > low else 0.0


def weak_tasks(
    by_task: dict[str, dict[str, int]], passing_share: float, limit: int = 3
) -> list[tuple[str, dict[str, int]]]:
    """The task statements an exam showed to be weak: answered below the pass level, weakest first.
    Results used to list the three lowest whatever they were, so tasks answered 100 % right were
    called "weakest"; a task at or above the pass level is not weak, and then none is listed."""
    weak = [
        (task, v) for task, v in by_task.items() if v["total"] and v["correct"] / v["total"] < passing_share
    ]
    weak.sort(key=lambda tv: (tv[1]["correct"] / tv[1]["total"], -tv[1]["total"]))
    return weak[:limit]
