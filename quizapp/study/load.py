"""The day's load: what is due in the current study day, and how much of it the daily limits serve.

Home, the dashboard, flashcards and practice all ask here, so "due today" means one thing on every
screen. Light on purpose (the store and the clock only): Home reads it before the bank has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizapp.study.clock import epoch, iso

if TYPE_CHECKING:
    from quizapp.store import ProgressStore
    from quizapp.study.days import StudyClock


def due_today(store: ProgressStore, days: StudyClock, kind: str) -> list[str]:
    """Items due in the current study day (due by the day; a learning step waits for its minute),
    soonest due first."""
    return store.due_today(kind, epoch(days.now()), iso(days.start()), epoch(days.end()))


def due_today_count(store: ProgressStore, days: StudyClock, kind: str) -> int:
    return store.due_today_count(kind, epoch(days.now()), iso(days.start()), epoch(days.end()))


def due_forecast(store: ProgressStore, days: StudyClock, kind: str, count: int = 14) -> list[int]:
    """Items falling due in each of the next `count` study days, today (with everything overdue)
    first: the same days as "due today", so the forecast's first bar is what today holds."""
    return store.due_by_day(kind, [epoch(end) for end in days.ends(count)])


def new_card_room(store: ProgressStore, days: StudyClock, per_day: int) -> int:
    """New flashcards still allowed in this study day: the limit less those introduced since the
    day started (at the cut-off, not at midnight)."""
    return max(0, per_day - store.first_reviews_since("card", iso(days.start())))


@dataclass(frozen=True)
class QuestionLoad:
    """Due questions against the daily review limit."""

    due: int
    """Due today in all."""
    served: int
    """Offered today: within the limit."""
    held: int
    """Held back by the limit until a later day."""
    done: int
    """Questions seen before and answered again today (each counts against the limit)."""
    room: int
    """Due questions the limit still allows today (practice's "due" scope serves at most this)."""


def question_load(store: ProgressStore, days: StudyClock, per_day: int) -> QuestionLoad:
    due = due_today_count(store, days, "question")
    done = store.repeat_reviews_since("question", iso(days.start()))
    room = max(0, per_day - done)
    served = min(due, room)
    return QuestionLoad(due=due, served=served, held=due - served, done=done, room=room)
