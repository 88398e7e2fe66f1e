"""Setting aside stored progress that cannot be used: copied into `set_aside`, then removed or
replaced, in one transaction. History is never deleted: the review log, answers and the exact row
as it was all stay, so a later quizapp (or a person) can still read them."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizapp.store.records import ItemState
from quizapp.store.rows import STATE_COLUMNS, dumps


@dataclass(frozen=True)
class SetAsideRecord:
    id: int
    what: str  # item_state | exam | setting
    key: str
    value: str  # the row as it was, JSON
    reason: str
    set_aside_at: str


class SetAside:
    """The set_aside table; mixed into ProgressStore, whose connection and write transaction it uses."""

    _conn: sqlite3.Connection

    if TYPE_CHECKING:  # provided by ProgressStore

        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        @staticmethod
        def _put_state(c: sqlite3.Connection, s: ItemState) -> None: ...

    @staticmethod
    def _keep(c: sqlite3.Connection, what: str, key: str, value: Any, reason: str, at: str) -> None:
        c.execute(
            "INSERT INTO set_aside (what, key, value_json, reason, set_aside_at) VALUES (?, ?, ?, ?, ?)",
            (what, key, dumps(value), reason, at),
        )

    def set_aside_setting(self, key: str, reason: str, at: str) -> bool:
        """Keep the stored value, then remove it so the default applies. False if already gone."""
        with self._write() as c:
            row = c.execute("SELECT value_json FROM setting WHERE key = ?", (key,)).fetchone()
            if row is None:
                return False
            self._keep(c, "setting", key, {"key": key, "value_json": row[0]}, reason, at)
            c.execute("DELETE FROM setting WHERE key = ?", (key,))
            return True

    def set_aside_state(self, item_id: str, reason: str, at: str, replacement: ItemState | None) -> bool:
        """Keep an item's scheduling row, then replace it (recomputed from its log) or remove it (the
        item starts afresh). The review log is untouched. False if there was no row."""
        with self._write() as c:
            row = c.execute(
                f"SELECT {STATE_COLUMNS} FROM item_state WHERE item_id = ?", (item_id,)
            ).fetchone()
            if row is None:
                return False
            self._keep(
                c, "item_state", item_id, dict(zip(STATE_COLUMNS.split(", "), row, strict=True)), reason, at
            )
            if replacement is None:
                c.execute("DELETE FROM item_state WHERE item_id = ?", (item_id,))
            else:
                self._put_state(c, replacement)
            return True

    def set_aside_exam(self, exam_id: int, reason: str, at: str) -> bool:
        """Keep an exam row with all its answers and flags, then remove it so it no longer blocks a
        new exam. False if it was already gone."""
        with self._write() as c:
            c.row_factory = sqlite3.Row
            try:
                exam = c.execute("SELECT * FROM exam WHERE id = ?", (exam_id,)).fetchone()
                answers = c.execute(
                    "SELECT * FROM exam_answer WHERE exam_id = ? ORDER BY position", (exam_id,)
                ).fetchall()
            finally:
                c.row_factory = None
            if exam is None:
                return False
            value = {"exam": dict(exam), "answers": [dict(a) for a in answers]}
            self._keep(c, "exam", str(exam_id), value, reason, at)
            c.execute("DELETE FROM exam_answer WHERE exam_id = ?", (exam_id,))
            c.execute("DELETE FROM exam WHERE id = ?", (exam_id,))
            return True

    def set_aside_rows(self) -> list[SetAsideRecord]:
        rows = self._conn.execute(
            "SELECT id, what, key, value_json, reason, set_aside_at FROM set_aside ORDER BY id"
        )
        return [SetAsideRecord(*r) for r in rows]

    def in_progress_exam_ids(self) -> list[int]:
        """Every unfinished exam, newest first (normally one; an import or a fault can leave more)."""
        return [
            r[0]
            for r in self._conn.execute("SELECT id FROM exam WHERE status = 'in_progress' ORDER BY id DESC")
        ]
