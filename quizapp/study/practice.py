"""Self-study: a scope of questions, answered one at a time with full feedback after each.

The same session type serves practice, review-missed and cram; only the queue and whether the
schedule changes differ. Every answer is committed as it happens; undo removes it completely.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from fsrs import Rating

from quizapp.content import AnyQuestion, Bank
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, Ref, SingleQuestion
from quizapp.content.questions import QuestionInfo
from quizapp.store import AnswerWrite, ProgressStore
from quizapp.study.clock import Clock, iso
from quizapp.study.days import StudyClock
from quizapp.study.grading import Response, correct_response, grade, normalise
from quizapp.study.load import due_today
from quizapp.study.timing import clean_duration, median_seconds

if TYPE_CHECKING:
    from quizapp.study.srs import Srs

SCOPES = ("all", "domain", "task", "tag", "type", "due", "new", "weak", "missed")
WEAK_COUNT = 20


@dataclass(frozen=True)
class Scope:
    """What to practise: `kind` is one of SCOPES; `value` names the domain, task, tag or type."""

    kind: str = "all"
    value: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SCOPES:
            raise ValueError(f"unknown scope {self.kind!r}; choose from {', '.join(SCOPES)}")
        if self.kind in ("domain", "task", "tag", "type") and not self.value:
            raise ValueError(f"scope {self.kind!r} needs a value")

    def label(self) -> str:
        return self.kind if self.value is None else f"{self.kind} {self.value}"


@dataclass(frozen=True, slots=True)
class OptionFeedback:
    text: str
    why: str
    correct: bool
    chosen: bool


@dataclass(frozen=True, slots=True)
class Feedback:
    """What the learner sees after answering: verdict, the right answer and every `why`. Slotted, as
    OptionFeedback: a session keeps one per answer (its summary, undo), hundreds in a long one."""

    question: AnyQuestion
    correct: bool
    response: Response
    right_answer: Response
    options: list[OptionFeedback]
    explanation: str
    refs: list[Ref | str]
    answer_id: int
    guess: bool = False
    duration_ms: int | None = None
    """How long the question took, shown to submitted (None: not measured)."""


def feedback_options(question: AnyQuestion, response: Response) -> list[OptionFeedback]:
    if isinstance(question, SingleQuestion):
        return [
            OptionFeedback(o.text, o.why, o.correct, response == i) for i, o in enumerate(question.options)
        ]
    if isinstance(question, MultiQuestion):
        chosen = set(response or [])
        return [OptionFeedback(o.text, o.why, o.correct, i in chosen) for i, o in enumerate(question.options)]
    return []


def right_answer_text(question: AnyQuestion) -> list[str]:
    """The key in words: option texts, the ordered items, or 'prompt → response' lines."""
    if isinstance(question, SingleQuestion | MultiQuestion):
        return [o.text for o in question.options if o.correct]
    if isinstance(question, OrderingQuestion):
        return list(question.items)
    if isinstance(question, MatchingQuestion):
        return [f"{p.prompt} → {p.response}" for p in question.pairs]
    raise TypeError(type(question))


@dataclass
class PracticeSummary:
    answered: int = 0
    correct: int = 0
    by_domain: dict[str, list[int]] = field(default_factory=dict)  # domain -> [correct, answered]
    durations_ms: list[int | None] = field(default_factory=list)

    @property
    def median_s(self) -> float | None:
        """Median seconds a question over the answers that were timed; None when none was."""
        return median_seconds(self.durations_ms)


class PracticeSession:
    """A queue of questions; answer, read the feedback, go on. `cram` leaves schedules alone."""

    def __init__(
        self,
        bank: Bank,
        store: ProgressStore,
        clock: Clock,
        srs: Srs,
        question_ids: list[str],
        mode: str = "practice",
        cram: bool = False,
        label: str = "",
    ) -> None:
        self.bank = bank
        self.store = store
        # The study day's clock: each answer's `day` is its study day (the missed queue's "two days").
        self.clock = clock if isinstance(clock, StudyClock) else StudyClock(clock)
        self.srs = srs
        self.queue = [q for q in question_ids if q in bank.questions]
        self.mode = "cram" if cram else mode
        self.cram = cram
        self.label = label
        self.index = 0
        self.history: list[Feedback] = []

    def __len__(self) -> int:
        return len(self.queue)

    @property
    def done(self) -> bool:
        return self.index >= len(self.queue)

    def current(self) -> AnyQuestion | None:
        return None if self.done else self.bank.questions[self.queue[self.index]]

    def scenario(self, question: AnyQuestion) -> str | None:
        return self.bank.scenario_of(question.id)

    def _rate(self, question: AnyQuestion, correct: bool, guess: bool) -> tuple[Any, int | None]:
        if self.cram:
            return None, None
        rating = Rating.Again if not correct else (Rating.Hard if guess else Rating.Good)
        now, today = self.clock.now(), self.clock.today()
        state = self.srs.review(self.store.state(question.id), question.id, "question", rating, now, today)
        return state, int(rating)

    def answer(self, response: Response, guess: bool = False, duration_ms: float | None = None) -> Feedback:
        """Grade and commit the answer to the current question; the queue moves on.

        `duration_ms`: how long it took from shown to submitted (the screen's `Stopwatch.stop()`),
        stored with the answer; None when not measured.
        """
        question = self.current()
        if question is None:
            raise RuntimeError("the session is over")
        ms = clean_duration(duration_ms)
        value = normalise(question, response)
        correct = grade(question, value)
        state, rating = self._rate(question, correct, guess)
        now = self.clock.now()
        answer_id = self.store.record_answer(
            AnswerWrite(
                question.id, iso(now), self.clock.today().isoformat(), correct, self.mode, value, guess, ms
            ),
            state,
            rating,
        )
        feedback = Feedback(
            question,
            correct,
            value,
            correct_response(question),
            feedback_options(question, value),
            question.explanation,
            list(question.refs),
            answer_id,
            guess,
            ms,
        )
        self.history.append(feedback)
        self.index += 1
        return feedback

    def mark_guess(self) -> Feedback | None:
        """Say the last right answer was a guess: it is rescheduled as Hard instead of Good."""
        if not self.history:
            return None
        last = self.history[-1]
        if last.guess or not last.correct:
            return last
        state, rating = self._rate(last.question, True, True)
        self.store.set_guess(last.answer_id, True, state, rating)
        updated = replace(last, guess=True)
        self.history[-1] = updated
        return updated

    def undo(self) -> AnyQuestion | None:
        """Take back the last answer: deleted from the store, and the question comes back."""
        if not self.history:
            return None
        last = self.history[-1]
        self.store.undo_answer(last.answer_id)  # first: a refused undo changes nothing
        self.history.pop()
        self.index -= 1
        return last.question

    def summary(self) -> PracticeSummary:
        summary = PracticeSummary()
        for fb in self.history:
            summary.answered += 1
            summary.correct += fb.correct
            bucket = summary.by_domain.setdefault(str(self.bank.domain_of(fb.question)), [0, 0])
            bucket[0] += fb.correct
            bucket[1] += 1
            summary.durations_ms.append(fb.duration_ms)
        return summary


def select_questions(
    bank: Bank,
    store: ProgressStore,
    clock: StudyClock,
    scope: Scope,
    mastery: dict[str, float | None],
    review_room: int | None = None,
) -> list[str]:
    """The queue for a scope, ordered due first, then weakest, then new (interleaved by domain weight
    and task, see `interleave_new`), so a first session samples the whole exam, not one task.

    Due means due in the current study day. Due questions come lowest recall first (the most overdue),
    and the "due" scope serves at most `review_room` of them (the daily review limit's room; None: no
    limit); the rest wait for a later day.
    """
    if scope.kind == "missed":
        return [m.question_id for m in store.missed_queue() if m.question_id in bank.questions]
    pool = [q for q in bank.questions.infos() if _in_scope(bank, q, scope)]
    states = store.states("question")
    due_ids = set(due_today(store, clock, "question"))
    due = sorted(
        (q for q in pool if q.id in due_ids), key=lambda q: (mastery.get(q.id) or 0.0, states[q.id].due, q.id)
    )
    seen_not_due = sorted(
        (q for q in pool if q.id in states and q.id not in due_ids),
        key=lambda q: (mastery.get(q.id) or 0.0, states[q.id].due),
    )
    new = interleave_new(bank, [q for q in pool if q.id not in states])
    if scope.kind == "due":
        ordered = due if review_room is None else due[: max(0, review_room)]
    elif scope.kind == "new":
        ordered = new
    elif scope.kind == "weak":
        ordered = sorted((q for q in pool if q.id in states), key=lambda q: (mastery.get(q.id) or 0.0, q.id))[
            :WEAK_COUNT
        ]
    else:
        ordered = due + seen_not_due + new
    return [q.id for q in ordered]


def interleave_new(bank: Bank, new: list[QuestionInfo]) -> list[QuestionInfo]:
    """Deal never-answered questions across the blueprint instead of in bank-file order.

    Bank files are written a task at a time, so file order put 22 questions from task 1.1 in a row
    before the learner saw any other task. Domains take turns in proportion to their blueprint weight
    (smooth weighted round-robin), because the weights are the exam's mix: the first twenty new
    questions sample the exam as the exam will, where plain task-alternation would over-serve a domain
    that merely has more task statements. Within a domain its tasks alternate in blueprint order; within
    a task, bank order is kept (authors may order by difficulty), and a case study's questions stay
    together so its scenario is read once. There is no randomness, so the same bank and progress give
    the same queue at any clock; the cost is O(len(new) x domains), independent of the history.
    """
    if len(new) < 2:
        return list(new)
    task_rank = {task: i for i, task in enumerate(bank.blueprint.task_ids())}
    weights = {d.id: d.weight for d in bank.blueprint.domains}
    # domain -> task -> units (a case study's questions, or one question), each in first-seen order
    by_domain: dict[int, dict[str, list[list[QuestionInfo]]]] = {}
    unit_of_case: dict[str, list[QuestionInfo]] = {}
    for q in new:
        units = by_domain.setdefault(bank.domain_of(q), {}).setdefault(q.task, [])
        case = bank.case_of.get(q.id)
        if case is None:
            units.append([q])
        elif case in unit_of_case:
            unit_of_case[case].append(q)
        else:
            unit_of_case[case] = [q]
            units.append(unit_of_case[case])
    order = sorted(by_domain, key=lambda d: (d not in weights, d))
    tasks = {
        d: [
            iter(by_domain[d][t])
            for t in sorted(by_domain[d], key=lambda t: (task_rank.get(t, len(task_rank)), t))
        ]
        for d in order
    }
    remaining = {d: sum(len(u) for units in by_domain[d].values() for u in units) for d in order}
    credit = dict.fromkeys(order, 0)
    turn = dict.fromkeys(order, 0)
    result: list[QuestionInfo] = []
    while order:
        total = sum(weights.get(d, 1) for d in order)
        for d in order:
            credit[d] += weights.get(d, 1)
        domain = max(order, key=lambda d: credit[d])  # ties: the first domain in blueprint order
        unit = _next_unit(tasks[domain], turn, domain)
        result.extend(unit)
        credit[domain] -= total * len(unit)  # a case study's questions count one by one
        remaining[domain] -= len(unit)
        if not remaining[domain]:
            order.remove(domain)
    return result


def _next_unit(
    streams: list[Iterator[list[QuestionInfo]]], turn: dict[int, int], domain: int
) -> list[QuestionInfo]:
    """The next unit from the domain's tasks in rotation, skipping tasks that have run out."""
    while True:
        i = turn[domain] % len(streams)
        unit = next(streams[i], None)
        if unit is None:
            del streams[i]  # this task is done; the next one slides into slot i
            continue
        turn[domain] = i + 1
        return unit


def _in_scope(bank: Bank, question: QuestionInfo, scope: Scope) -> bool:
    if scope.kind == "domain":
        return str(bank.domain_of(question)) == scope.value
    if scope.kind == "task":
        return question.task == scope.value
    if scope.kind == "tag":
        return scope.value in question.tags
    if scope.kind == "type":
        return question.type == scope.value
    return True
