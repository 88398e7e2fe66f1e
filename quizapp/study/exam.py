"""Timed practice exams shaped like AIF-C01: assembly by blueprint weight, state, scoring.

Scaled score: AWS does not publish how raw results map to its 100-1000 scale, so quizapp uses a
documented linear estimate, scaled = low + (high - low) * correct / total. With AIF-C01's scale
that puts the 700 pass mark at two thirds of the questions right.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fsrs import Rating

from quizapp.content import AnyQuestion, Bank
from quizapp.store import AnswerWrite, ExamRecord, ItemState, ProgressStore
from quizapp.store.records import MAX_DURATION_MS
from quizapp.study.clock import Clock, iso
from quizapp.study.grading import Response, grade, is_complete, normalise
from quizapp.study.timing import EXAM_PACE_S, Timing, clean_duration

if TYPE_CHECKING:
    from quizapp.study.srs import Srs

SECONDS_PER_QUESTION = EXAM_PACE_S
"""90 minutes over 65 questions (83 s): how a short exam's time is scaled."""
MAX_CASE_STUDIES = 1
"""The v1.1 guide no longer lists case studies; one per exam keeps the format practised."""


def split_by_weight(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder apportionment: 65 over 20/24/28/14/14 gives 13/16/18/9/9."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    leftovers = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), -weights[i], i))
    for i in leftovers[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass(frozen=True)
class ExamPlan:
    length: int
    time_limit_s: int

    @staticmethod
    def for_kind(bank: Bank, kind: str | int) -> ExamPlan:
        """'full' (65 in 90 min), 'scored' (50 in 90 min), or a short exam of N questions."""
        fmt = bank.blueprint.format
        if kind == "full":
            return ExamPlan(fmt.questions, fmt.minutes * 60)
        if kind == "scored":
            return ExamPlan(fmt.scored, fmt.minutes * 60)
        n = int(kind)
        if n <= 0:
            raise ValueError("an exam needs at least one question")
        return ExamPlan(n, n * SECONDS_PER_QUESTION)


def assemble(bank: Bank, length: int, seed: int, mastery: Mapping[str, float | None]) -> list[str]:
    """Question ids for an exam: split over domains by weight, spread over task statements,
    unseen then weakest first, no repeats, case-study questions together and in order.

    `mastery` maps question id to a 0-1 mastery, or None for never seen. Same bank, seed and
    mastery give the same exam.
    """
    rng = random.Random(seed)
    domains = bank.blueprint.domains
    quotas = dict(
        zip((d.id for d in domains), split_by_weight(length, [d.weight for d in domains]), strict=True)
    )
    # Units: a standalone question, or a whole case study (filed under its case study's task).
    units_by_task: dict[str, list[tuple[tuple, list[str]]]] = {}
    tie = {qid: rng.random() for qid in bank.questions}

    def priority(ids: list[str]) -> tuple:
        values = [mastery.get(i) for i in ids]
        unseen = sum(v is None for v in values) / len(ids)
        weakest = min((v for v in values if v is not None), default=0.0)
        return (-unseen, weakest, tie[ids[0]])

    for question in bank.questions.infos():
        if question.id not in bank.case_of:
            units_by_task.setdefault(question.task, []).append((priority([question.id]), [question.id]))
    for case in bank.case_studies.values():
        ids = [q.id for q in case.questions if q.id in bank.questions]
        units_by_task.setdefault(case.task, []).append((priority(ids), ids))
    for units in units_by_task.values():
        units.sort(key=lambda u: u[0])

    chosen: list[list[str]] = []
    cases_used = 0

    def take(domain_id: int, room: int) -> int:
        """Round-robin over the domain's task statements; returns how many questions were taken."""
        nonlocal cases_used
        tasks = [t.id for d in domains if d.id == domain_id for t in d.tasks]
        rng.shuffle(tasks)
        taken = 0
        progress = True
        while taken < room and progress:
            progress = False
            for task in tasks:
                units = units_by_task.get(task, [])
                for index, (_, ids) in enumerate(units):
                    is_case = len(ids) > 1 or ids[0] in bank.case_of
                    if len(ids) <= room - taken and not (is_case and cases_used >= MAX_CASE_STUDIES):
                        units.pop(index)
                        chosen.append(ids)
                        taken += len(ids)
                        cases_used += is_case
                        progress = True
                        break
                if taken >= room:
                    break
        return taken

    shortfall = 0
    for domain in domains:
        shortfall += quotas[domain.id] - take(domain.id, quotas[domain.id])
    # A thin domain's gap is filled from the others, heaviest first, so the exam keeps its length.
    for domain in sorted(domains, key=lambda d: -d.weight):
        if shortfall <= 0:
            break
        shortfall -= take(domain.id, shortfall)
    rng.shuffle(chosen)
    return [qid for unit in chosen for qid in unit]


@dataclass(frozen=True)
class ExamResult:
    total: int
    correct: int
    scaled: int
    passing: int
    passed: bool
    time_used_s: float
    time_limit_s: int
    timed_out: bool
    by_domain: dict[str, dict[str, int]]
    by_task: dict[str, dict[str, int]]
    questions: list[dict[str, Any]] = field(default_factory=list)
    """Per question in exam order: id, correct, flagged, answered, and ms: the time it was on
    screen, summed over visits (None: never shown, or an exam from before times were kept)."""

    @property
    def timing(self) -> Timing:
        """Time per question (median, mean) against the exam's 83 s, over the items timed.
        Derived from `questions`, like `answered`, so an older result reads back with no figures."""
        return Timing.of(row.get("ms") for row in self.questions)

    @property
    def answered(self) -> int:
        """How many items had a complete response. Derived from `questions`, so results stored
        before this existed (and imported ones) read back the same without a new key."""
        return sum(1 for row in self.questions if row.get("answered"))

    @property
    def nothing_answered(self) -> bool:
        """A blank exam: kept in history as taken, but it says nothing about what is known."""
        return self.total > 0 and self.answered == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "correct": self.correct,
            "scaled": self.scaled,
            "passing": self.passing,
            "passed": self.passed,
            "time_used_s": self.time_used_s,
            "time_limit_s": self.time_limit_s,
            "timed_out": self.timed_out,
            "by_domain": self.by_domain,
            "by_task": self.by_task,
            "questions": self.questions,
            # Derived figures, stored so history, stats and the dashboard read them without
            # recomputing; `from_dict` leaves them out and derives them again.
            "timing": self.timing.as_dict(),
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> ExamResult:
        names = {f.name for f in fields(ExamResult)}
        return ExamResult(**{key: value for key, value in data.items() if key in names})


def scaled_score(correct: int, total: int, scale: tuple[int, int]) -> int:
    low, high = scale
    return round(low + (high - low) * (correct / total if total else 0))


def score(
    bank: Bank,
    question_ids: list[str],
    responses: Mapping[int, Response],
    flagged: set[int],
    time_used_s: float,
    time_limit_s: int,
    timed_out: bool,
    durations: Mapping[int, int] | None = None,
) -> ExamResult:
    """All-or-nothing per question; a blank counts as wrong, as on the real exam. `durations`:
    the time on each item (ms by position), for the time per question."""
    durations = durations or {}
    fmt = bank.blueprint.format
    by_domain = {str(d.id): {"correct": 0, "total": 0} for d in bank.blueprint.domains}
    by_task = {t: {"correct": 0, "total": 0} for t in bank.blueprint.task_ids()}
    rows = []
    correct = 0
    for position, qid in enumerate(question_ids):
        question = bank.questions.get(qid)
        response = responses.get(position)
        right = question is not None and grade(question, response)
        correct += right
        if question is not None:
            for bucket in (by_domain[str(bank.domain_of(question))], by_task[question.task]):
                bucket["total"] += 1
                bucket["correct"] += right
        rows.append(
            {
                "id": qid,
                "correct": right,
                "flagged": position in flagged,
                "answered": question is not None and is_complete(question, response),
                "ms": durations.get(position),
            }
        )
    total = len(question_ids)
    scaled = scaled_score(correct, total, fmt.scale)
    return ExamResult(
        total,
        correct,
        scaled,
        fmt.passing,
        scaled >= fmt.passing,
        round(time_used_s, 1),
        time_limit_s,
        timed_out,
        by_domain,
        by_task,
        rows,
    )


class ExamSession:
    """An exam in progress. Every move, answer and flag is committed the moment it happens."""

    def __init__(self, bank: Bank, store: ProgressStore, clock: Clock, srs: Srs, record: ExamRecord) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.srs = srs
        self.id = record.id
        self.seed = record.seed
        self.question_ids = record.question_ids
        self.time_limit_s = record.time_limit_s
        self.position = record.position
        self.responses: dict[int, Response] = dict(record.responses)
        self.flagged: set[int] = set(record.flagged)
        self.durations: dict[int, int] = dict(record.durations)
        """Time on each item so far (ms by position, summed over visits), as `spend` adds it."""
        self._unsaved: set[int] = set()
        """Positions whose time changed since the last step the store accepted."""
        self._elapsed_before = record.elapsed_s
        self._resumed_at: datetime = clock.now()
        self.result: ExamResult | None = None

    # ----------------------------------------------------------------- time

    def elapsed(self) -> float:
        return min(
            self.time_limit_s, self._elapsed_before + (self.clock.now() - self._resumed_at).total_seconds()
        )

    def remaining(self) -> float:
        return max(0.0, self.time_limit_s - self.elapsed())

    def time_is_up(self) -> bool:
        return self.remaining() <= 0

    def checkpoint(self) -> None:
        """Persist the time used so far and the item times `spend` added (the app calls this on
        a timer, too)."""
        self._save(self.position)

    def spend(self, position: int | None, ms: float | None) -> None:
        """Add time the learner spent on an item (the screen's `Stopwatch.lap()`/`stop()`), when
        leaving it and before a checkpoint. Held in memory and saved with the next step (move,
        answer, flag, checkpoint or submit), so the app's timer bounds what a crash can lose.
        None or a wrong time adds nothing; after submit, nothing changes."""
        index = self.position if position is None else position
        if not 0 <= index < len(self):
            raise IndexError(index)
        ms = clean_duration(ms)
        if ms is None or self.result is not None:
            return
        self.durations[index] = min(MAX_DURATION_MS, self.durations.get(index, 0) + ms)
        self._unsaved.add(index)

    def _save(self, position: int, **step: Any) -> None:
        """One exam step through the store, carrying the item times not saved yet; they count as
        saved only once the store accepted the step (a refused write keeps them for the next)."""
        unsaved = {i: self.durations[i] for i in sorted(self._unsaved)}
        self.store.save_exam_step(self.id, position, self.elapsed(), durations=unsaved, **step)
        self._unsaved.clear()

    # ----------------------------------------------------------------- questions and moves

    def __len__(self) -> int:
        return len(self.question_ids)

    def question(self, position: int | None = None) -> AnyQuestion:
        return self.bank.questions[self.question_ids[self.position if position is None else position]]

    # Each step is written before the session changes, so a write the store refuses (a full disk)
    # leaves the session as the store has it and the same key can simply be pressed again.

    def go(self, position: int) -> None:
        if not 0 <= position < len(self):
            raise IndexError(position)
        self._save(position)
        self.position = position

    def next(self) -> None:
        if self.position < len(self) - 1:
            self.go(self.position + 1)

    def previous(self) -> None:
        if self.position > 0:
            self.go(self.position - 1)

    def answer(self, response: Response, position: int | None = None) -> None:
        """Set (or change, until submit) the response at a position."""
        self._ensure_open()
        index = self.position if position is None else position
        value = normalise(self.question(index), response)
        self._save(self.position, response=(index, value))
        if value is None:
            self.responses.pop(index, None)
        else:
            self.responses[index] = value

    def toggle_flag(self, position: int | None = None) -> bool:
        self._ensure_open()
        index = self.position if position is None else position
        flagged = index not in self.flagged
        self._save(self.position, flag=(index, flagged))
        if flagged:
            self.flagged.add(index)
        else:
            self.flagged.discard(index)
        return flagged

    def is_answered(self, position: int) -> bool:
        return is_complete(self.question(position), self.responses.get(position))

    def unanswered(self) -> list[int]:
        return [p for p in range(len(self)) if not self.is_answered(p)]

    def nothing_answered(self) -> bool:
        """True while no item has a complete response: the screen asks before submitting that."""
        return not any(self.is_answered(p) for p in range(len(self)))

    def flagged_positions(self) -> list[int]:
        return sorted(self.flagged)

    def _ensure_open(self) -> None:
        if self.result is not None:
            raise RuntimeError("the exam has been submitted")

    # ----------------------------------------------------------------- submit

    def submit(self, timed_out: bool | None = None) -> ExamResult:
        """Score, record every answered item (scheduling and missed queue) and close the exam.

        An item left unanswered (no complete response) is wrong in this exam's score, as on the
        real exam, but it is not an answer to that question: the learner may never have read it.
        Recording it would put never-seen questions in the missed queue, count them as answered
        and wrong in stats and mastery, and schedule them for review. So only answered items are
        written; readiness, which is built from those answers alone, is then untouched by blanks,
        and an exam submitted with nothing answered stays in exam history without moving it.
        """
        if self.result is not None:
            return self.result
        if timed_out is None:
            timed_out = self.time_is_up()
        used = self.elapsed()
        result = score(
            self.bank,
            self.question_ids,
            self.responses,
            self.flagged,
            used,
            self.time_limit_s,
            timed_out,
            self.durations,
        )
        now = self.clock.now()
        today = self.clock.today()
        writes: list[tuple[AnswerWrite, ItemState | None, int | None]] = []
        for position, qid in enumerate(self.question_ids):
            if qid not in self.bank.questions or not result.questions[position]["answered"]:
                continue
            right = result.questions[position]["correct"]
            rating = Rating.Good if right else Rating.Again
            state = self.srs.review(self.store.state(qid), qid, "question", rating, now, today)
            answer = AnswerWrite(
                qid,
                iso(now),
                today.isoformat(),
                right,
                "exam",
                self.responses.get(position),
                duration_ms=self.durations.get(position),  # its time over every visit
            )
            writes.append((answer, state, int(rating)))
        unsaved = {i: self.durations[i] for i in sorted(self._unsaved)}
        status = "timed_out" if timed_out else "submitted"
        self.store.finish_exam(self.id, status, iso(now), used, result.as_dict(), writes, unsaved)
        self._unsaved.clear()
        self.result = result
        return result
