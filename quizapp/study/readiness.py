"""How ready is the learner? A predicted scaled score with an honest statement of certainty.

Per question, mastery is FSRS retrievability on the target day (the exam date if set, else now).
Per domain it blends mean retrievability with recent accuracy, then shrinks towards 50 % by how
little of the domain has been seen, so a few lucky answers cannot promise a pass. The domain
figures are weighted by the blueprint and mapped to the scale like an exam result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from quizapp.content import Bank
from quizapp.store import AnswerRecord, ItemState
from quizapp.study.exam import scaled_score

PRIOR = 0.5
PRIOR_WEIGHT = 5
RECENT_ANSWERS = 20


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
        """Mastery shrunk towards the prior by how little has been seen."""
        if self.score is None:
            return PRIOR
        return (self.seen * self.score + PRIOR_WEIGHT * PRIOR) / (self.seen + PRIOR_WEIGHT)


@dataclass(frozen=True)
class Readiness:
    scaled: int
    passing: int
    likely_pass: bool
    confidence: str  # low | medium | high
    coverage: float
    tasks_seen: int
    tasks_total: int
    target: str  # ISO date the estimate is for
    by_domain: dict[str, float]

    def statement(self) -> str:
        verdict = "at or above" if self.likely_pass else "below"
        return (
            f"Predicted {self.scaled} on {self.target}, {verdict} the {self.passing} pass mark "
            f"({self.confidence} confidence: {self.coverage:.0%} of the bank seen, "
            f"{self.tasks_seen} of {self.tasks_total} task statements)."
        )

    def as_dict(self) -> dict[str, object]:
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
            "statement": self.statement(),
        }


def mastery_by(
    bank: Bank,
    key,
    states: dict[str, ItemState],
    retrievability: dict[str, float],  # noqa: ANN001
    answers: list[AnswerRecord],
) -> dict[str, Mastery]:
    """Mastery per group (`key(question)` gives the group: domain or task)."""
    totals: dict[str, int] = defaultdict(int)
    seen: dict[str, list[float]] = defaultdict(list)
    for question in bank.questions.infos():
        group = key(question)
        totals[group] += 1
        if question.id in states:
            seen[group].append(retrievability.get(question.id, 0.0))
    recent: dict[str, list[bool]] = defaultdict(list)
    for answer in reversed(answers):  # newest first
        question = bank.questions.info(answer.question_id)
        if question is None:
            continue
        bucket = recent[key(question)]
        if len(bucket) < RECENT_ANSWERS:
            bucket.append(answer.correct)
    out = {}
    for group, total in totals.items():
        values = seen.get(group, [])
        hits = recent.get(group, [])
        out[group] = Mastery(
            seen=len(values),
            total=total,
            retrievability=sum(values) / len(values) if values else None,
            accuracy=sum(hits) / len(hits) if hits else None,
            answered=len(hits),
        )
    return out


def readiness(
    bank: Bank, by_domain: dict[str, Mastery], by_task: dict[str, Mastery], target: datetime
) -> Readiness:
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
    scaled = scaled_score(round(fraction * 1000), 1000, blueprint.format.scale)
    return Readiness(
        scaled,
        blueprint.format.passing,
        scaled >= blueprint.format.passing,
        confidence,
        coverage,
        tasks_seen,
        tasks_total,
        target.date().isoformat(),
        {k: v.estimate for k, v in by_domain.items()},
    )
