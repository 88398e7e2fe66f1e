"""Export and import: exact round trip, idempotent merge, every review log kept, states replayed."""

from __future__ import annotations

import json

from fsrs import Rating

from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START, make_bank, make_coach


def _study(coach: Coach, clock: ManualClock, answers: int = 6, ratings=(Rating.Good, Rating.Again)) -> None:
    session = coach.flashcards()
    for rating in ratings:
        if session.current():
            session.rate(rating)
    practice = coach.practice()
    for i in range(answers):
        question = practice.current()
        practice.answer(correct_response(question) if i % 2 else None)
        clock.advance(minutes=3)
    exam = coach.start_exam(5, seed=3)
    exam.answer(correct_response(exam.question()))
    exam.toggle_flag()
    exam.submit()
    coach.update_settings(new_cards_per_day=12)


def _dump(store: ProgressStore) -> str:
    return json.dumps(store.export_data(), sort_keys=True)


def test_export_import_export_is_identical(tmp_path):
    clock = ManualClock(START)
    coach = make_coach(tmp_path / "a", clock=clock)
    _study(coach, clock)
    first = _dump(coach.store)
    with ProgressStore.open(tmp_path / "b") as other:
        added = other.import_data(json.loads(first), coach.srs.replay)
        assert added["answers"] > 0 and added["reviews"] > 0 and added["exams"] == 1
        assert _dump(other) == first
        assert other.missed_count() == coach.store.missed_count() > 0


def test_importing_twice_changes_nothing(tmp_path):
    clock = ManualClock(START)
    coach = make_coach(tmp_path / "a", clock=clock)
    _study(coach, clock)
    data = coach.store.export_data()
    with ProgressStore.open(tmp_path / "b") as other:
        other.import_data(data, coach.srs.replay)
        once = _dump(other)
        again = other.import_data(data, coach.srs.replay)
        assert set(again.values()) == {0}
        assert _dump(other) == once
    # importing into the very store it came from is a no-op as well
    assert set(coach.store.import_data(data, coach.srs.replay).values()) == {0}


def test_merging_divergent_histories_keeps_every_log_and_replays_state(tmp_path):
    bank = make_bank()
    clock_a, clock_b = ManualClock(START), ManualClock(START)
    a = make_coach(tmp_path / "a", bank, clock_a)
    b = make_coach(tmp_path / "b", bank, clock_b)
    card = next(iter(bank.flashcards))
    a.flashcards().rate(Rating.Good)  # the same first card on two machines
    clock_b.advance(hours=1)
    b.flashcards().rate(Rating.Again)
    a.store.import_data(b.store.export_data(), a.srs.replay)
    logs = a.store.reviews(card)
    assert [r.rating for r in logs] == [3, 1]
    replayed = a.srs.replay(card, "card", logs)
    assert a.store.state(card).card == replayed.card
