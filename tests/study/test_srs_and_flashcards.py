"""Spaced repetition through fsrs: ratings, previews, leeches, exam-date cap, daily limit, undo, cram."""

from __future__ import annotations

from datetime import date, timedelta

from fsrs import Rating

from quizapp.study import ManualClock, Srs, card_id
from quizapp.study.srs import LEECH_LAPSES, describe_interval
from tests.factory import START, make_bank, make_coach


def test_card_id_is_stable_and_positive():
    assert card_id("fc-nova-reel") == card_id("fc-nova-reel") > 0
    assert card_id("fc-nova-reel") != card_id("fc-nova-canvas")


def test_review_uses_fsrs_and_previews_every_button():
    srs = Srs(fuzz=False)
    state = srs.review(None, "fc-x", "card", Rating.Good, START, START.date())
    assert state.card["card_id"] == card_id("fc-x")
    assert state.reps == 1 and state.introduced_day == "2026-11-23"
    preview = srs.preview(state, "fc-x", START + timedelta(minutes=10))
    assert list(preview) == [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]
    assert preview[Rating.Again] < preview[Rating.Good] <= preview[Rating.Easy]
    assert describe_interval(timedelta(days=4)) == "4d" and describe_interval(timedelta(minutes=10)) == "10m"


def test_leech_after_eight_lapses():
    srs = Srs(fuzz=False)
    now = START
    state = srs.review(None, "fc-x", "card", Rating.Easy, now, now.date())
    for lapse in range(1, LEECH_LAPSES + 1):
        now = now + timedelta(days=30)
        state = srs.review(state, "fc-x", "card", Rating.Easy, now, now.date())  # back into Review
        now = now + timedelta(days=60)
        state = srs.review(state, "fc-x", "card", Rating.Again, now, now.date())  # a lapse
        assert state.lapses == lapse
        assert state.leech == (lapse >= LEECH_LAPSES)


def test_no_interval_is_scheduled_past_the_exam_date():
    capped = Srs(fuzz=False, exam_date=date(2026, 12, 1))
    free = Srs(fuzz=False)
    state = capped.review(None, "fc-x", "card", Rating.Easy, START, START.date())
    for srs in (capped, free):
        later = START + timedelta(days=3)
        result = srs.review(state, "fc-x", "card", Rating.Easy, later, later.date())
        if srs is capped:
            assert result.due <= int(START.replace(day=30, hour=12).timestamp())
        else:
            assert result.due > int(START.replace(day=30, hour=12).timestamp())


def test_daily_new_card_limit(tmp_path):
    coach = make_coach(tmp_path)
    coach.update_settings(new_cards_per_day=3)
    session = coach.flashcards()
    assert session.remaining() == 3
    for _ in range(3):
        session.rate(Rating.Easy)
    assert coach.flashcards().remaining() == 0, "the day's new cards are used up"
    coach.clock.advance(days=1)
    assert coach.flashcards().remaining() == 3


def test_due_cards_come_first_and_learning_cards_come_back(tmp_path):
    coach = make_coach(tmp_path)
    coach.update_settings(new_cards_per_day=2)
    first = coach.flashcards()
    a = first.current()
    rated = first.rate(Rating.Again)
    assert rated.requeued and first.queue[-1] == a.id
    coach.clock.advance(days=1)
    coach.update_settings(new_cards_per_day=5)
    second = coach.flashcards()
    assert second.current().id == a.id, "the due card comes before new ones"


def test_undo_restores_state_and_deletes_log(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.flashcards()
    card = session.current()
    session.rate(Rating.Good)
    assert coach.store.reviewed_count() == 1
    assert session.undo().id == card.id
    assert coach.store.reviewed_count() == 0 and coach.store.state(card.id) is None
    assert session.current().id == card.id
    assert session.queue.count(card.id) == 1


def test_cram_changes_no_schedule(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.flashcards(deck="deck 1", cram=True)
    assert session.remaining() == 9  # every card of the deck, no daily limit
    while not session.done:
        session.rate(Rating.Again)
    assert coach.store.reviewed_count() == 0 and coach.store.states() == {}


def test_filter_by_task(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.flashcards(task="4.2")
    assert {c for c in session.queue} == {"fc-4.2-00", "fc-4.2-01", "fc-4.2-02"}


def test_leeches_are_listed(tmp_path):
    coach = make_coach(tmp_path)
    card = next(iter(coach.bank.flashcards))
    srs = coach.srs
    now = START
    state = srs.review(None, card, "card", Rating.Easy, now, now.date())
    for _ in range(LEECH_LAPSES):
        now += timedelta(days=30)
        state = srs.review(state, card, "card", Rating.Easy, now, now.date())
        now += timedelta(days=60)
        state = srs.review(state, card, "card", Rating.Again, now, now.date())
    coach.store.record_review(state, 1, now.isoformat(), "flashcard")
    assert [c.id for c in coach.leeches()] == [card]


def test_exam_date_setting_reaches_the_scheduler(tmp_path):
    coach = make_coach(tmp_path, clock=ManualClock(START))
    coach.update_settings(exam_date="2026-12-10", desired_retention=0.85)
    assert coach.srs.exam_date == date(2026, 12, 10) and coach.srs.desired_retention == 0.85
    assert coach.days_to_exam() == 17


def test_history_of_vanished_items_is_kept_but_not_offered(tmp_path):
    bank = make_bank()
    coach = make_coach(tmp_path, bank)
    session = coach.flashcards()
    gone = session.current().id
    session.rate(Rating.Again)
    coach.clock.advance(days=2)
    smaller = make_bank()
    del smaller.flashcards[gone]
    again = make_coach(tmp_path, smaller, coach.clock)
    assert gone not in again.flashcards().queue
    assert again.store.state(gone) is not None and again.store.reviewed_count() == 1
