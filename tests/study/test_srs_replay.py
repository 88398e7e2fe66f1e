"""Replay (import, sync) reuses one FSRS scheduler: it made a `Scheduler` for every review, which
cost more than the review itself over a merge's tens of thousands of reviews."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fsrs import Rating

import quizapp.study.srs as srs
from quizapp.store.records import ReviewRecord
from quizapp.study.srs import Srs


def _logs(item_id: str, ratings: list[Rating]) -> list[ReviewRecord]:
    start = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    return [
        ReviewRecord(n, item_id, "card", int(r), _at(start, n), "flashcard", None)
        for n, r in enumerate(ratings)
    ]


def _at(start: datetime, n: int) -> str:
    return (start + timedelta(days=3 * n)).isoformat()


def test_replay_makes_one_scheduler_for_every_review_it_replays(monkeypatch):
    made = []

    class Counted(srs.Scheduler):
        def __init__(self, *args, **kwargs) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    ratings = [Rating.Good, Rating.Good, Rating.Easy, Rating.Again, Rating.Hard] * 8  # lapses to a leech
    policies = (Srs(fuzz=True), Srs(fuzz=False, exam_date=date(2027, 3, 1)))  # fuzz; capped at an exam
    expected = {}
    for policy in policies:
        for item in ("fc-a", "fc-b", "q-c"):  # the state each review reached, one review at a time
            state = None
            for log in _logs(item, ratings):
                at = datetime.fromisoformat(log.reviewed_at)
                state = policy.review(state, item, "card", Rating(log.rating), at, at.date())
            expected[policy, item] = state
    assert any(state.leech for state in expected.values())

    monkeypatch.setattr(srs, "Scheduler", Counted)
    srs._scheduler.cache_clear()  # schedulers made before this test do not count
    replayed = {
        (policy, item): policy.replay(item, "card", _logs(item, ratings)) for policy, item in expected
    }
    assert replayed == expected  # fuzz on: each review's draw is seeded by the item and its time
    assert len(made) == len(policies)  # one per policy, for all its replays
