"""FSRS's fuzz is a draw seeded by the item and the review's time (issue 17: devices replaying the
same merged log must reach the same schedule), and it leaves the global generator as it was."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from fsrs import Rating

from quizapp.study.srs import Srs

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _due_after_reviews(srs: Srs, item_id: str) -> int:
    state = None
    at = NOW
    for rating in (Rating.Good, Rating.Good, Rating.Good, Rating.Easy):
        state = srs.review(state, item_id, "card", rating, at, date(2026, 11, 23))
        at = datetime.fromtimestamp(state.due, UTC) + timedelta(hours=1)
    assert state is not None
    return state.due


def test_the_same_reviews_reach_the_same_due_with_fuzz_on():
    srs = Srs(fuzz=True)
    random.seed(1)
    first = _due_after_reviews(srs, "card-a")
    random.seed(2)
    assert _due_after_reviews(srs, "card-a") == first


def test_fuzz_still_varies_between_items_and_leaves_the_global_generator_alone():
    srs = Srs(fuzz=True)
    dues = {_due_after_reviews(srs, f"card-{i}") for i in range(12)}
    assert len(dues) > 1, "fuzz spreads due dates across items"
    random.seed(5)
    expected = random.random()
    random.seed(5)
    _due_after_reviews(srs, "card-a")
    assert random.random() == expected
