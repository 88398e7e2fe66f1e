"""Small reads Home, the dashboard, `stats` and the pass chance need, from the summary tables the
schema's triggers keep (migration 6) or one end of an index, so they cost the same after a year of
study as on the first day, never a read of the log.

Free functions on a `ProgressStore` rather than methods, so the pass chance's reads stay off the
import path of Home's first frame; they use the store's connection as its mixins do, and can move
into a mixin unchanged. The summaries are running totals of the log, never its truth: the schema's
triggers keep them in the transaction of the row that changes them, and migration 6 built them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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
    """Each answered question's `FirstTry` (`study.passchance.first_tries` over `store.answers()`),
    from the per-question summary the schema's triggers keep (one row a question, never the log).

    "Right first and none wrong since" is "right first and never wrong", as the first answer is one
    of them: never wrong is every answer right."""
    rows = store._conn.execute("SELECT question_id, first_right, answered = correct FROM question_tally")
    return {
        question_id: FirstTry(bool(right), bool(right) and bool(never_wrong))
        for question_id, right, never_wrong in rows
    }


def tally(store: ProgressStore, *names: str) -> tuple[int, ...]:
    """Counters the schema's triggers keep with every answer and review (0 when never counted):
    'answers', 'answers_correct', 'answers_guess', 'reviews:card', 'reviews:question'."""
    marks = ", ".join("?" * len(names))
    found = dict(store._conn.execute(f"SELECT name, n FROM tally WHERE name IN ({marks})", names).fetchall())
    return tuple(int(found.get(name, 0)) for name in names)


def question_tallies(store: ProgressStore) -> dict[str, tuple[int, int]]:
    """(Answers, right ones) per answered question, from its summary row."""
    rows = store._conn.execute("SELECT question_id, answered, correct FROM question_tally")
    return {question_id: (answered, correct) for question_id, answered, correct in rows}


def recent_answers(store: ProgressStore) -> Iterator[tuple[str, bool]]:
    """(Question, right) of each question's newest answers (up to `RECENT_PER_QUESTION` a question),
    newest first, as read: a caller that has what it needs stops reading. Any group of questions'
    newest `RECENT_PER_QUESTION` answers are among these."""
    rows = store._conn.execute(
        "SELECT question_id, correct FROM answer_recent ORDER BY answered_at DESC, id DESC"
    )
    for question_id, correct in rows:
        yield question_id, bool(correct)


def newest_in_groups(
    store: ProgressStore, groups: Iterable[Sequence[str]], per_group: int
) -> list[tuple[str, bool]]:
    """(Question, right) of each group's newest `per_group` answers (a group: question ids), every
    answer once, newest first: what `study.readiness.newest_needed` takes from `recent_answers`,
    without walking every question's newest answers in Python until the group answered longest ago
    has its share (about 2,000 rows after a year of study). One statement: a part a group, each
    read from the `answer_recent` summary through its question index and cut by SQLite, so Python
    sees at most `per_group` rows a group. `per_group` at most `RECENT_PER_QUESTION` (what the
    summary keeps). No group with a question: nothing is read."""
    if per_group > RECENT_PER_QUESTION:
        raise ValueError(f"the summary keeps {RECENT_PER_QUESTION} answers a question")
    parts, params = [], []
    for ids in groups:
        if ids:
            parts.append(
                "SELECT * FROM (SELECT id, answered_at, question_id, correct FROM answer_recent "
                f"WHERE question_id IN ({', '.join('?' * len(ids))}) "
                "ORDER BY answered_at DESC, id DESC LIMIT ?)"
            )
            params += [*ids, per_group]
    if not parts:
        return []
    found = {row[0]: row for row in store._conn.execute(" UNION ALL ".join(parts), params)}
    newest = sorted(found.values(), key=lambda row: (row[1], row[0]), reverse=True)
    return [(question_id, bool(correct)) for _, _, question_id, correct in newest]


RECENT_PER_QUESTION = 20
"""How many answers a question keeps in `answer_recent` (the schema's migration 6 trigger)."""


def data_stamp(store: ProgressStore) -> tuple[float | int | str | None, ...]:
    """A fingerprint of what a pass chance depends on: answers (how many, the newest, how many right
    and marked as guesses), question states (how many, their due times summed) and the question
    review tally. Any answer, review, undo, guess marked, import or repair changes it, so a cache
    keyed on it is not stale. Counter rows, the top of the rowid and one range of the item_state
    index (bounded by the bank): the same cost after any history, and the same on any connection
    to the file (a worker's snapshot or the app's own)."""
    conn = store._conn
    top = conn.execute("SELECT coalesce(max(id), 0) FROM answer").fetchone()[0]
    answers = (*tally(store, "answers", "answers_correct", "answers_guess"), top)
    states = conn.execute("SELECT count(*), total(due) FROM item_state WHERE kind = 'question'").fetchone()
    return (*answers, *states, *question_review_tally(store))


def question_review_tally(store: ProgressStore) -> tuple[int, int, str | None, int | None]:
    """(How many question reviews the log holds, the highest id, that review's time and rating).

    With evidence read up to that id, a caller tells "only new reviews since" (read just those:
    `question_reviews_from`) from "the log was edited" (an undo, an answer re-rated as a guess: read
    it all again). The time and rating tell a review apart from one that took the id of an undone
    one (SQLite reuses the highest id once it is deleted). The count is a counter row and the top
    one end of the `review_kind` index, whatever the length of the log."""
    (count,) = tally(store, "reviews:question")
    row = store._conn.execute(
        "SELECT id, reviewed_at, rating FROM review WHERE kind = 'question' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    top, at, rating = row if row else (0, None, None)
    return count, top, at, rating


def saved_note(store: ProgressStore, key: str) -> str | None:
    """A derived value kept in `housekeeping` (schema 6) to spare a later process work, or None.
    Never the truth: whoever reads it checks it still fits the log before using it."""
    row = store._conn.execute("SELECT value FROM housekeeping WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def save_note(store: ProgressStore, key: str, value: str) -> None:
    """Keep (replace) a `saved_note`: one small committed write, which never waits for another
    writer (a sync in progress): then it raises StoreWriteError and the note waits for next time."""
    from quizapp.store.db import BUSY_TIMEOUT_MS

    store._conn.execute("PRAGMA busy_timeout = 0")
    before = store._conn.total_changes
    try:
        with store._write() as c:
            c.execute("INSERT OR REPLACE INTO housekeeping (key, value) VALUES (?, ?)", (key, value))
    finally:
        store._note_changes += store._conn.total_changes - before  # a note changes no figure
        store._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


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
    "RECENT_PER_QUESTION",
    "FirstTry",
    "data_stamp",
    "first_tries",
    "newest_in_groups",
    "question_review_tally",
    "question_tallies",
    "recent_answers",
    "save_note",
    "saved_note",
    "tally",
    "question_reviews",
    "question_reviews_from",
]
