"""What the home screen says before anything else: due counts, missed questions, the exam date,
the last exam. It needs only the store and the clock, so the first screen never waits for the
bank to load (the bank's own figures, such as readiness, follow a moment later).

Home is refreshed under a mode's summary and again on the way back, and after every dialog over it;
`KeptToday` reads the figures again only when the store or the time has moved on since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from quizapp.store import ProgressStore
from quizapp.study.clock import Clock, epoch
from quizapp.study.days import StudyClock, day_end
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
    until: datetime | None = None
    """Until when these figures hold if nothing is written: the first moment time alone may change
    one (an item falling due, the study day's end, the date's change for the days to the exam)."""

    def held_note(self) -> str:
        """What Home adds after the questions' due count when the limit holds some back."""
        if not self.questions_held:
            return ""
        return f" ({self.questions_held} more held back by your daily limit)"


def today(store: ProgressStore, clock: Clock) -> Today:
    start = clock.now()  # before any count is read: what falls due after it is caught by `until`
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
        until=_until(store, days, start),
    )


def _until(store: ProgressStore, days: StudyClock, start: datetime) -> datetime:
    """The first moment after `start` at which a figure of `today` may differ with nothing written."""
    moments = [
        day_end(start, days.cutoff_hour, days.tz),  # a new study day: new limits, new due items
        day_end(start, 0, days.tz),  # midnight: one day fewer to the exam
    ]
    for kind in ("card", "question"):
        due = store.next_due_after(kind, epoch(start))
        if due is not None:
            moments.append(datetime.fromtimestamp(due, UTC))
    return min(moments)


class KeptToday:
    """Today's figures, read again only when they may have changed: the store's change mark
    (`ProgressStore.change_mark`: any write, here or by another connection) differs, the time
    has reached `Today.until`, or the caller's own key (what else its figures depend on, such as
    the bank) differs. Home's refresh under a mode's summary and the one on the way back, a
    moment apart, read once."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._facts: Today | None = None

    def get(self, store: ProgressStore, clock: Clock, *key: object) -> tuple[Today, bool]:
        """Today's figures, and whether they were read now (False: the kept ones still hold)."""
        # The objects themselves, not their ids: a store opened in a closed one's place is another store.
        mark = (store, store.change_mark(), *key)  # before the reads: a write after is seen next time
        kept = self._facts
        if kept is not None and mark == self._key and kept.until is not None and clock.now() < kept.until:
            return kept, False
        self._facts, self._key = today(store, clock), mark
        return self._facts, True
