"""ProgressStore: the only code that speaks SQL. Every event is one committed transaction.

`study` decides (what to schedule, what is right); the store remembers, the moment it happens. A crash
loses at most the event in flight; rows become domain objects (`records`) at this edge.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quizapp.store.db import DB_NAME, checkpoint, open_database, write
from quizapp.store.exams import ExamRecords
from quizapp.store.holder import Holder
from quizapp.store.records import (
    AnswerRecord,
    AnswerWrite,
    ItemState,
    MissedEntry,
    ReviewRecord,
)
from quizapp.store.retention import RetentionRecords
from quizapp.store.rows import (
    ANSWER_COLUMNS,
    STATE_COLUMNS,
    answer_from_row,
    dumps,
    loads_or,
    state_from_json,
    state_from_row,
    state_to_json,
)
from quizapp.store.setaside import SetAside
from quizapp.store.transfer import Transfer

CHECKPOINT_EVERY = 1000
"""Commits between checkpoints when no session end comes first, so the WAL stays bounded."""


class ProgressStore(ExamRecords, RetentionRecords, SetAside, Transfer):
    """A learner's whole history in one SQLite file.

    A write that fails (full disk, read-only file, I/O error) raises StoreWriteError: that event
    was rolled back, everything committed before it is kept.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        holder: Holder | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self._conn = conn
        self.path = path
        self._holder = holder
        self.warnings: list[str] = list(warnings or [])
        """What the learner must be told although the store opened (a damaged WAL kept aside)."""
        self._since_checkpoint = 0
        self._note_changes = 0
        """Rows written for `summaries.save_note`: derived notes, left out of `change_mark`."""

    @classmethod
    def open(cls, data_dir: Path) -> ProgressStore:
        """The store in `data_dir`, or StoreError saying in plain words why it cannot be used."""
        path = Path(data_dir) / DB_NAME
        conn, holder, warnings = open_database(path)
        return cls(conn, path, holder=holder, warnings=warnings)

    def close(self) -> None:
        self._conn.close()  # the last connection to close folds the WAL into the database
        if self._holder is not None:
            self._holder.release()

    def checkpoint(self) -> None:
        """Fold the WAL into the database now: called when a session ends, off the answer path."""
        checkpoint(self._conn)
        self._since_checkpoint = 0

    def change_mark(self) -> tuple[int, int]:
        """Changes whenever what is stored may have changed: rows written through this connection
        (SQLite's running count, which a rollback does not take back, and which counts what
        triggers write) and commits by any other connection to the file (`PRAGMA data_version`:
        another process syncing, a worker's own connection). Equal marks mean the same data, so a
        figure read under one can be shown again under the other without reading it again. The
        notes a process keeps for the next start (`summaries.save_note`) are left out: they are
        derived from the data, never read as it."""
        (version,) = self._conn.execute("PRAGMA data_version").fetchone()
        return self._conn.total_changes - self._note_changes, version

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One committed event; a checkpoint every CHECKPOINT_EVERY commits bounds the WAL even
        in a session that never returns home."""
        with write(self._conn, self.path) as conn:
            yield conn
        self._since_checkpoint += 1
        if self._since_checkpoint >= CHECKPOINT_EVERY:
            self.checkpoint()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ settings

    def settings(self) -> dict[str, Any]:
        """Every stored setting; a value that is not JSON comes back as its raw text, for
        `setting_problem` to judge rather than for this read to fail."""
        rows = self._conn.execute("SELECT key, value_json FROM setting").fetchall()
        return {key: loads_or(value, value) for key, value in rows}

    def set_setting(self, key: str, value: Any, changed_at: str | None = None) -> None:
        """`changed_at` (ISO 8601, UTC) is when the learner changed it: a merge keeps the newest
        value of each setting (`Transfer.import_data`)."""
        with self._write() as c:
            c.execute(
                "INSERT INTO setting (key, value_json, changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, "
                "changed_at = excluded.changed_at",
                (key, dumps(value), changed_at),
            )

    def setting_times(self) -> dict[str, str]:
        """When each setting was last changed, for those changed since schema 7."""
        rows = self._conn.execute("SELECT key, changed_at FROM setting WHERE changed_at IS NOT NULL")
        return dict(rows.fetchall())

    # ------------------------------------------------------------------ spaced repetition state

    def state(self, item_id: str) -> ItemState | None:
        row = self._conn.execute(
            f"SELECT {STATE_COLUMNS} FROM item_state WHERE item_id = ?", (item_id,)
        ).fetchone()
        return state_from_row(row) if row else None

    def states(self, kind: str | None = None) -> dict[str, ItemState]:
        if kind is None:
            rows = self._conn.execute(f"SELECT {STATE_COLUMNS} FROM item_state")
        else:
            rows = self._conn.execute(f"SELECT {STATE_COLUMNS} FROM item_state WHERE kind = ?", (kind,))
        return {row[0]: state_from_row(row) for row in rows}

    def item_ids(self, kind: str) -> set[str]:
        """The items of `kind` with a state (seen at least once): the index alone, no state decoded."""
        return {r[0] for r in self._conn.execute("SELECT item_id FROM item_state WHERE kind = ?", (kind,))}

    def due_ids(self, kind: str, until: int, limit: int = 1000) -> list[str]:
        """Items whose review is due by `until` (epoch seconds), soonest first."""
        rows = self._conn.execute(
            "SELECT item_id FROM item_state WHERE kind = ? AND due <= ? ORDER BY due LIMIT ?",
            (kind, until, limit),
        )
        return [r[0] for r in rows]

    def due_count(self, kind: str, until: int) -> int:
        return self._conn.execute(
            "SELECT count(*) FROM item_state WHERE kind = ? AND due <= ?", (kind, until)
        ).fetchone()[0]

    # Due by the study day (see `quizapp.study.days`): what falls due before the day ends is due now,
    # except an item reviewed since the day started (a learning step, minutes away), which waits for
    # its time. `day_end` is epoch seconds, `day_start` an ISO timestamp like `reviewed_at`.
    _DUE_TODAY = (
        "FROM item_state WHERE kind = ? AND due < ? AND (due <= ? OR item_id NOT IN ("
        "SELECT item_id FROM review WHERE reviewed_at >= ?))"
    )

    def due_today(self, kind: str, now: int, day_start: str, day_end: int) -> list[str]:
        """Items due in the current study day, soonest due first."""
        rows = self._conn.execute(
            "SELECT item_id " + self._DUE_TODAY + " ORDER BY due, item_id", (kind, day_end, now, day_start)
        )
        return [r[0] for r in rows]

    def due_today_count(self, kind: str, now: int, day_start: str, day_end: int) -> int:
        # Two index ranges, so only the few items due later today are checked against the log.
        overdue = self._conn.execute(
            "SELECT count(*) FROM item_state WHERE kind = ? AND due <= ?", (kind, now)
        ).fetchone()[0]
        later = self._conn.execute(
            "SELECT count(*) FROM item_state WHERE kind = ? AND due > ? AND due < ? AND item_id NOT IN ("
            "SELECT item_id FROM review WHERE reviewed_at >= ?)",
            (kind, now, day_end, day_start),
        ).fetchone()[0]
        return overdue + later

    def next_due_after(self, kind: str, now: int) -> int | None:
        """The soonest due time (epoch seconds) after `now`: when a due count may next change with
        no write. One end of the `item_state_due` index range."""
        return self._conn.execute(
            "SELECT min(due) FROM item_state WHERE kind = ? AND due > ?", (kind, now)
        ).fetchone()[0]

    def due_by_day(self, kind: str, ends: list[int]) -> list[int]:
        """How many items fall due in each day that ends at `ends[i]` (epoch seconds, ascending);
        the first day also holds everything overdue."""
        sql = "SELECT count(*) FROM item_state WHERE kind = ? AND due >= ? AND due < ?"
        counts, start = [], -(2**62)  # the first day from the beginning of time: overdue included
        for end in ends:
            counts.append(self._conn.execute(sql, (kind, start, end)).fetchone()[0])
            start = end
        return counts

    # The day's reviews are a range of the time index. Named, because with `review_kind` (schema 6)
    # SQLite, which has no statistics, would rather walk every review of the kind.
    def first_reviews_since(self, kind: str, since: str) -> int:
        """Items first reviewed at or after `since` (ISO): the new cards introduced today."""
        return self._conn.execute(
            "SELECT count(*) FROM review INDEXED BY review_time "
            "WHERE kind = ? AND reviewed_at >= ? AND before_json IS NULL",
            (kind, since),
        ).fetchone()[0]

    def repeat_reviews_since(self, kind: str, since: str) -> int:
        """Reviews of items seen before, at or after `since` (ISO): the day's review load so far."""
        return self._conn.execute(
            "SELECT count(*) FROM review INDEXED BY review_time "
            "WHERE kind = ? AND reviewed_at >= ? AND before_json IS NOT NULL",
            (kind, since),
        ).fetchone()[0]

    def leeches(self, kind: str = "card") -> list[str]:
        rows = self._conn.execute(
            "SELECT item_id FROM item_state WHERE kind = ? AND leech = 1 ORDER BY item_id", (kind,)
        )
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ reviews and answers

    def _review(
        self,
        c: sqlite3.Connection,
        new: ItemState,
        rating: int,
        at: str,
        mode: str,
        duration_ms: int | None = None,
    ) -> int:
        before = c.execute(
            "SELECT " + STATE_COLUMNS + " FROM item_state WHERE item_id = ?", (new.item_id,)
        ).fetchone()
        before_json = state_to_json(state_from_row(before)) if before else None
        review_id = c.execute(
            "INSERT INTO review (item_id, kind, rating, reviewed_at, mode, before_json, duration_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (new.item_id, new.kind, rating, at, mode, before_json, duration_ms),
        ).lastrowid
        self._put_state(c, new)
        return int(review_id)

    @staticmethod
    def _put_state(c: sqlite3.Connection, s: ItemState) -> None:
        c.execute(
            f"INSERT OR REPLACE INTO item_state ({STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (s.item_id, s.kind, dumps(s.card), s.due, s.lapses, s.reps, int(s.leech), s.introduced_day),
        )

    def record_review(
        self, new: ItemState, rating: int, reviewed_at: str, mode: str, duration_ms: int | None = None
    ) -> int:
        """A flashcard rating: the log row (with the time it took, if measured) and the new state,
        committed together."""
        with self._write() as c:
            return self._review(c, new, rating, reviewed_at, mode, duration_ms)

    def _undo_review(self, c: sqlite3.Connection, review_id: int) -> None:
        row = c.execute("SELECT item_id, before_json FROM review WHERE id = ?", (review_id,)).fetchone()
        if row is None:
            return
        item_id, before_json = row
        before = state_from_json(item_id, before_json)
        if before is None:
            c.execute("DELETE FROM item_state WHERE item_id = ?", (item_id,))
        else:
            self._put_state(c, before)
        c.execute("DELETE FROM review WHERE id = ?", (review_id,))

    def undo_review(self, review_id: int) -> None:
        """Restore the state a rating replaced and delete its log row."""
        with self._write() as c:
            self._undo_review(c, review_id)

    def record_answer(self, answer: AnswerWrite, new_state: ItemState | None, rating: int | None) -> int:
        """An answered question: answer row, scheduling and missed queue, in one transaction."""
        with self._write() as c:
            return self._answer(c, answer, new_state, rating)

    def _answer(
        self, c: sqlite3.Connection, answer: AnswerWrite, new_state: ItemState | None, rating: int | None
    ) -> int:
        review_id = None
        if new_state is not None and rating is not None:  # its time goes on the answer, not here
            review_id = self._review(c, new_state, rating, answer.answered_at, answer.mode)
        answer_id = c.execute(
            "INSERT INTO answer (question_id, answered_at, day, correct, guess, mode, response_json, "
            "review_id, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                answer.question_id,
                answer.answered_at,
                answer.day,
                int(answer.correct),
                int(answer.guess),
                answer.mode,
                dumps(answer.response),
                review_id,
                answer.duration_ms,
            ),
        ).lastrowid
        self._refresh_missed(c, answer.question_id)
        return int(answer_id)

    def undo_answer(self, answer_id: int) -> None:
        """Forget an answer entirely: its scheduling and its effect on the missed queue."""
        with self._write() as c:
            row = c.execute("SELECT question_id, review_id FROM answer WHERE id = ?", (answer_id,)).fetchone()
            if row is None:
                return
            question_id, review_id = row
            c.execute("DELETE FROM answer WHERE id = ?", (answer_id,))
            if review_id is not None:
                self._undo_review(c, review_id)
            self._refresh_missed(c, question_id)

    def set_guess(self, answer_id: int, guess: bool, new_state: ItemState | None, rating: int | None) -> None:
        """Mark an answer as a guess after the fact: re-rate it (Good becomes Hard)."""
        with self._write() as c:
            row = c.execute(
                "SELECT review_id, answered_at, mode FROM answer WHERE id = ?", (answer_id,)
            ).fetchone()
            if row is None:
                return
            review_id, answered_at, mode = row
            new_review = None
            if review_id is not None and new_state is not None and rating is not None:
                self._undo_review(c, review_id)
                new_review = self._review(c, new_state, rating, answered_at, mode)
            c.execute(
                "UPDATE answer SET guess = ?, review_id = coalesce(?, review_id) WHERE id = ?",
                (int(guess), new_review, answer_id),
            )

    def _refresh_missed(self, c: sqlite3.Connection, question_id: str) -> None:
        """Derive the question's missed-queue row from its answers (the answers are the truth)."""
        rows = c.execute(
            "SELECT answered_at, day, correct FROM answer WHERE question_id = ? ORDER BY answered_at, id",
            (question_id,),
        ).fetchall()
        wrong = [r for r in rows if not r[2]]
        if not wrong:
            c.execute("DELETE FROM missed WHERE question_id = ?", (question_id,))
            return
        last_missed = wrong[-1][0]
        right_days = len({day for at, day, correct in rows if correct and at > last_missed})
        due_row = c.execute("SELECT due FROM item_state WHERE item_id = ?", (question_id,)).fetchone()
        due = due_row[0] if due_row else 0
        c.execute(
            "INSERT OR REPLACE INTO missed (question_id, times_missed, last_missed_at, right_days, "
            "in_queue, due) VALUES (?, ?, ?, ?, ?, ?)",
            (question_id, len(wrong), last_missed, right_days, int(right_days < 2), due),
        )

    def answer(self, answer_id: int) -> AnswerRecord | None:
        row = self._conn.execute(f"SELECT {ANSWER_COLUMNS} FROM answer WHERE id = ?", (answer_id,)).fetchone()
        return answer_from_row(row) if row else None

    def answers(self, since: str | None = None) -> Iterator[AnswerRecord]:
        sql = f"SELECT {ANSWER_COLUMNS} FROM answer"
        rows = (
            self._conn.execute(sql + " WHERE answered_at >= ? ORDER BY answered_at, id", (since,))
            if since
            else self._conn.execute(sql + " ORDER BY answered_at, id")
        )
        for row in rows:
            yield answer_from_row(row)

    def answered_count(self) -> int:
        """Answers given: a counter row the schema's triggers keep (migration 6), not a count."""
        row = self._conn.execute("SELECT n FROM tally WHERE name = 'answers'").fetchone()
        return int(row[0]) if row else 0

    def reviewed_count(self, kind: str = "card") -> int:
        """Reviews of `kind` logged: a counter row, like `answered_count`."""
        row = self._conn.execute("SELECT n FROM tally WHERE name = ?", (f"reviews:{kind}",)).fetchone()
        return int(row[0]) if row else 0

    def median_answer_ms(self) -> float | None:
        """The median time of the answers whose time was measured (None: none was), as
        `statistics.median` gives it: the middle one, or the mean of the middle two. The second the
        middle answer is in comes from the per-second counts (`answer_second`, schema 9); the one
        or two middle times from the `answer_duration` index, from the start of that second on:
        a walk of one second's answers, not of half of them all (issue 18)."""
        rows = self._conn.execute(
            "SELECT second, n, sum(n) OVER (ORDER BY second) FROM answer_second ORDER BY second"
        ).fetchall()
        timed = rows[-1][2] if rows else 0
        if not timed:
            return None
        rank = (timed - 1) // 2  # of the (first) middle answer, from 0
        second, n, upto = next(row for row in rows if row[2] > rank)
        middle = [
            r[0]
            for r in self._conn.execute(
                "SELECT duration_ms FROM answer WHERE duration_ms IS NOT NULL AND duration_ms >= ? "
                "ORDER BY duration_ms LIMIT ? OFFSET ?",
                (second * 1000, 2 - timed % 2, rank - (upto - n)),
            )
        ]
        return middle[0] if len(middle) == 1 else (middle[0] + middle[1]) / 2

    def reviews(self, item_id: str | None = None) -> list[ReviewRecord]:
        sql = "SELECT id, item_id, kind, rating, reviewed_at, mode, before_json, duration_ms FROM review"
        rows = (
            self._conn.execute(sql + " WHERE item_id = ? ORDER BY reviewed_at, id", (item_id,))
            if item_id
            else self._conn.execute(sql + " ORDER BY reviewed_at, id")
        )
        return [
            ReviewRecord(r[0], r[1], r[2], r[3], r[4], r[5], state_from_json(r[1], r[6]), r[7]) for r in rows
        ]

    def reviews_per_quarter_hour(self, since: str) -> dict[str, int]:
        """Flashcard and question reviews per UTC quarter hour ("YYYY-MM-DDTHH:MM", the bucket's
        start) since an ISO timestamp. Every time zone's offset is a whole number of quarter hours,
        so the study layer can fold these into the learner's study days exactly; a day has at most
        96 buckets, whatever the number of reviews."""
        rows = self._conn.execute(
            "SELECT substr(reviewed_at, 1, 14) || printf('%02d', CAST(substr(reviewed_at, 15, 2) AS INTEGER)"
            " / 15 * 15), count(*) FROM review WHERE reviewed_at >= ? GROUP BY 1",
            (since,),
        )
        return dict(rows.fetchall())

    def first_review_at(self) -> str | None:
        """When the first review was given (ISO), from the time index."""
        return self._conn.execute("SELECT min(reviewed_at) FROM review").fetchone()[0]

    # ------------------------------------------------------------------ missed queue

    def missed_queue(self, limit: int = 1000) -> list[MissedEntry]:
        """Questions still to be won back: soonest due first, then the most often missed."""
        rows = self._conn.execute(
            "SELECT question_id, times_missed, last_missed_at, right_days, due FROM missed "
            "WHERE in_queue = 1 ORDER BY due, times_missed DESC LIMIT ?",
            (limit,),
        )
        return [MissedEntry(*r) for r in rows]

    def missed_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM missed WHERE in_queue = 1").fetchone()[0]
