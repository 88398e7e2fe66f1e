"""Stored progress that cannot be used never stops studying, and the doctor sets it aside without
deleting history (and changes nothing the second time)."""

from __future__ import annotations

import json

import pytest
from fsrs import Rating

from quizapp.store import ItemState
from quizapp.study.clock import epoch, iso
from quizapp.study.grading import correct_response
from tests.factory import START, make_coach

BAD_CARD = {"due": "2026-11-23T09:00:00+00:00", "state": 2}  # no card_id: KeyError in py-fsrs


def _bad_state(item_id: str, kind: str) -> ItemState:
    return ItemState(item_id, kind, BAD_CARD, epoch(START), 0, 3, False, "2026-11-20")


@pytest.fixture
def coach(tmp_path):
    coach = make_coach(tmp_path)
    yield coach
    coach.store.close()


def test_a_card_state_fsrs_cannot_load_does_not_stop_stats_or_reviews(coach):
    question = next(iter(coach.bank.questions))
    card = next(iter(coach.bank.flashcards))
    coach.store.record_review(_bad_state(question, "question"), 3, iso(START), "practice")
    coach.store.record_review(_bad_state(card, "card"), 3, iso(START), "flashcard")

    stats = coach.stats()  # was KeyError: 'card_id'
    assert stats["reviewed"] == 1
    assert coach.readiness() is not None
    session = coach.flashcards()
    assert card in session.queue
    while session.current() is not None and session.current().id != card:
        session.queue.pop(0)
    assert session.intervals()  # previews treat it as new
    session.rate(Rating.Good)
    assert "card_id" in coach.store.state(card).card  # rescheduled afresh, a usable state again
    assert any(card in p for p in coach.problems) and any(question in p for p in coach.problems)


def test_one_invalid_setting_drops_only_itself(coach):
    coach.store.set_setting("exam_date", "2027-02-01")
    coach.store.set_setting("desired_retention", 0.85)
    coach.store.set_setting("new_cards_per_day", "lots")
    settings = coach.settings
    assert settings.exam_date == "2027-02-01" and settings.desired_retention == 0.85
    assert settings.new_cards_per_day == 20  # its default
    assert len(coach.problems) == 1 and "new_cards_per_day" in coach.problems[0]


@pytest.mark.parametrize(
    ("column", "value"),
    [("questions_json", json.dumps(["no-such-question", "another"])), ("position", 999), ("position", -1)],
)
def test_an_exam_that_cannot_be_resumed_is_not_offered_and_does_not_block(coach, column, value):
    exam = coach.start_exam(5, seed=3)
    coach.store._conn.execute(f"UPDATE exam SET {column} = ? WHERE id = ?", (value, exam.id))
    assert coach.resume_exam() is None
    assert not coach.has_exam_in_progress()
    new = coach.start_exam(5, seed=4)  # was: "an exam is already in progress" forever
    assert new.id != exam.id and coach.resume_exam().id == new.id
    assert any("cannot be resumed" in p for p in coach.problems)


def test_the_doctor_finds_and_sets_aside_without_deleting_history(coach):
    from quizapp.study.health import examine, repair

    store = coach.store
    qids = list(coach.bank.questions)
    card = next(iter(coach.bank.flashcards))
    # A question reviewed twice whose current state is then damaged: replay recomputes it.
    reviewed = qids[0]
    for n, rating in enumerate((Rating.Again, Rating.Good)):
        at = START.replace(hour=10 + n)
        state = coach.srs.review(store.state(reviewed), reviewed, "question", rating, at, at.date())
        store.record_review(state, int(rating), iso(at), "practice")
    good = store.state(reviewed)
    store._conn.execute("UPDATE item_state SET card_json = '{\"oops\": 1}' WHERE item_id = ?", (reviewed,))
    # A card with a damaged state and no log at all: it starts afresh.
    store._conn.execute(
        "INSERT INTO item_state VALUES (?, 'card', 'not json', 5, 0, 1, 0, '2026-11-20')", (card,)
    )
    exam = coach.start_exam(5, seed=3)
    exam.answer(correct_response(exam.question()))
    store._conn.execute("UPDATE exam SET position = 77 WHERE id = ?", (exam.id,))
    store.set_setting("desired_retention", 3)
    store.set_setting("theme", "nord")
    answers, reviews = store.answered_count(), len(store.reviews())

    found = examine(coach)
    assert {(f.what, f.key) for f in found} == {
        ("question", reviewed),
        ("card", card),
        ("exam", str(exam.id)),
        ("setting", "desired_retention"),
    }
    repaired = repair(coach)
    assert len(repaired) == 4 and examine(coach) == []
    assert store.answered_count() == answers and len(store.reviews()) == reviews  # history kept
    assert store.state(reviewed).card == good.card  # recomputed from its two reviews
    assert store.state(card) is None  # no log: the card is new again
    assert store.exam(exam.id) is None and coach.resume_exam() is None
    assert store.settings() == {"theme": "nord"}
    kept = {(r.what, r.key): r for r in store.set_aside_rows()}
    assert json.loads(kept[("item_state", card)].value)["card_json"] == "not json"
    exam_row = json.loads(kept[("exam", str(exam.id))].value)
    assert exam_row["exam"]["position"] == 77 and exam_row["answers"][0]["position"] == 0
    assert json.loads(kept[("setting", "desired_retention")].value)["value_json"] == "3"

    assert repair(coach) == []  # idempotent
    assert len(store.set_aside_rows()) == 4
    assert qids  # the bank was not touched
