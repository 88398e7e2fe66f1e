"""What the home screen says before anything else: due counts, missed questions, the exam date,
the last exam. It needs only the store and the clock, so the first screen never waits for the
bank to load (the bank's own figures, such as readiness, follow a moment later)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp.store import ProgressStore
from quizapp.study.clock import Clock, epoch
from quizapp.study.settings import Settings, read_settings


@dataclass(frozen=True)
class Today:
    cards_due: int
    questions_due: int
    missed: int
    exam_in_progress: bool
    last_exam: dict[str, Any] | None
    """The last finished exam's result (scaled, passed, correct, total), if any."""
    settings: Settings
    days_to_exam: int | None


def today(store: ProgressStore, clock: Clock) -> Today:
    now = clock.now()
    settings = read_settings(store)
    finished = [e for e in store.exams() if e.result]
    return Today(
        cards_due=store.due_count("card", epoch(now)),
        questions_due=store.due_count("question", epoch(now)),
        missed=store.missed_count(),
        exam_in_progress=store.in_progress_exam() is not None,
        last_exam=finished[-1].result if finished else None,
        settings=settings,
        days_to_exam=(
            (date.fromisoformat(settings.exam_date) - clock.today()).days if settings.exam_date else None
        ),
    )
