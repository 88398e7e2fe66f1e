"""Rows as domain objects: what the store hands to `study` and takes back from it."""

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


@dataclass(frozen=True)
class AnswerWrite:
    question_id: str
    answered_at: str
    day: str
    correct: bool
    mode: str
    response: Any
    guess: bool = False


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
    responses: dict[int, Any] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
