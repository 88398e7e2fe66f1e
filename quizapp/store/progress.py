"""ProgressStore: the only code that speaks SQL. Every event is one committed transaction.

`study` decides (what to schedule, what is right); the store remembers, the moment it happens. A crash
loses at most the event in flight; rows become domain objects (`records`) at this edge.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quizapp.store.db import DB_NAME, checkpoint, open_database, write
from quizapp.store.records import (
    AnswerRecord,
    AnswerWrite,
    ExamRecord,
    ItemState,
    MissedEntry,
    ReviewRecord,
)
from quizapp.store.schema import SCHEMA_VERSION

EXPORT_FORMAT = "quizapp-progress"
EXPORT_VERSION = 1

Replay = Callable[[str, str, list[ReviewRecord]], ItemState | None]
"""Recompute an item's state from its full review log (supplied by `study` on import)."""


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _state_from_row(row: sqlite3.Row | tuple) -> ItemState:
    item_id, kind, card_json, due, lapses, reps, leech, introduced = row
    return ItemState(item_id, kind, json.loads(card_json), due, lapses, reps, bool(leech), introduced)


def _state_to_json(state: ItemState) -> str:
    return _dumps(
        {
            "card": state.card,
            "due": state.due,
            "lapses": state.lapses,
            "reps": state.reps,
            "leech": state.leech,
            "introduced_day": state.introduced_day,
            "kind": state.kind,
        }
    )


def _state_from_json(item_id: str, text: str | None) -> ItemState | None:
    if text is None:
        return None
    d = json.loads(text)
    return ItemState(
        item_id, d["kind"], d["card"], d["due"], d["lapses"], d["reps"], d["leech"], d["introduced_day"]
    )


_STATE_COLUMNS = "item_id, kind, card_json, due, lapses, reps, leech, introduced_day"


CHECKPOINT_EVERY = 1000
"""Commits between checkpoints when no session end comes first, so the WAL stays bounded."""


class ProgressStore:
    """A learner's whole history in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._since_checkpoint = 0

    @classmethod
    def open(cls, data_dir: Path) -> ProgressStore:
        path = Path(data_dir) / DB_NAME
        return cls(open_database(path), path)

    def close(self) -> None:
        self._conn.close()  # the last connection to close folds the WAL into the database

    def checkpoint(self) -> None:
        """Fold the WAL into the database now: called when a session ends, off the answer path."""
        checkpoint(self._conn)
        self._since_checkpoint = 0

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One committed event; a checkpoint every CHECKPOINT_EVERY commits bounds the WAL even
        in a session that never returns home."""
        with write(self._conn) as conn:
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
        rows = self._conn.execute("SELECT key, value_json FROM setting").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def set_setting(self, key: str, value: Any) -> None:
        with self._write() as c:
            c.execute(
                "INSERT INTO setting (key, value_json) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
                (key, _dumps(value)),
            )

    # ------------------------------------------------------------------ spaced repetition state

    def state(self, item_id: str) -> ItemState | None:
        row = self._conn.execute(
            f"SELECT {_STATE_COLUMNS} FROM item_state WHERE item_id = ?", (item_id,)
        ).fetchone()
        return _state_from_row(row) if row else None

    def states(self, kind: str | None = None) -> dict[str, ItemState]:
        if kind is None:
            rows = self._conn.execute(f"SELECT {_STATE_COLUMNS} FROM item_state")
        else:
            rows = self._conn.execute(f"SELECT {_STATE_COLUMNS} FROM item_state WHERE kind = ?", (kind,))
        return {row[0]: _state_from_row(row) for row in rows}

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

    def due_forecast(self, kind: str, start: int, days: int, day_seconds: int = 86400) -> list[int]:
        """How many items fall due on each of the next `days` days (overdue ones count on day 0)."""
        counts = [0] * days
        rows = self._conn.execute(
            "SELECT (due - ?) / ?, count(*) FROM item_state WHERE kind = ? AND due < ? GROUP BY 1",
            (start, day_seconds, kind, start + days * day_seconds),
        )
        for offset, count in rows:
            counts[max(0, int(offset))] += count
        return counts

    def introduced_on(self, kind: str, day: str) -> int:
        return self._conn.execute(
            "SELECT count(*) FROM item_state WHERE kind = ? AND introduced_day = ?", (kind, day)
        ).fetchone()[0]

    def leeches(self, kind: str = "card") -> list[str]:
        rows = self._conn.execute(
            "SELECT item_id FROM item_state WHERE kind = ? AND leech = 1 ORDER BY item_id", (kind,)
        )
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ reviews and answers

    def _review(self, c: sqlite3.Connection, new: ItemState, rating: int, at: str, mode: str) -> int:
        before = c.execute(
            "SELECT " + _STATE_COLUMNS + " FROM item_state WHERE item_id = ?", (new.item_id,)
        ).fetchone()
        before_json = _state_to_json(_state_from_row(before)) if before else None
        review_id = c.execute(
            "INSERT INTO review (item_id, kind, rating, reviewed_at, mode, before_json) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (new.item_id, new.kind, rating, at, mode, before_json),
        ).lastrowid
        self._put_state(c, new)
        return int(review_id)

    @staticmethod
    def _put_state(c: sqlite3.Connection, s: ItemState) -> None:
        c.execute(
            f"INSERT OR REPLACE INTO item_state ({_STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (s.item_id, s.kind, _dumps(s.card), s.due, s.lapses, s.reps, int(s.leech), s.introduced_day),
        )

    def record_review(self, new: ItemState, rating: int, reviewed_at: str, mode: str) -> int:
        """A flashcard rating: the log row and the new state, committed together."""
        with self._write() as c:
            return self._review(c, new, rating, reviewed_at, mode)

    def _undo_review(self, c: sqlite3.Connection, review_id: int) -> None:
        row = c.execute("SELECT item_id, before_json FROM review WHERE id = ?", (review_id,)).fetchone()
        if row is None:
            return
        item_id, before_json = row
        before = _state_from_json(item_id, before_json)
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
        if new_state is not None and rating is not None:
            review_id = self._review(c, new_state, rating, answer.answered_at, answer.mode)
        answer_id = c.execute(
            "INSERT INTO answer (question_id, answered_at, day, correct, guess, mode, response_json, "
            "review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                answer.question_id,
                answer.answered_at,
                answer.day,
                int(answer.correct),
                int(answer.guess),
                answer.mode,
                _dumps(answer.response),
                review_id,
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
        row = self._conn.execute(
            "SELECT id, question_id, answered_at, day, correct, guess, mode, response_json, review_id "
            "FROM answer WHERE id = ?",
            (answer_id,),
        ).fetchone()
        return _answer_from_row(row) if row else None

    def answers(self, since: str | None = None) -> Iterator[AnswerRecord]:
        sql = (
            "SELECT id, question_id, answered_at, day, correct, guess, mode, response_json, review_id "
            "FROM answer"
        )
        rows = (
            self._conn.execute(sql + " WHERE answered_at >= ? ORDER BY answered_at, id", (since,))
            if since
            else self._conn.execute(sql + " ORDER BY answered_at, id")
        )
        for row in rows:
            yield _answer_from_row(row)

    def answered_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM answer").fetchone()[0]

    def reviewed_count(self, kind: str = "card") -> int:
        return self._conn.execute("SELECT count(*) FROM review WHERE kind = ?", (kind,)).fetchone()[0]

    def reviews(self, item_id: str | None = None) -> list[ReviewRecord]:
        sql = "SELECT id, item_id, kind, rating, reviewed_at, mode, before_json FROM review"
        rows = (
            self._conn.execute(sql + " WHERE item_id = ? ORDER BY reviewed_at, id", (item_id,))
            if item_id
            else self._conn.execute(sql + " ORDER BY reviewed_at, id")
        )
        return [ReviewRecord(r[0], r[1], r[2], r[3], r[4], r[5], _state_from_json(r[1], r[6])) for r in rows]

    def reviews_per_day(self, since: str) -> dict[str, int]:
        """Flashcard and question reviews per UTC day since an ISO timestamp."""
        rows = self._conn.execute(
            "SELECT substr(reviewed_at, 1, 10), count(*) FROM review WHERE reviewed_at >= ? GROUP BY 1",
            (since,),
        )
        return dict(rows.fetchall())

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

    # ------------------------------------------------------------------ exams

    def create_exam(
        self, seed: int, started_at: str, time_limit_s: int, question_ids: list[str], predicted: int | None
    ) -> int:
        with self._write() as c:
            return int(
                c.execute(
                    "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status, predicted) "
                    "VALUES (?, ?, ?, ?, 'in_progress', ?)",
                    (seed, started_at, time_limit_s, _dumps(question_ids), predicted),
                ).lastrowid
            )

    def save_exam_step(
        self,
        exam_id: int,
        position: int,
        elapsed_s: float,
        response: tuple[int, Any] | None = None,
        flag: tuple[int, bool] | None = None,
    ) -> None:
        """Persist one exam step (move, answer or flag) with the time used so far."""
        with self._write() as c:
            c.execute(
                "UPDATE exam SET position = ?, elapsed_s = ? WHERE id = ? AND status = 'in_progress'",
                (position, elapsed_s, exam_id),
            )
            if response is not None:
                index, value = response
                c.execute(
                    "INSERT INTO exam_answer (exam_id, position, response_json) VALUES (?, ?, ?) "
                    "ON CONFLICT (exam_id, position) DO UPDATE SET response_json = excluded.response_json",
                    (exam_id, index, None if value is None else _dumps(value)),
                )
            if flag is not None:
                index, flagged = flag
                c.execute(
                    "INSERT INTO exam_answer (exam_id, position, flagged) VALUES (?, ?, ?) "
                    "ON CONFLICT (exam_id, position) DO UPDATE SET flagged = excluded.flagged",
                    (exam_id, index, int(flagged)),
                )

    def finish_exam(
        self,
        exam_id: int,
        status: str,
        finished_at: str,
        elapsed_s: float,
        result: dict[str, Any],
        answers: Iterable[tuple[AnswerWrite, ItemState | None, int | None]],
    ) -> None:
        """Close the exam and record every answer (scheduling, missed queue) in one transaction."""
        with self._write() as c:
            c.execute(
                "UPDATE exam SET status = ?, finished_at = ?, elapsed_s = ?, result_json = ? WHERE id = ?",
                (status, finished_at, elapsed_s, _dumps(result), exam_id),
            )
            for answer, state, rating in answers:
                self._answer(c, answer, state, rating)

    def exam(self, exam_id: int) -> ExamRecord | None:
        row = self._conn.execute(
            "SELECT id, seed, started_at, time_limit_s, questions_json, status, position, elapsed_s, "
            "finished_at, result_json, predicted FROM exam WHERE id = ?",
            (exam_id,),
        ).fetchone()
        if row is None:
            return None
        responses: dict[int, Any] = {}
        flagged: set[int] = set()
        for position, response_json, flag in self._conn.execute(
            "SELECT position, response_json, flagged FROM exam_answer WHERE exam_id = ?", (exam_id,)
        ):
            if response_json is not None:
                responses[position] = json.loads(response_json)
            if flag:
                flagged.add(position)
        return ExamRecord(
            row[0],
            row[1],
            row[2],
            row[3],
            json.loads(row[4]),
            row[5],
            row[6],
            row[7],
            row[8],
            json.loads(row[9]) if row[9] else None,
            row[10],
            responses,
            flagged,
        )

    def in_progress_exam(self) -> ExamRecord | None:
        row = self._conn.execute(
            "SELECT id FROM exam WHERE status = 'in_progress' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return self.exam(row[0]) if row else None

    def exams(self) -> list[ExamRecord]:
        ids = [r[0] for r in self._conn.execute("SELECT id FROM exam ORDER BY started_at, id")]
        return [e for e in (self.exam(i) for i in ids) if e is not None]

    # ------------------------------------------------------------------ export / import

    def export_data(self) -> dict[str, Any]:
        """Everything, as plain JSON-able data in a stable order (no row ids, no derived tables)."""
        items = [
            {
                "item_id": s.item_id,
                "kind": s.kind,
                "card": s.card,
                "due": s.due,
                "lapses": s.lapses,
                "reps": s.reps,
                "leech": s.leech,
                "introduced_day": s.introduced_day,
            }
            for s in sorted(self.states().values(), key=lambda s: s.item_id)
        ]
        logs = self.reviews()
        reviews = [
            {
                "item_id": r.item_id,
                "kind": r.kind,
                "rating": r.rating,
                "reviewed_at": r.reviewed_at,
                "mode": r.mode,
                "before": json.loads(_state_to_json(r.before)) if r.before else None,
            }
            for r in logs
        ]
        review_at = {r.id: r.reviewed_at for r in logs}
        answers = [
            {
                "question_id": a.question_id,
                "answered_at": a.answered_at,
                "day": a.day,
                "correct": a.correct,
                "guess": a.guess,
                "mode": a.mode,
                "response": a.response,
                "review_at": review_at.get(a.review_id) if a.review_id else None,
            }
            for a in self.answers()
        ]
        exams = [
            {
                "seed": e.seed,
                "started_at": e.started_at,
                "time_limit_s": e.time_limit_s,
                "questions": e.question_ids,
                "status": e.status,
                "position": e.position,
                "elapsed_s": e.elapsed_s,
                "finished_at": e.finished_at,
                "result": e.result,
                "predicted": e.predicted,
                "answers": [
                    {"position": p, "response": e.responses.get(p), "flagged": p in e.flagged}
                    for p in sorted(set(e.responses) | e.flagged)
                ],
            }
            for e in self.exams()
        ]
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema": SCHEMA_VERSION,
            "settings": self.settings(),
            "items": items,
            "reviews": reviews,
            "answers": answers,
            "exams": exams,
        }

    def import_data(self, data: dict[str, Any], replay: Replay) -> dict[str, int]:
        """Merge an export: every review log kept, states recomputed by replay where logs merged.

        Idempotent: what is already here (same item and time) is skipped, so a second import of
        the same file changes nothing. Local settings win over imported ones.
        """
        if data.get("format") != EXPORT_FORMAT:
            raise ValueError("not a quizapp progress export")
        if not isinstance(data.get("version"), int) or data["version"] > EXPORT_VERSION:
            raise ValueError(f"export version {data.get('version')!r} is newer than this quizapp reads")
        added = {"reviews": 0, "answers": 0, "exams": 0, "items": 0, "settings": 0}
        with self._write() as c:
            for key, value in data.get("settings", {}).items():
                cur = c.execute(
                    "INSERT OR IGNORE INTO setting (key, value_json) VALUES (?, ?)", (key, _dumps(value))
                )
                added["settings"] += cur.rowcount
            touched: set[str] = set()
            review_ids: dict[tuple[str, str], int] = {}
            for r in data.get("reviews", []):
                existing = c.execute(
                    "SELECT id FROM review WHERE item_id = ? AND reviewed_at = ? AND rating = ? AND mode = ?",
                    (r["item_id"], r["reviewed_at"], r["rating"], r["mode"]),
                ).fetchone()
                if existing:
                    review_ids[(r["item_id"], r["reviewed_at"])] = existing[0]
                    continue
                before = r.get("before")
                review_ids[(r["item_id"], r["reviewed_at"])] = int(
                    c.execute(
                        "INSERT INTO review (item_id, kind, rating, reviewed_at, mode, before_json) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            r["item_id"],
                            r["kind"],
                            r["rating"],
                            r["reviewed_at"],
                            r["mode"],
                            _dumps(before) if before else None,
                        ),
                    ).lastrowid
                )
                touched.add(r["item_id"])
                added["reviews"] += 1
            imported_states = {i["item_id"]: i for i in data.get("items", [])}
            for item_id, i in imported_states.items():
                local = c.execute("SELECT 1 FROM item_state WHERE item_id = ?", (item_id,)).fetchone()
                if local is None:
                    self._put_state(
                        c,
                        ItemState(
                            item_id,
                            i["kind"],
                            i["card"],
                            i["due"],
                            i["lapses"],
                            i["reps"],
                            i["leech"],
                            i["introduced_day"],
                        ),
                    )
                    added["items"] += 1
                    touched.discard(item_id)  # the imported state already reflects these logs
            for item_id in sorted(touched):
                logs = self.reviews(item_id)
                kind = logs[0].kind if logs else "card"
                state = replay(item_id, kind, logs)
                if state is not None:
                    self._put_state(c, state)
            questions_seen: set[str] = set()
            for a in data.get("answers", []):
                existing = c.execute(
                    "SELECT 1 FROM answer WHERE question_id = ? AND answered_at = ? AND mode = ?",
                    (a["question_id"], a["answered_at"], a["mode"]),
                ).fetchone()
                if existing:
                    continue
                review_id = review_ids.get((a["question_id"], a["review_at"])) if a.get("review_at") else None
                c.execute(
                    "INSERT INTO answer (question_id, answered_at, day, correct, guess, mode, response_json, "
                    "review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        a["question_id"],
                        a["answered_at"],
                        a["day"],
                        int(a["correct"]),
                        int(a["guess"]),
                        a["mode"],
                        _dumps(a["response"]),
                        review_id,
                    ),
                )
                questions_seen.add(a["question_id"])
                added["answers"] += 1
            for question_id in sorted(questions_seen):
                self._refresh_missed(c, question_id)
            for e in data.get("exams", []):
                if c.execute(
                    "SELECT 1 FROM exam WHERE started_at = ? AND seed = ?", (e["started_at"], e["seed"])
                ).fetchone():
                    continue
                exam_id = c.execute(
                    "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status, position, "
                    "elapsed_s, finished_at, result_json, predicted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        e["seed"],
                        e["started_at"],
                        e["time_limit_s"],
                        _dumps(e["questions"]),
                        e["status"],
                        e["position"],
                        e["elapsed_s"],
                        e["finished_at"],
                        _dumps(e["result"]) if e["result"] is not None else None,
                        e["predicted"],
                    ),
                ).lastrowid
                for ans in e.get("answers", []):
                    c.execute(
                        "INSERT INTO exam_answer (exam_id, position, response_json, flagged) "
                        "VALUES (?, ?, ?, ?)",
                        (
                            exam_id,
                            ans["position"],
                            None if ans["response"] is None else _dumps(ans["response"]),
                            int(ans["flagged"]),
                        ),
                    )
                added["exams"] += 1
        return added


def _answer_from_row(row: tuple) -> AnswerRecord:
    return AnswerRecord(
        row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]), row[6], json.loads(row[7]), row[8]
    )
