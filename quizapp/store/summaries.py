"""Small reads the pass chance needs on every Home, in SQL so they cost a millisecond, not a log.

Free functions on a `ProgressStore` rather than methods, because `progress.py` (which mixes the
store's parts together) is another change's; they use the store's connection as its mixins do, and
can move into a mixin unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from quizapp.store.records import ReviewRecord
from quizapp.store.rows import state_from_json

if TYPE_CHECKING:
    from quizapp.store.progress import ProgressStore


class FirstTry(NamedTuple):
    """What an answered question's answers say about knowing it before studying: two facts, as they
    answer two questions (`study.passmodel`)."""

    right: bool
    """Its first answer was right and not marked as a guess: the evidence about the task's knowledge,
    whose likelihood is about first answers alone (a later miss does not make a first answer wrong)."""
    kept: bool
    """`right`, and no answer wrong since: whether it may have been known all along and so never
    fades (what was known before studying is not forgotten in weeks, so a later miss says the first
    right answer was luck or fresh)."""


def first_tries(store: ProgressStore) -> dict[str, FirstTry]:
    """Each answered question's `FirstTry` (`study.passchance.first_tries` over `store.answers()`,
    without reading every response).

    "Right first and none wrong since" is "right first and never wrong", as the first answer is one
    of them; so it is one grouped pass over the answers plus the first answer's correct and guess
    flags per question (through the (question_id, answered_at) index)."""
    rows = store._conn.execute(
        "SELECT question_id, min(correct), (SELECT f.correct AND NOT f.guess FROM answer f "
        "WHERE f.question_id = a.question_id ORDER BY f.answered_at, f.id LIMIT 1) "
        "FROM answer a GROUP BY question_id"
    )
    return {
        question_id: FirstTry(bool(right), bool(right) and bool(never_wrong))
        for question_id, never_wrong, right in rows
    }


def data_stamp(store: ProgressStore) -> tuple[float | int | str | None, ...]:
    """A fingerprint of what a pass chance depends on: answers (how many, the newest, how many right
    and marked as guesses), question states (how many, their due times summed) and the question
    review tally. Any answer, review, undo, guess marked, import or repair changes it, so a cache
    keyed on it is not stale; three index or table scans, about a millisecond or two on a year of
    history, and the same on any connection to the file (a worker's snapshot or the app's own)."""
    conn = store._conn
    answers = conn.execute(
        "SELECT count(*), coalesce(max(id), 0), total(correct), total(guess) FROM answer"
    ).fetchone()
    states = conn.execute("SELECT count(*), total(due) FROM item_state WHERE kind = 'question'").fetchone()
    return (*answers, *states, *question_review_tally(store))


def question_review_tally(store: ProgressStore) -> tuple[int, int, str | None, int | None]:
    """(How many question reviews the log holds, the highest id, that review's time and rating).

    With evidence read up to that id, a caller tells "only new reviews since" (read just those:
    `question_reviews_from`) from "the log was edited" (an undo, an answer re-rated as a guess: read
    it all again). The time and rating tell a review apart from one that took the id of an undone
    one (SQLite reuses the highest id once it is deleted)."""
    count, top, at, rating = store._conn.execute(
        "SELECT count(*), coalesce(max(id), 0), reviewed_at, rating FROM review WHERE kind = 'question'"
    ).fetchone()  # the bare columns come from the row with max(id) (SQLite's documented rule)
    return count, top, at, rating


def question_reviews_from(store: ProgressStore, from_id: int) -> list[ReviewRecord]:
    """Question reviews with an id at or above `from_id`, by id (a range of the rowid: only the new
    rows are read)."""
    rows = store._conn.execute(
        "SELECT id, item_id, kind, rating, reviewed_at, mode, before_json, duration_ms FROM review "
        "WHERE id >= ? AND kind = 'question' ORDER BY id",
        (from_id,),
    )
    return [ReviewRecord(r[0], r[1], r[2], r[3], r[4], r[5], state_from_json(r[1], r[6]), r[7]) for r in rows]


def question_reviews(store: ProgressStore) -> list[ReviewRecord]:
    """Every question review, by id (flashcard reviews are not read: the recall check leaves them out)."""
    return question_reviews_from(store, 0)


__all__ = [
    "FirstTry",
    "data_stamp",
    "first_tries",
    "question_review_tally",
    "question_reviews",
    "question_reviews_from",
]
