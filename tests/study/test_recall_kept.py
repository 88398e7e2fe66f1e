"""The recall calibration's evidence is kept in the store between processes (issue 18), so a new
Coach (the next start, `quizapp stats`) reads only the question reviews added since, not the log."""

from __future__ import annotations

import pytest

import quizapp.study.predictions as predictions
from quizapp.store.summaries import save_note, saved_note
from quizapp.study import Coach, ManualClock
from quizapp.study.fit_settings import FsrsChoice
from quizapp.study.srs import DEFAULT_PARAMETERS
from tests.factory import make_coach
from tests.study.test_pass_wiring import BANK, _study


def _fresh(coach: Coach) -> Coach:
    """Another process on the same file: a new Coach, nothing cached."""
    return Coach(coach.bank, coach.store, ManualClock(coach.clock.now()), fuzz=False)


def _same(a: predictions.Calibration, b: predictions.Calibration) -> bool:
    return (a.a, a.b, a.reviews) == (pytest.approx(b.a), pytest.approx(b.b), b.reviews)


def test_a_new_coach_reads_only_the_reviews_since_the_kept_evidence(tmp_path):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 6)
    first = coach.pass_chance()
    assert saved_note(coach.store, predictions.NOTE)  # it read the log whole: kept for the next
    assert not coach.keep_recall_evidence()  # and not again while nothing moved
    again = _fresh(coach)
    assert again.pass_chance().p == pytest.approx(first.p)
    assert again._recall.full_reads == 0  # nothing read but the note

    _study(coach, 3)  # more reviews: the next process adds just those
    later = _fresh(coach)
    whole = _fresh(coach)
    grown = later._recall.calibration(later.store, BANK, later.srs)
    assert later._recall.full_reads == 0
    save_note(coach.store, predictions.NOTE, "not json")  # a note that does not read back: the log
    read_whole = whole._recall.calibration(whole.store, BANK, whole.srs)
    assert whole._recall.full_reads == 1 and _same(grown, read_whole)


def test_kept_evidence_for_other_parameters_or_an_edited_log_is_not_used(tmp_path):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 5)
    coach.pass_chance()
    coach.keep_recall_evidence()
    other = _fresh(coach)
    other._fsrs = FsrsChoice(parameters=tuple(p * 1.01 for p in DEFAULT_PARAMETERS))
    other._recall.calibration(other.store, BANK, other.srs)
    assert other._recall.full_reads == 1  # R differs with the parameters: read whole
    session = coach.practice()
    session.answer(None)
    session.undo()  # an undo at the top of the log...
    coach.store._conn.execute(
        "DELETE FROM review WHERE id = (SELECT min(id) FROM review WHERE kind = 'question')"
    )
    edited = _fresh(coach)  # ... and a review removed below the kept top: read whole
    edited._recall.calibration(edited.store, BANK, edited.srs)
    assert edited._recall.full_reads == 1
