"""Rows as domain objects: what the store hands to `study` and takes back from it.

`duration_ms` is the time the learner spent on the item, from shown to submitted (pauses and time
away left out); None when it was not measured (history from before quizapp measured it, an import
without it), never 0 for "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ItemState:
    """Spaced-repetition state of one flashcard or question."""

    item_id: str
    kind: str  # "card" | "question"
    card: dict[str, Any]  # fsrs.Card.to_dict()
    due: int  # epoch seconds
    lapses: int = 0
    reps: int = 0
    leech: bool = False
    introduced_day: str = ""


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    item_id: str
    kind: str
    rating: int
    reviewed_at: str
    mode: str
    before: ItemState | None
    duration_ms: int | None = None
    """A flashcard rating's time; always None on a question's review (its answer has the time)."""


@dataclass(frozen=True)
class AnswerWrite:
    question_id: str
    answered_at: str
    day: str
    correct: bool
    mode: str
    response: Any
    guess: bool = False
    duration_ms: int | None = None


@dataclass(frozen=True)
class AnswerRecord:
    id: int
    question_id: str
    answered_at: str
    day: str
    correct: bool
    guess: bool
    mode: str
    response: Any
    review_id: int | None
    duration_ms: int | None = None


@dataclass(frozen=True)
class MissedEntry:
    question_id: str
    times_missed: int
    last_missed_at: str
    right_days: int
    due: int


@dataclass(frozen=True)
class ExamRecord:
    id: int
    seed: int
    started_at: str
    time_limit_s: int
    question_ids: list[str]
    status: str  # in_progress | submitted | timed_out
    position: int
    elapsed_s: float
    finished_at: str | None = None
    result: dict[str, Any] | None = None
    predicted: int | None = None
    """The scaled score predicted when it started (None: not predicted)."""
    responses: dict[int, Any] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
    durations: dict[int, int] = field(default_factory=dict)
    """Time on each item so far (ms, summed over visits) by position; a position without one was
    never timed."""
    predicted_pass: float | None = None
    """P(pass) predicted just before it started, in [0, 1] (None: an exam from before pass chances)."""


MAX_DURATION_MS = 24 * 3600 * 1000
"""The longest time one item can take (a day): more is damage, not study. Study clamps to it, the
import refuses more."""


@dataclass(frozen=True)
class ExamSummary:
    """An exam as `quizapp stats` lists it: an `ExamRecord` without its steps, its questions
    (only how many) or its result's breakdowns (`ExamRecords.exam_summaries`)."""

    id: int
    started_at: str
    status: str
    questions: int
    finished_at: str | None
    result: dict[str, Any] | None
    predicted: int | None
    predicted_pass: float | None


@dataclass(frozen=True)
class ExamScore:
    """A finished exam as the dashboard plots it: when, what was predicted just before, what was
    scored. Read without its questions or answers (`ExamRecords.recent_scores`)."""

    started_at: str
    predicted: int | None
    predicted_pass: float | None
    scaled: int
    passed: bool
