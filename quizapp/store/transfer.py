"""Export and import: all progress as versioned JSON, and an idempotent merge of such a file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from quizapp.store.records import ExamRecord, ItemState, ReviewRecord
from quizapp.store.rows import dumps, state_to_json
from quizapp.store.schema import SCHEMA_VERSION

EXPORT_FORMAT = "quizapp-progress"
EXPORT_VERSION = 1

Replay = Callable[[str, str, list[ReviewRecord]], ItemState | None]
"""Recompute an item's state from its full review log (supplied by `study` on import)."""


class Transfer:
    """Export/import; mixed into ProgressStore, whose reads and write transaction it uses."""

    _conn: sqlite3.Connection

    if TYPE_CHECKING:  # provided by ProgressStore

        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        def states(self, kind: str | None = None) -> dict[str, ItemState]: ...

        def reviews(self, item_id: str | None = None) -> list[ReviewRecord]: ...

        def answers(self, since: str | None = None) -> Any:  # Iterator[AnswerRecord]
            ...

        def exams(self) -> list[ExamRecord]: ...

        def settings(self) -> dict[str, Any]: ...

        @staticmethod
        def _put_state(c: sqlite3.Connection, s: ItemState) -> None: ...

        def _refresh_missed(self, c: sqlite3.Connection, question_id: str) -> None: ...

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
                "before": json.loads(state_to_json(r.before)) if r.before else None,
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
                    "INSERT OR IGNORE INTO setting (key, value_json) VALUES (?, ?)", (key, dumps(value))
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
                            dumps(before) if before else None,
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
                        dumps(a["response"]),
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
                        dumps(e["questions"]),
                        e["status"],
                        e["position"],
                        e["elapsed_s"],
                        e["finished_at"],
                        dumps(e["result"]) if e["result"] is not None else None,
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
                            None if ans["response"] is None else dumps(ans["response"]),
                            int(ans["flagged"]),
                        ),
                    )
                added["exams"] += 1
        return added
