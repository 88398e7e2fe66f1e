"""A short study history with every kind of record an export holds, for the import tests."""

from __future__ import annotations

from pathlib import Path

from fsrs import Rating

from quizapp.content import Bank
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response


def study_history(data_dir: Path, bank: Bank, clock: ManualClock) -> Coach:
    """Flashcard reviews, practice answers, a finished exam and one still in progress (at its
    second question), and a changed setting; most with the time they took, one of each without
    (history from before times were measured)."""
    coach = Coach(bank, ProgressStore.open(data_dir), clock, fuzz=False)
    cards = coach.flashcards()
    for n, rating in enumerate((Rating.Good, Rating.Again, Rating.Easy)):
        if cards.current():
            cards.rate(rating, duration_ms=None if n == 1 else 4_000 + n)
            clock.advance(minutes=1)
    practice = coach.practice()
    for i in range(4):
        response = correct_response(practice.current()) if i % 2 else None
        practice.answer(response, duration_ms=None if i == 2 else 30_000 + i)
        clock.advance(minutes=2)
    exam = coach.start_exam(4, seed=5)
    exam.answer(correct_response(exam.question()))
    exam.toggle_flag()
    exam.spend(0, 95_000)
    exam.next()
    exam.spend(1, 20_000)  # read, not answered
    clock.advance(minutes=3)
    exam.submit()
    clock.advance(minutes=5)
    unfinished = coach.start_exam(3, seed=6)
    unfinished.answer(correct_response(unfinished.question()))
    unfinished.spend(0, 50_000)
    unfinished.next()
    coach.update_settings(new_cards_per_day=12)
    return coach
