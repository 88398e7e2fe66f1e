"""Days and daily loads (issue 15, items 9 and 10): due by the study day, limits that reset at the
cut-off, the missed queue's two study days, a daily limit for question reviews, and cram that shows
no intervals it will not apply. The learner lives in Berlin; the cut-off is the default 4 am."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fsrs import Rating

from quizapp.study import ManualClock, Scope
from quizapp.study.grading import correct_response
from tests.factory import START, make_coach

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def _coach_at(tmp_path, moment: datetime):  # noqa: ANN001, ANN202
    return make_coach(tmp_path, clock=ManualClock(moment, BERLIN))


def _learn_one_card_by_2040(coach) -> str:  # noqa: ANN001
    """Again at 20:29, Good a minute later, Good at 20:40: FSRS graduates it with a one-day interval."""
    coach.update_settings(new_cards_per_day=1)
    session = coach.flashcards()
    card = session.current().id
    session.rate(Rating.Again)
    coach.clock.advance(minutes=1)
    session.rate(Rating.Good)
    coach.clock.advance(minutes=10)
    session.rate(Rating.Good)
    assert session.done
    coach.update_settings(new_cards_per_day=0)  # only this card from here on
    return card


def test_a_card_reviewed_at_2040_is_due_from_the_next_mornings_cut_off(tmp_path):
    coach = _coach_at(tmp_path, berlin(2026, 11, 23, 20, 29))
    card = _learn_one_card_by_2040(coach)
    assert coach.store.state(card).due == int(berlin(2026, 11, 24, 20, 40).timestamp())
    # Later that evening the dashboard's today holds nothing: the card is tomorrow's.
    coach.clock.current = berlin(2026, 11, 23, 22, 15)
    stats = coach.stats()
    assert coach.today().cards_due == 0 and stats["due"]["flashcards"] == 0
    assert stats["due_forecast"][:2] == [0, 1]
    coach.clock.current = berlin(2026, 11, 24, 3, 59)  # still the evening's study day
    assert coach.flashcards().queue == [] and coach.today().cards_due == 0
    coach.clock.current = berlin(2026, 11, 24, 4, 0)  # the cut-off: a new study day
    assert coach.flashcards().queue == [card], "due in the morning, not at 20:40"
    stats = coach.stats()
    assert coach.today().cards_due == 1 and stats["due"]["flashcards"] == 1
    assert stats["due_forecast"][0] == 1, "the forecast's today is the study day Home counts"


def test_a_learning_step_waits_for_its_minute(tmp_path):
    coach = _coach_at(tmp_path, berlin(2026, 11, 23, 20, 29))
    coach.update_settings(new_cards_per_day=1)
    session = coach.flashcards()
    card = session.current().id
    session.rate(Rating.Again)  # due again at 20:30: a step within the day, not a day's review
    coach.update_settings(new_cards_per_day=0)
    coach.clock.advance(seconds=30)
    assert coach.flashcards().queue == [] and coach.today().cards_due == 0
    coach.clock.advance(seconds=30)
    assert coach.flashcards().queue == [card] and coach.today().cards_due == 1


def test_the_new_card_limit_resets_at_the_cut_off_not_at_midnight(tmp_path):
    coach = _coach_at(tmp_path, berlin(2026, 11, 23, 23, 0))
    coach.update_settings(new_cards_per_day=3)
    session = coach.flashcards()
    assert session.remaining() == 3
    while not session.done:
        session.rate(Rating.Easy)
    coach.clock.current = berlin(2026, 11, 24, 1, 0)  # past midnight, before the cut-off
    assert coach.new_card_room() == 0 and coach.flashcards().remaining() == 0
    coach.clock.current = berlin(2026, 11, 24, 3, 59)
    assert coach.new_card_room() == 0
    coach.clock.current = berlin(2026, 11, 24, 4, 0)
    assert coach.new_card_room() == 3 and coach.flashcards().remaining() == 3


def test_the_cut_off_is_the_learners_setting(tmp_path):
    coach = _coach_at(tmp_path, berlin(2026, 11, 23, 23, 0))
    coach.update_settings(new_cards_per_day=1, next_day_starts_at=0)
    coach.flashcards().rate(Rating.Easy)
    assert coach.new_card_room() == 0
    coach.clock.current = berlin(2026, 11, 24, 0, 0)  # cut-off 0: midnight starts the day
    assert coach.new_card_room() == 1 and coach.days.today().isoformat() == "2026-11-24"
    coach.update_settings(next_day_starts_at=4)
    assert coach.new_card_room() == 0 and coach.days.today().isoformat() == "2026-11-23"


def _win_back(coach, question_id: str) -> None:  # noqa: ANN001
    """Answer the missed question right, in review-missed, as the learner does."""
    session = coach.review_missed()
    assert session.queue == [question_id]
    session.answer(correct_response(session.current()))


def test_right_at_2300_and_0100_is_one_study_day_for_the_missed_queue(tmp_path):
    coach = _coach_at(tmp_path, berlin(2026, 11, 23, 20, 0))
    first = coach.practice()
    question = first.current().id
    first.answer(None)  # missed
    coach.clock.current = berlin(2026, 11, 23, 23, 0)
    _win_back(coach, question)
    coach.clock.current = berlin(2026, 11, 24, 1, 0)
    _win_back(coach, question)
    assert [e.question_id for e in coach.store.missed_queue()] == [question], "one study day, not two"
    assert coach.store.missed_queue()[0].right_days == 1
    coach.clock.current = berlin(2026, 11, 24, 4, 30)
    _win_back(coach, question)
    assert coach.store.missed_count() == 0, "right on a second study day: won back"
    days = [a.day for a in coach.store.answers()]
    assert days == ["2026-11-23", "2026-11-23", "2026-11-23", "2026-11-24"]


def test_exam_answers_carry_the_study_day(tmp_path):
    coach = _coach_at(tmp_path, berlin(2026, 11, 24, 1, 0))
    exam = coach.start_exam(3, seed=1)
    exam.answer(correct_response(exam.question(0)), 0)
    exam.submit()
    assert {a.day for a in coach.store.answers()} == {"2026-11-23"}


def _due_questions(coach, count: int) -> list[str]:  # noqa: ANN001
    """`count` questions answered (some as guesses) and graduated, then a month for them to fall due."""
    session = coach.practice(Scope("type", "single"))
    ids = session.queue[:count]
    for i, _ in enumerate(ids):
        session.answer(1)  # the factory's key
        if i % 2:
            session.mark_guess()
    coach.clock.advance(minutes=11)
    session = coach.practice(Scope("due"))
    assert sorted(session.queue) == sorted(ids)
    while not session.done:
        session.answer(1)
    coach.clock.advance(days=30)
    return ids


def test_question_reviews_are_limited_per_study_day_lowest_recall_first(tmp_path):
    coach = make_coach(tmp_path, clock=ManualClock(START))
    ids = _due_questions(coach, 5)
    assert coach.today().questions_due == 5 and coach.today().questions_held == 0  # under the default 50
    coach.update_settings(question_reviews_per_day=3)
    today = coach.today()
    assert (today.questions_due, today.questions_held) == (3, 2)
    assert today.held_note() == " (2 more held back by your daily limit)"
    assert coach.stats()["due"]["questions"] == 3 and coach.stats()["due"]["questions_held"] == 2
    session = coach.practice(Scope("due"))
    assert len(session) == 3 and set(session.queue) <= set(ids)
    mastery = coach.question_mastery()
    recall = [mastery[q] for q in session.queue]
    assert recall == sorted(recall), "lowest retrievability (most overdue) first"
    held = set(ids) - set(session.queue)
    assert all(mastery[q] >= recall[-1] for q in held)
    session.answer(1)
    today = coach.today()
    assert (today.questions_due, today.questions_held) == (2, 2), "the day's answers count against it"
    assert len(coach.practice(Scope("due"))) == 2
    coach.clock.advance(days=1)  # a new study day: room for three again
    assert (coach.today().questions_due, coach.today().questions_held) == (3, 1)


def test_a_limit_of_zero_serves_no_due_questions(tmp_path):
    coach = make_coach(tmp_path, clock=ManualClock(START))
    _due_questions(coach, 2)
    coach.update_settings(question_reviews_per_day=0)
    assert (coach.today().questions_due, coach.today().questions_held) == (0, 2)
    assert len(coach.practice(Scope("due"))) == 0
    assert coach.today().held_note() == " (2 more held back by your daily limit)"


def test_cram_shows_no_intervals_because_it_applies_none(tmp_path):
    coach = make_coach(tmp_path)
    cram = coach.flashcards(deck="deck 1", cram=True)
    assert cram.schedules is False and cram.intervals() == {}
    scheduled = coach.flashcards()
    assert scheduled.schedules is True
    assert list(scheduled.intervals()) == [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]
