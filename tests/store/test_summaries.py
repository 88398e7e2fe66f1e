"""The summary tables of schema 6 (issue 18) always equal what the log says.

They are running totals kept by SQL triggers, so whatever writes the log (an answer, an undo, a guess
marked, an exam, an import) keeps them; these tests write the log every such way and compare each
summary with the same figure worked out from the whole log, and the study figures built on them
(first tries, mastery, accuracy, true retention, the median time) with the old whole-log way.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from datetime import timedelta

import pytest
from fsrs import Rating

from quizapp.store import AnswerWrite, ItemState, ProgressStore
from quizapp.store.summaries import RECENT_PER_QUESTION, first_tries, question_tallies, recent_answers
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from quizapp.study.passchance import first_tries as first_tries_from_answers
from quizapp.study.readiness import RECENT_ANSWERS, mastery_by, newest_needed
from tests.factory import START, make_bank
from tests.store.histories import study_history


def from_the_log(conn: sqlite3.Connection) -> dict[str, object]:
    """Every summary, worked out from the log alone (the slow way the summaries replace)."""
    return {
        "tally": sorted(
            [
                ("answers", conn.execute("SELECT count(*) FROM answer").fetchone()[0]),
                (
                    "answers_correct",
                    conn.execute("SELECT coalesce(sum(correct), 0) FROM answer").fetchone()[0],
                ),
                ("answers_guess", conn.execute("SELECT coalesce(sum(guess), 0) FROM answer").fetchone()[0]),
                *conn.execute("SELECT 'reviews:' || kind, count(*) FROM review GROUP BY kind").fetchall(),
            ]
        ),
        "question_tally": conn.execute(
            "SELECT question_id, count(*), sum(correct), (SELECT id FROM answer f WHERE f.question_id = "
            "a.question_id ORDER BY answered_at, id LIMIT 1), (SELECT answered_at FROM answer f WHERE "
            "f.question_id = a.question_id ORDER BY answered_at, id LIMIT 1), (SELECT correct AND NOT guess "
            "FROM answer f WHERE f.question_id = a.question_id ORDER BY answered_at, id LIMIT 1) "
            "FROM answer a GROUP BY question_id ORDER BY question_id"
        ).fetchall(),
        "answer_recent": conn.execute(
            "SELECT id, question_id, answered_at, correct FROM (SELECT *, row_number() OVER (PARTITION BY "
            f"question_id ORDER BY answered_at DESC, id DESC) AS k FROM answer) "
            f"WHERE k <= {RECENT_PER_QUESTION} ORDER BY id"
        ).fetchall(),
        "review_outcome": conn.execute(
            "SELECT reviewed_at, id, kind, rating, iv FROM (SELECT *, CASE WHEN json_valid(before_json) THEN "
            "json_extract(before_json, '$.card.state') END AS st, CASE WHEN json_valid(before_json) THEN "
            "(json_extract(before_json, '$.due') / 86400.0 + 2440587.5) - "
            "julianday(json_extract(before_json, '$.card.last_review')) END AS iv FROM review) "
            "WHERE st = 2 AND iv IS NOT NULL ORDER BY reviewed_at, id"
        ).fetchall(),
    }


def kept(conn: sqlite3.Connection) -> dict[str, object]:
    """The summaries as the store keeps them."""
    return {
        "tally": [
            r
            for r in conn.execute("SELECT name, n FROM tally ORDER BY name")
            if r[1] or "reviews" not in r[0]
        ],
        "question_tally": conn.execute("SELECT * FROM question_tally ORDER BY question_id").fetchall(),
        "answer_recent": conn.execute("SELECT * FROM answer_recent ORDER BY id").fetchall(),
        "review_outcome": conn.execute("SELECT * FROM review_outcome ORDER BY reviewed_at, id").fetchall(),
    }


def in_review(item_id: str, due: int, last_review: str, kind: str = "card") -> ItemState:
    return ItemState(item_id, kind, {"state": 2, "last_review": last_review}, due, 0, 3, False, "2026-10-01")


def test_the_store_keeps_as_many_recent_answers_as_readiness_uses():
    assert RECENT_PER_QUESTION == RECENT_ANSWERS


def test_every_way_of_writing_the_log_keeps_the_summaries(tmp_path):
    bank, clock = make_bank(), ManualClock(START)
    coach = study_history(tmp_path / "a", bank, clock)
    store, conn = coach.store, coach.store._conn
    assert kept(conn) == from_the_log(conn)
    qid = next(iter(bank.questions))
    ids = []
    for i in range(RECENT_PER_QUESTION + 5):  # more than the recent window, some out of order
        at = (START + timedelta(days=30, minutes=i * (1 if i % 7 else -50))).isoformat()
        ids.append(store.record_answer(AnswerWrite(qid, at, at[:10], i % 3 != 0, "practice", 0), None, None))
    assert kept(conn) == from_the_log(conn)
    store.set_guess(ids[3], True, None, None)  # a guess marked
    store.undo_answer(ids[-1])  # the newest undone: an older one comes back into the window
    store.undo_answer(min(ids[:-1], key=lambda i: store.answer(i).answered_at))  # its first undone
    assert kept(conn) == from_the_log(conn)
    due = int((START + timedelta(days=40)).timestamp())
    store.record_review(
        in_review("c-x", due, (START + timedelta(days=10)).isoformat()), 3, START.isoformat(), "f"
    )
    review = store.record_review(
        in_review("c-x", due, START.isoformat()), 1, (START + timedelta(1)).isoformat(), "f"
    )
    (good,) = conn.execute("SELECT before_json FROM review WHERE id = ?", (review,)).fetchone()
    conn.execute("UPDATE review SET before_json = '{not json' WHERE id = ?", (review,))  # damaged: skipped
    assert kept(conn) == from_the_log(conn)
    conn.execute("UPDATE review SET before_json = ? WHERE id = ?", (good, review))  # and repaired
    assert kept(conn) == from_the_log(conn) and len(kept(conn)["review_outcome"]) >= 1
    store.undo_review(review)
    assert kept(conn) == from_the_log(conn)
    # an import into another store (rows inserted in bulk, logs merged) keeps them too
    source = study_history(tmp_path / "c", bank, ManualClock(START + timedelta(days=2)))
    other = Coach(bank, ProgressStore.open(tmp_path / "b"), ManualClock(START), fuzz=False)
    study_history(tmp_path / "b", bank, ManualClock(START)).store.close()  # its own history first
    for _ in range(2):  # the second import adds nothing, and changes nothing
        other.store.import_data(json.loads(json.dumps(source.store.export_data())), other.srs.replay)
        assert kept(other.store._conn) == from_the_log(other.store._conn)
    assert other.store.answered_count() == 2 * source.store.answered_count() > 0


def test_the_figures_read_from_summaries_equal_the_whole_log_ones(tmp_path):
    bank, clock = make_bank(per_task=1, cards_per_task=1), ManualClock(START)
    coach = Coach(bank, ProgressStore.open(tmp_path), clock, fuzz=False)
    for day in range(30):  # a month of cramming a small bank: each question answered 30 times
        session = coach.practice(cram=True)
        for n in range(min(25, len(session))):
            question = session.current()
            session.answer(correct_response(question) if (n + day) % 3 else None, duration_ms=1000 * n + day)
            if n % 11 == 5:
                session.mark_guess()
            clock.advance(minutes=2)
        cards = coach.flashcards()
        while cards.current() is not None and cards.reviewed < 6:
            cards.rate(Rating.Good if day % 4 else Rating.Again, duration_ms=2000)
        clock.advance(days=1)
    store = coach.store
    answers = list(store.answers())
    assert first_tries(store) == first_tries_from_answers(answers)
    newest_first = [(a.question_id, a.correct) for a in reversed(answers)]
    assert len(list(recent_answers(store))) < len(newest_first)  # the window holds fewer ...
    keys = (lambda q: q.task, lambda q: str(bank.domain_of(q)))
    answered = {qid: n for qid, (n, _right) in question_tallies(store).items()}
    needed = newest_needed(bank, keys, recent_answers(store), answered)
    assert 0 < len(needed) < len(list(recent_answers(store)))  # read only as far as needed ...
    for key in keys:  # ... and the same figures as from every answer
        whole = mastery_by(bank, key, {}, {}, newest_first)
        assert mastery_by(bank, key, {}, {}, recent_answers(store)) == whole
        assert mastery_by(bank, key, {}, {}, needed) == whole
    assert store.answered_count() == len(answers)
    assert store.median_answer_ms() == statistics.median(
        a.duration_ms for a in answers if a.duration_ms is not None
    )
    stats = coach.stats()
    answered = sum(v["answered"] for v in stats["accuracy"]["by_task"].values())
    right = sum(v["correct"] for v in stats["accuracy"]["by_task"].values())
    assert (answered, right) == (len(answers), sum(a.correct for a in answers))
    assert stats["reviewed"] == len([r for r in store.reviews() if r.kind == "card"])


@pytest.mark.parametrize("timed", [0, 1, 2, 5, 6])
def test_the_median_time_is_statistics_median(tmp_path, timed):
    with ProgressStore.open(tmp_path) as store:
        times = [7000, 1000, 3000, 3000, 9000, 2000][:timed]
        for n, ms in enumerate([*times, None]):
            at = (START + timedelta(minutes=n)).isoformat()
            store.record_answer(
                AnswerWrite("q1", at, at[:10], True, "practice", 0, duration_ms=ms), None, None
            )
        assert store.median_answer_ms() == (statistics.median(times) if times else None)
