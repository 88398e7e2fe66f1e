"""`KeptToday` (issue 18): Home's figures are read again only when they may have changed, and then
always. What may change them: a write on the app's connection, a commit by another connection, the
time reaching an item's due moment, the study day's cut-off, midnight (the days to the exam). A note
kept for the next start is not a change. The property test checks the kept figures against fresh
ones after any sequence of ratings, answers, settings and clock moves."""

from __future__ import annotations

import dataclasses
import random
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fsrs import Rating
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.store import ProgressStore
from quizapp.store.summaries import save_note
from quizapp.study import Coach, ManualClock, Scope
from quizapp.study.grading import correct_response
from quizapp.study.practice import PracticeSession
from quizapp.study.today import KeptToday, Today, today
from tests.factory import make_bank, make_coach
from tests.history import wrong_response

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


@contextmanager
def traced(store: ProgressStore) -> Iterator[list[str]]:
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        store._conn.set_trace_callback(None)


def _figures(facts: Today) -> Today:
    """What Home shows: everything but the moment the figures hold until."""
    return dataclasses.replace(facts, until=None)


def test_nothing_written_and_nothing_due_reads_only_the_change_mark(tmp_path):
    coach = make_coach(tmp_path)
    kept = KeptToday()
    first, fresh = kept.get(coach.store, coach.clock)
    assert fresh
    coach.clock.advance(minutes=5)
    with traced(coach.store) as statements:
        again, fresh = kept.get(coach.store, coach.clock)
    assert (again, fresh) == (first, False)
    assert statements == ["PRAGMA data_version"]


def test_a_write_on_the_apps_connection_is_read_again(tmp_path):
    coach = make_coach(tmp_path)
    kept = KeptToday()
    question = next(iter(coach.bank.questions.values()))
    assert kept.get(coach.store, coach.clock)[0].missed == 0
    session = PracticeSession(coach.bank, coach.store, coach.days, coach.srs, [question.id])
    session.answer(wrong_response(question, random.Random(1)))
    facts, fresh = kept.get(coach.store, coach.clock)
    assert fresh and facts.missed == 1


def test_a_commit_by_another_connection_is_read_again(tmp_path):
    coach = make_coach(tmp_path)
    kept = KeptToday()
    assert kept.get(coach.store, coach.clock)[0].days_to_exam is None
    with ProgressStore.open(tmp_path / "data") as other:  # another process, a sync
        Coach(coach.bank, other, coach.clock, fuzz=False).update_settings(exam_date="2026-12-21")
    facts, fresh = kept.get(coach.store, coach.clock)
    assert fresh and facts.days_to_exam == 28


def test_a_note_for_the_next_start_is_not_a_change(tmp_path):
    coach = make_coach(tmp_path)
    kept = KeptToday()
    kept.get(coach.store, coach.clock)
    save_note(coach.store, "pass_chance", "{}")
    assert kept.get(coach.store, coach.clock)[1] is False


def test_the_callers_key_is_part_of_it(tmp_path):
    coach = make_coach(tmp_path)
    kept = KeptToday()
    kept.get(coach.store, coach.clock, "bank 1")
    assert kept.get(coach.store, coach.clock, "bank 1")[1] is False
    assert kept.get(coach.store, coach.clock, "bank 2")[1] is True


def test_a_learning_step_falling_due_is_read_again(tmp_path):
    """A card rated Again at 20:29 is due again at 20:30: within the day, but not before its minute."""
    coach = make_coach(tmp_path, clock=ManualClock(berlin(2026, 11, 23, 20, 29), BERLIN))
    coach.update_settings(new_cards_per_day=1)
    coach.flashcards().rate(Rating.Again)
    coach.update_settings(new_cards_per_day=0)
    kept = KeptToday()
    coach.clock.advance(seconds=30)
    facts, _ = kept.get(coach.store, coach.clock)
    assert facts.cards_due == 0 and facts.until == berlin(2026, 11, 23, 20, 30)
    coach.clock.advance(seconds=29)
    assert kept.get(coach.store, coach.clock)[1] is False
    coach.clock.advance(seconds=1)
    facts, fresh = kept.get(coach.store, coach.clock)
    assert fresh and facts.cards_due == 1


def test_midnight_and_the_cut_off_are_read_again(tmp_path):
    """Midnight takes a day off the days to the exam; 4 am (the cut-off) starts a new study day."""
    coach = make_coach(tmp_path, clock=ManualClock(berlin(2026, 11, 23, 23, 0), BERLIN))
    coach.update_settings(exam_date="2026-12-21")
    kept = KeptToday()
    facts, _ = kept.get(coach.store, coach.clock)
    assert facts.days_to_exam == 28 and facts.until == berlin(2026, 11, 24, 0, 0)
    coach.clock.current = berlin(2026, 11, 24, 0, 0)
    facts, fresh = kept.get(coach.store, coach.clock)
    assert fresh and facts.days_to_exam == 27 and facts.until == berlin(2026, 11, 24, 4, 0)
    coach.clock.current = berlin(2026, 11, 24, 3, 59)
    assert kept.get(coach.store, coach.clock)[1] is False
    coach.clock.current = berlin(2026, 11, 24, 4, 0)
    assert kept.get(coach.store, coach.clock)[1] is True


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("rate"), st.sampled_from(list(Rating))),
        st.tuples(st.just("answer"), st.booleans()),
        st.tuples(st.just("wait"), st.sampled_from([1, 59, 60, 600, 3600, 6 * 3600, 86400])),
        st.tuples(st.just("settings"), st.integers(0, 5)),
        st.tuples(st.just("look"), st.none()),
    ),
    max_size=25,
)
_BANK = make_bank(per_task=2, cards_per_task=1, case_studies=0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_kept_figures_are_always_what_a_fresh_read_gives(steps):
    """After any sequence of study, settings and time, the figures kept are the figures read."""
    scratch = Path(tempfile.mkdtemp(prefix="kept-today-"))
    try:
        coach = make_coach(scratch, bank=_BANK, clock=ManualClock(berlin(2026, 11, 23, 21, 0), BERLIN))
        kept = KeptToday()
        rng = random.Random(0)
        for step, value in steps:
            if step == "rate":
                session = coach.flashcards()
                if session.current() is not None:
                    session.rate(value)
            elif step == "answer":
                session = coach.practice(Scope("all"))
                question = session.current()
                if question is not None:
                    response = correct_response(question) if value else wrong_response(question, rng)
                    session.answer(response)
            elif step == "wait":
                coach.clock.advance(seconds=value)
            elif step == "settings":
                coach.update_settings(new_cards_per_day=value, exam_date="2026-12-0" + str(value + 1))
            got, _ = kept.get(coach.store, coach.clock)
            assert _figures(got) == _figures(today(coach.store, coach.clock)), (step, value)
        coach.store.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
