"""Time on each answer, flashcard review and exam item: stored, migrated in, unknown stays NULL."""

from __future__ import annotations

import sqlite3

import pytest

from quizapp.store import DB_NAME, SCHEMA_VERSION, AnswerWrite, ItemState, ProgressStore, StoreError
from quizapp.store.db import migrate

AT = "2026-11-23T09:00:00.000000+00:00"


def state(item_id: str, kind: str = "question") -> ItemState:
    return ItemState(item_id, kind, {"card_id": 1, "due": "x"}, 100, 0, 1, False, "2026-11-23")


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        yield s


def _old_database(folder, version: int = SCHEMA_VERSION - 1) -> None:
    """A database as the quizapp before durations left it, with a little of everything."""
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    migrate(conn, target=version)
    conn.execute("INSERT INTO item_state VALUES ('q1', 'question', '{}', 5, 0, 1, 0, '2026-11-23')")
    conn.execute(
        "INSERT INTO review (id, item_id, kind, rating, reviewed_at, mode) "
        f"VALUES (7, 'q1', 'question', 3, '{AT}', 'practice')"
    )
    conn.execute(
        "INSERT INTO review (id, item_id, kind, rating, reviewed_at, mode) "
        f"VALUES (8, 'c1', 'card', 1, '{AT}', 'flashcard')"
    )
    conn.execute(
        "INSERT INTO answer (question_id, answered_at, day, correct, guess, mode, response_json, review_id) "
        f"VALUES ('q1', '{AT}', '2026-11-23', 1, 1, 'practice', '[0,2]', 7)"
    )
    conn.execute(
        "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status, position, elapsed_s) "
        f"VALUES (3, '{AT}', 600, '[\"q1\",\"q2\"]', 'in_progress', 1, 42.5)"
    )
    conn.execute("INSERT INTO exam_answer (exam_id, position, response_json, flagged) VALUES (1, 0, '2', 1)")
    conn.close()


def test_the_previous_schema_upgrades_with_every_row_intact_and_times_unknown(tmp_path):
    _old_database(tmp_path)
    with ProgressStore.open(tmp_path) as upgraded:
        assert upgraded._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (answer,) = upgraded.answers()
        assert (answer.question_id, answer.correct, answer.guess, answer.response, answer.review_id) == (
            "q1",
            True,
            True,
            [0, 2],
            7,
        )
        assert answer.duration_ms is None  # unknown, never 0
        assert [(r.id, r.kind, r.rating, r.duration_ms) for r in upgraded.reviews()] == [
            (7, "question", 3, None),
            (8, "card", 1, None),
        ]
        exam = upgraded.in_progress_exam()
        assert (exam.position, exam.elapsed_s, exam.responses, exam.flagged) == (1, 42.5, {0: 2}, {0})
        assert exam.durations == {}
        # and the upgraded file takes times from now on
        upgraded.save_exam_step(exam.id, 1, 50.0, durations={1: 9000})
        assert upgraded.exam(exam.id).durations == {1: 9000}
        assert upgraded.exam(exam.id).responses == {0: 2}  # the time did not touch the response


def test_every_table_with_a_time_gets_a_nullable_column(tmp_path):
    _old_database(tmp_path)
    with ProgressStore.open(tmp_path) as upgraded:
        for table in ("answer", "review", "exam_answer"):
            columns = {row[1]: row for row in upgraded._conn.execute(f"PRAGMA table_info({table})")}
            _cid, _name, kind, notnull, default, _pk = columns["duration_ms"]
            assert (kind, notnull, default) == ("INTEGER", 0, None)
        assert (
            upgraded._conn.execute("SELECT count(*) FROM answer WHERE duration_ms IS NOT NULL").fetchone()[0]
            == 0
        )


def test_a_database_from_a_newer_quizapp_is_still_refused(tmp_path):
    ProgressStore.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    assert info.value.kind == "newer" and f"schema {SCHEMA_VERSION + 1}" in info.value.reason


def test_an_answer_keeps_its_time_and_its_question_review_carries_none(store):
    """One source of truth: a question's time is on its answer; the review row it links to (the
    scheduling the answer caused) carries none, so nothing can disagree."""
    answer_id = store.record_answer(
        AnswerWrite("q1", AT, "2026-11-23", True, "practice", 1, duration_ms=41_250), state("q1"), 3
    )
    record = store.answer(answer_id)
    assert record.duration_ms == 41_250
    assert [a.duration_ms for a in store.answers()] == [41_250]
    (review,) = store.reviews("q1")
    assert review.id == record.review_id and review.duration_ms is None
    store.set_guess(answer_id, True, state("q1"), 2)  # re-rated: a new review row, the time stays
    assert store.answer(answer_id).duration_ms == 41_250
    assert store.reviews("q1")[0].duration_ms is None


def test_an_answer_without_a_time_stays_unknown(store):
    answer_id = store.record_answer(AnswerWrite("q1", AT, "2026-11-23", False, "cram", 1), None, None)
    assert store.answer(answer_id).duration_ms is None


def test_a_flashcard_review_keeps_its_time_and_undo_removes_it(store):
    first = store.record_review(state("c1", "card"), 3, AT, "flashcard", duration_ms=6_500)
    second = store.record_review(state("c2", "card"), 3, AT, "flashcard")
    assert {r.item_id: r.duration_ms for r in store.reviews()} == {"c1": 6_500, "c2": None}
    store.undo_review(first)
    assert [r.id for r in store.reviews()] == [second]


def test_exam_item_times_are_saved_with_each_step_and_read_back(store):
    exam_id = store.create_exam(1, AT, 600, ["q1", "q2", "q3"], None)
    store.save_exam_step(exam_id, 1, 10.0, durations={0: 10_000})
    store.save_exam_step(exam_id, 1, 12.0, response=(1, 2), durations={1: 2_000})
    store.save_exam_step(exam_id, 2, 20.0, flag=(1, True), durations={1: 8_000})
    exam = store.exam(exam_id)
    assert exam.durations == {0: 10_000, 1: 8_000}
    assert exam.responses == {1: 2} and exam.flagged == {1}
    store.save_exam_step(exam_id, 2, 21.0, response=(0, 3))
    assert store.exam(exam_id).durations == {0: 10_000, 1: 8_000}  # a response leaves the time alone


def test_a_negative_time_is_refused_by_the_database(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.record_review(state("c1", "card"), 3, AT, "flashcard", duration_ms=-1)
    assert store.reviews() == []
