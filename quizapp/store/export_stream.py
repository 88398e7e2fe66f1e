"""The export written as it is read: compact JSON bytes straight from the rows, in a stable order.

A heavy learner's history is 100k reviews. Building it as Python dicts (each before-state parsed,
rebuilt and encoded again) and then as one indented text held it in memory twice and spent seconds
in json's pure-Python indenting encoder. Here the review log and the answers, nearly all of an
export, are encoded by SQLite itself (`json_object`; a stored JSON value is embedded as SQLite
parses it, checked and minified but not rebuilt in Python), a batch of rows at a time, into one output;
the small tables (settings, item states, exams) go through `rows.dumps`, as `export_data` builds
them. The result means exactly what `json.dumps(export_data())` says (tests compare the two) and is
the same bytes for the same data, so a file that would not change is recognised as unchanged.

Keys are in sorted order at every level quizapp builds; a stored JSON value (a before-state's card,
a response) keeps the order and number spelling it was stored with, which any JSON reader (an older
quizapp's `import` included) reads as the same value. SQLite writes non-ASCII text as UTF-8 where
`json.dumps` writes `\\u` escapes: the same strings once parsed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import IO, Any

from quizapp.store.rows import dumps

BATCH = 2000
"""Rows fetched and written at a time: enough to keep per-call overhead small, few enough that
the rows themselves never add up to a second copy of the history."""

SQL_JSON = sqlite3.sqlite_version_info >= (3, 38)
"""SQLite's JSON functions are built in from 3.38; an older library takes the Python encoder."""

STATE_KEYS = ("card", "due", "introduced_day", "kind", "lapses", "leech", "reps")
"""What `rows.state_to_json` writes for a review's before-state, and all an export carries of one
(a row merged by a quizapp from before import validation may hold more)."""
BEFORE_SQL = (
    "CASE WHEN before_json IS NULL THEN NULL ELSE json_object("
    + ", ".join(
        f"'{key}', json(CASE json_type(before_json, '$.leech') WHEN 'true' THEN 'true' "
        "WHEN 'false' THEN 'false' END)"
        if key == "leech"  # json_extract gives 1 or 0 for true or false
        else f"'{key}', json_extract(before_json, '$.{key}')"
        for key in STATE_KEYS
    )
    + ") END"
)
REVIEWS_SQL = (
    f"SELECT json_object('before', {BEFORE_SQL}, 'duration_ms', duration_ms, 'item_id', item_id, "
    "'kind', kind, 'mode', mode, 'rating', rating, 'reviewed_at', reviewed_at) "
    "FROM review ORDER BY reviewed_at, id"
)
ANSWERS_SQL = (
    "SELECT json_object('answered_at', a.answered_at, "
    "'correct', json(CASE WHEN a.correct THEN 'true' ELSE 'false' END), 'day', a.day, "
    "'duration_ms', a.duration_ms, 'guess', json(CASE WHEN a.guess THEN 'true' ELSE 'false' END), "
    "'mode', a.mode, 'question_id', a.question_id, 'response', json(a.response_json), "
    "'review_at', r.reviewed_at) "
    "FROM answer a LEFT JOIN review r ON r.id = a.review_id AND a.review_id != 0 "
    "ORDER BY a.answered_at, a.id"
)
REVIEWS_PY_SQL = (
    "SELECT before_json, duration_ms, item_id, kind, mode, rating, reviewed_at FROM review "
    "ORDER BY reviewed_at, id"
)
ANSWERS_PY_SQL = (
    "SELECT a.answered_at, a.correct, a.day, a.duration_ms, a.guess, a.mode, a.question_id, "
    "a.response_json, r.reviewed_at FROM answer a LEFT JOIN review r ON r.id = a.review_id "
    "AND a.review_id != 0 ORDER BY a.answered_at, a.id"
)


def review_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """A `REVIEWS_PY_SQL` row as export_data's review: of its before-state, the state's keys."""
    before, duration_ms, item_id, kind, mode, rating, at = row
    state = json.loads(before) if before is not None else None
    return {
        "before": {key: state.get(key) for key in STATE_KEYS} if state is not None else None,
        "duration_ms": duration_ms,
        "item_id": item_id,
        "kind": kind,
        "mode": mode,
        "rating": rating,
        "reviewed_at": at,
    }


def answer_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """An `ANSWERS_PY_SQL` row as export_data's answer."""
    at, correct, day, duration_ms, guess, mode, question_id, response, review_at = row
    return {
        "answered_at": at,
        "correct": bool(correct),
        "day": day,
        "duration_ms": duration_ms,
        "guess": bool(guess),
        "mode": mode,
        "question_id": question_id,
        "response": json.loads(response),
        "review_at": review_at,
    }


def write_export(
    conn: sqlite3.Connection, out: IO[bytes], head: dict[str, Any], small: Callable[[], dict[str, Any]]
) -> None:
    """Write the whole export to `out`, one read transaction long (a study session committing
    meanwhile is either all in it or not at all). `head` holds the format's scalars, `small()`
    the settings, item states and exams, read inside that transaction."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # deferred: the snapshot is taken by the first read
    try:
        parts = {**head, **small(), "answers": None, "reviews": None}
        out.write(b"{")
        for n, key in enumerate(sorted(parts)):
            out.write(b'%s"%s":' % (b"," if n else b"", key.encode()))
            if key == "reviews":
                _rows(conn, out, REVIEWS_SQL, REVIEWS_PY_SQL, review_dict)
            elif key == "answers":
                _rows(conn, out, ANSWERS_SQL, ANSWERS_PY_SQL, answer_dict)
            else:
                out.write(dumps(parts[key]).encode())
        out.write(b"}\n")
    finally:
        if own:
            conn.execute("COMMIT")  # a read: nothing to write, the snapshot is let go


def _rows(
    conn: sqlite3.Connection,
    out: IO[bytes],
    sql: str,
    py_sql: str,
    as_dict: Callable[[tuple[Any, ...]], dict[str, Any]],
) -> None:
    out.write(b"[")
    first = True
    for batch in _batches(conn, sql, py_sql, as_dict):
        if batch:
            out.write(("" if first else ",").encode() + ",".join(batch).encode())
            first = False
    out.write(b"]")


def _batches(
    conn: sqlite3.Connection, sql: str, py_sql: str, as_dict: Callable[[tuple[Any, ...]], dict[str, Any]]
) -> Iterator[list[str]]:
    """The rows' JSON texts, a batch at a time: SQLite's where it has JSON functions, else
    json's C encoder on each row's dict (sorted keys, as `json_object` is given them)."""
    if SQL_JSON:
        try:
            cursor = conn.execute(sql)
        except sqlite3.OperationalError as exc:  # a library built without its JSON functions
            if "no such function" not in str(exc):
                raise
        else:
            while batch := cursor.fetchmany(BATCH):
                yield [row[0] for row in batch]
            return
    cursor = conn.execute(py_sql)
    while batch := cursor.fetchmany(BATCH):
        yield [dumps(as_dict(row)) for row in batch]
