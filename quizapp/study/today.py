"""What the home screen says before anything else: due counts, missed questions, the exam date,
the last exam. It needs only the store and the clock, so the first screen never waits for the
bank to load (the bank's own figures, such as readiness, follow a moment later)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp.store import ProgressStore
from quizapp.study.clock import Clock
from quizapp.study.days import StudyClock
from quizapp.study.load import due_today_count, question_load
from quizapp.study.settings import Settings, read_settings


@dataclass(frozen=True)
class Today:
    cards_due: int
    """Flashcards due in the current study day (due by the day, from the cut-off on)."""
    questions_due: int
    """Due questions practice serves today: within the daily review limit."""
    missed: int
    exam_in_progress: bool
    last_exam: dict[str, Any] | None
    """The last finished exam's result (scaled, passed, correct, total), if any."""
    settings: Settings
    days_to_exam: int | None
    questions_held: int = 0
    """Due questions over the daily review limit: they wait for a later day."""

    def held_note(self) -> str:
        """What Home adds after the questions' due count when the limit holds some back."""
        if not self.questions_held:
            return ""
        return f" ({self.questions_held} more held back by your daily limit)"


def today(store: ProgressStore, clock: Clock) -> Today:
    settings = read_settings(store)
    days = StudyClock(clock, settings.next_day_starts_at)
    questions = question_load(store, days, settings.question_reviews_per_day)
    return Today(
        cards_due=due_today_count(store, days, "card"),
        questions_due=questions.served,
        missed=store.missed_count(),
        exam_in_progress=store.in_progress_exam() is not None,
        last_exam=store.last_exam_result(),
        settings=settings,
        days_to_exam=(
            (date.fromisoformat(settings.exam_date) - clock.today()).days if settings.exam_date else None
        ),
        questions_held=questions.held,
    )
