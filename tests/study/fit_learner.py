"""A synthetic learner whose memory follows a known, non-default FSRS model, for the fit's tests.

The app schedules with FSRS's defaults (as quizapp does before a fit), but whether the learner
recalls an item is drawn from the *true* model: py-fsrs's retrievability under `TRUE_PARAMETERS` at
the moment of the review. Recalled flashcards get Hard/Good/Easy at random, forgotten ones Again;
questions get Good or Again, and a forgotten question is sometimes answered right by luck and marked
as a guess (rated Hard), as the app records it. The learner is often a day or a few late, so reviews
meet a range of retrievabilities. Everything is seeded.

`TRUE_PARAMETERS` is a forgetful learner: initial stabilities a quarter of the defaults', slower
growth and a steeper forgetting curve, so the defaults over-predict recall and a fit can show it.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

from quizapp.store import AnswerRecord, AnswerWrite, ProgressStore, ReviewRecord
from quizapp.study.clock import iso
from quizapp.study.srs import Srs

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TRUE_PARAMETERS = (
    0.05, 0.2, 0.5, 2.0,  # initial stability after Again, Hard, Good, Easy (defaults: 0.2 to 8.3)
    6.4133, 0.8334, 3.0194, 0.001,
    1.0,  # stability growth after a recall (defaults: 1.8722)
    0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
    0.5,  # decay (defaults: 0.1542): forgetting is steeper
)  # fmt: skip


@dataclass(frozen=True)
class Event:
    item_id: str
    kind: str  # card | question
    at: datetime
    rating: int
    guess: bool = False


def simulate(items: int = 300, days: int = 120, seed: int = 1, late: bool = True) -> list[Event]:
    """Every review the learner makes, in time order: `items` items (half flashcards, half
    questions) introduced over the first half of `days`, each reviewed when the default scheduler
    says until the last day."""
    truth = Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    app = Scheduler(enable_fuzzing=False)
    rng = random.Random(seed)
    end = START + timedelta(days=days)
    events: list[Event] = []
    for n in range(items):
        kind = "card" if n % 2 == 0 else "question"
        item_id = f"{'fc' if kind == 'card' else 'q'}-{n:04d}"
        at = START + timedelta(days=rng.randrange(max(1, days // 2)), minutes=rng.randrange(480))
        true_card, app_card = Card(card_id=n + 1, due=at), Card(card_id=n + 1, due=at)
        while at < end:
            recalled = true_card.last_review is not None and rng.random() < truth.get_card_retrievability(
                true_card, at
            )
            guess = False
            if kind == "card":
                if true_card.last_review is None:
                    weights = (0.3, 0.1, 0.5, 0.1)
                    rating = rng.choices(RATINGS, weights)[0]
                elif recalled:
                    rating = rng.choices(RATINGS[1:], (0.15, 0.7, 0.15))[0]
                else:
                    rating = Rating.Again
            elif recalled or (true_card.last_review is None and rng.random() < 0.5):
                rating = Rating.Good
            elif rng.random() < 0.25:  # right by luck, and the learner says so
                rating, guess = Rating.Hard, True
            else:
                rating = Rating.Again
            events.append(Event(item_id, kind, at, int(rating), guess))
            true_card, _ = truth.review_card(true_card, rating, at)
            app_card, _ = app.review_card(app_card, rating, at)
            delay = timedelta(0)
            if late and app_card.state == State.Review:
                delay = timedelta(days=rng.choice((0, 0, 0, 1, 2, 5)))
            at = max(app_card.due, at + timedelta(minutes=1)) + delay + timedelta(minutes=rng.randrange(90))
    events.sort(key=lambda e: (e.at, e.item_id))
    return events


RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


def records(
    events: list[Event], order: list[int] | None = None
) -> tuple[list[ReviewRecord], list[AnswerRecord]]:
    """The events as the store would hand them back, inserted in `order` (indices into `events`;
    default: time order): row ids follow the insertion order, as on another machine."""
    order = list(range(len(events))) if order is None else order
    reviews: list[ReviewRecord] = []
    answers: list[AnswerRecord] = []
    for row_id, index in enumerate(order, start=1):
        e = events[index]
        reviews.append(ReviewRecord(row_id, e.item_id, e.kind, e.rating, iso(e.at), "practice", None))
        if e.kind == "question":
            day = e.at.date().isoformat()
            correct = e.rating > 1
            answers.append(
                AnswerRecord(row_id, e.item_id, iso(e.at), day, correct, e.guess, "practice", 0, row_id)
            )
    return reviews, answers


def write_history(store: ProgressStore, events: list[Event]) -> None:
    """The events through the store's own API (`record_review`, `record_answer`), with real states
    from `Srs`. Durability is switched off while writing: it is a throwaway fixture."""
    conn: sqlite3.Connection = store._conn  # noqa: SLF001 - as tests/history.py does, for speed
    conn.execute("PRAGMA synchronous = OFF")
    srs = Srs(fuzz=False)
    for e in events:
        state = srs.review(store.state(e.item_id), e.item_id, e.kind, Rating(e.rating), e.at, e.at.date())
        if e.kind == "card":
            store.record_review(state, e.rating, iso(e.at), "review")
        else:
            answer = AnswerWrite(
                e.item_id, iso(e.at), e.at.date().isoformat(), e.rating > 1, "practice", 0, e.guess
            )
            store.record_answer(answer, state, e.rating)
    conn.execute("PRAGMA synchronous = FULL")
