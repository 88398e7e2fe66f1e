"""Export and import: all progress as versioned JSON, and an idempotent merge of a validated file."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from itertools import groupby
from operator import itemgetter
from typing import IO, TYPE_CHECKING, Any

from quizapp.store.records import ExamRecord, ItemState, ReviewRecord
from quizapp.store.rows import dumps, state_from_json
from quizapp.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from quizapp.store.export_format import Answer, Exam, ExportFile, ImportChecks, Review

EXPORT_FORMAT = "quizapp-progress"
EXPORT_VERSION = 1
"""Written by `export_data`; `export_format` (imported only by import, it needs pydantic) reads them.

A field added as optional keeps the version: files without it (older quizapps) import, and an older
quizapp reading a newer file drops keys it does not know (`export_format.ROWS`). So the times on
reviews, answers and exam items (`duration_ms`, schema 4) came without a new version; a change an
older quizapp would misread needs one."""


def _json_text(value: Any) -> str:
    """JSON text of a validated value for a JSON column: pydantic-core's encoder, about five times
    `json.dumps`'s speed on a before-state (an import writes tens of thousands). Keys keep their
    validated order rather than sorted; readers parse the column, and export sorts. Imported here,
    not above: the store is imported on the app's start-up path, import is not."""
    from pydantic_core import to_json

    return to_json(value).decode()


LOG_CHUNK = 500
"""Items whose logs are read in one query when a merge replays them (SQLite allows 999 or more
parameters)."""


def _logs_of(c: sqlite3.Connection, item_ids: list[str]) -> Iterator[tuple[str, list[ReviewRecord]]]:
    """Each item's full review log, oldest first, a chunk of items per query rather than one
    query per item (a first merge between two devices replays thousands)."""
    for start in range(0, len(item_ids), LOG_CHUNK):
        chunk = item_ids[start : start + LOG_CHUNK]
        rows = c.execute(
            "SELECT id, item_id, kind, rating, reviewed_at, mode, before_json, duration_ms FROM review "
            f"WHERE item_id IN ({','.join('?' * len(chunk))}) ORDER BY item_id, reviewed_at, id",
            chunk,
        )
        for item_id, group in groupby(rows, key=itemgetter(1)):
            yield (
                item_id,
                [
                    ReviewRecord(r[0], r[1], r[2], r[3], r[4], r[5], state_from_json(r[1], r[6]), r[7])
                    for r in group
                ],
            )


ADDED = ("reviews", "answers", "exams", "items", "settings")
"""What an import counts, in the order it reports them."""

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
        """Everything, as plain JSON-able data in a stable order (no row ids, no derived tables).

        The same export as `export_bytes`, as Python values: what it writes parses to this."""
        from quizapp.store.export_stream import ANSWERS_PY_SQL, REVIEWS_PY_SQL, answer_dict, review_dict

        with self._reading():
            small = self._export_small()
            return {
                **self._export_head(),
                "settings": small["settings"],
                "settings_changed": small["settings_changed"],
                "items": small["items"],
                "reviews": [review_dict(row) for row in self._conn.execute(REVIEWS_PY_SQL)],
                "answers": [answer_dict(row) for row in self._conn.execute(ANSWERS_PY_SQL)],
                "exams": small["exams"],
            }

    def export_bytes(self) -> bytes:
        """The export as compact JSON, sorted keys, one line: what `quizapp export` writes.

        Built a batch of rows at a time into one buffer (never as Python values first), the same
        bytes for the same data (an unchanged file is not rewritten). `json.loads` of it equals
        `export_data()`; see `export_stream` for how it is written."""
        out = io.BytesIO()
        self.write_export(out)
        return out.getvalue()  # CPython hands over the buffer itself: no second copy

    def write_export(self, out: IO[bytes]) -> None:
        """`export_bytes`, written to `out` as it is read (standard output, say)."""
        from quizapp.store.export_stream import write_export

        write_export(self._conn, out, self._export_head(), self._export_small)

    @staticmethod
    def _export_head() -> dict[str, Any]:
        return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema": SCHEMA_VERSION}

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One read transaction (a snapshot) around several reads, unless one is already open."""
        own = not self._conn.in_transaction
        if own:
            self._conn.execute("BEGIN")
        try:
            yield
        finally:
            if own:
                self._conn.execute("COMMIT")

    def _export_small(self) -> dict[str, Any]:
        """The export's small parts (a few thousand rows at most): settings, item states, exams."""
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
                "predicted_pass": e.predicted_pass,
                "answers": [
                    {
                        "position": p,
                        "response": e.responses.get(p),
                        "flagged": p in e.flagged,
                        "duration_ms": e.durations.get(p),
                    }
                    for p in sorted(set(e.responses) | e.flagged | set(e.durations))
                ],
            }
            for e in self.exams()
        ]
        return {
            "settings": self.settings(),
            "settings_changed": self.setting_times(),
            "items": items,
            "exams": exams,
        }

    def import_bytes(self, raw: bytes, replay: Replay, checks: ImportChecks | None = None) -> dict[str, int]:
        """`import_data` of a file's bytes, which a file merged here before skips while what it
        brought is still here (`import_memo`): an unchanged backup or sync peer is not parsed
        again. ImportRefused, before anything is written, for a file that cannot be imported."""
        from quizapp.store.import_check import load_export

        if self.merged_before(raw):
            return dict.fromkeys(ADDED, 0)
        return self.import_data(load_export(raw, checks), replay, source=raw)

    def merged_before(self, raw: bytes) -> bool:
        """Would merging these bytes add nothing, by what this store keeps of files it merged?"""
        from quizapp.store.import_memo import digest, merged_before

        with self._reading():
            return merged_before(self._conn, digest(raw))

    def import_data(
        self,
        data: dict[str, Any] | ExportFile,
        replay: Replay,
        checks: ImportChecks | None = None,
        *,
        source: bytes | None = None,
    ) -> dict[str, int]:
        """Merge an export: every review log kept, states recomputed by replay where logs merged.

        The whole file is validated first (`export_format`; `checks` bring study's knowledge) and
        refused with ImportRefused before anything is written, so a bad file leaves the store as it
        was. Idempotent: what is already here (same item and time) is skipped, so a second import
        of the same file changes nothing. Local settings win over imported ones. `source`, the
        bytes `data` was read from, is remembered with the merge, so that `merged_before` knows them.
        """
        from quizapp.store.export_format import ExportFile
        from quizapp.store.import_check import validate_export

        export = data if isinstance(data, ExportFile) else validate_export(data, checks)
        added = dict.fromkeys(ADDED, 0)
        with self._write() as c:
            added["settings"] = _merge_settings(c, export.settings, export.settings_changed)
            review_ids, touched, added["reviews"] = self._merge_reviews(c, export.reviews)
            added["items"] = self._merge_items(c, export.items, touched)
            for item_id, logs in _logs_of(c, sorted(touched)):
                state = replay(item_id, logs[0].kind, logs)
                if state is not None:
                    self._put_state(c, state)
            questions_seen, added["answers"] = self._merge_answers(c, export.answers, review_ids)
            for question_id in sorted(questions_seen):
                self._refresh_missed(c, question_id)
            added["exams"] = self._merge_exams(c, export.exams)
            if source is not None:
                from quizapp.store.import_memo import digest, remember

                remember(c, digest(source), export)
        return added

    def _merge_items(self, c: sqlite3.Connection, items: list[Any], touched: set[str]) -> int:
        """Add the item states not here (one read of the ids here, not a lookup per item); an
        item added from the file needs no replay: its state already reflects its logs."""
        here = {row[0] for row in c.execute("SELECT item_id FROM item_state")}
        added = 0
        for i in items:
            if i["item_id"] in here:
                continue
            here.add(i["item_id"])
            self._put_state(
                c,
                ItemState(
                    i["item_id"],
                    i["kind"],
                    i["card"],
                    i["due"],
                    i["lapses"],
                    i["reps"],
                    i["leech"],
                    i["introduced_day"],
                ),
            )
            added += 1
            touched.discard(i["item_id"])
        return added

    @staticmethod
    def _merge_exams(c: sqlite3.Connection, exams: list[Exam]) -> int:
        """Add the exams not here (same start and seed); an exam here still in progress that the
        file has finished takes the finished state with its answers. Finished beats in progress and
        is never undone: the exam was taken on the other device after this one last saw it, and its
        answers and reviews arrive in the same file. Returns the exams added or finished."""
        here = {
            (started_at, seed): (exam_id, status, predicted_pass)
            for exam_id, started_at, seed, status, predicted_pass in c.execute(
                "SELECT id, started_at, seed, status, predicted_pass FROM exam ORDER BY id DESC"
            )  # the lowest id wins when one exam is here twice, as a lookup would find it
        }
        changed = 0
        for e in exams:
            found = here.get((e.started_at, e.seed))
            if found is not None:
                exam_id, status, predicted_pass = found
                if predicted_pass is None and e.predicted_pass is not None:  # one here without it
                    c.execute(  # (merged by an older quizapp) takes the file's, as times do
                        "UPDATE exam SET predicted_pass = ? WHERE id = ? AND predicted_pass IS NULL",
                        (e.predicted_pass, exam_id),
                    )
                    here[(e.started_at, e.seed)] = (exam_id, status, e.predicted_pass)
                if status != "in_progress" or e.status == "in_progress":
                    continue
                c.execute(
                    "UPDATE exam SET status = ?, position = ?, elapsed_s = ?, finished_at = ?, "
                    "result_json = ? WHERE id = ? AND status = 'in_progress'",
                    (e.status, e.position, e.elapsed_s, e.finished_at, dumps(e.result), exam_id),
                )
                c.execute("DELETE FROM exam_answer WHERE exam_id = ?", (exam_id,))
                here[(e.started_at, e.seed)] = (exam_id, e.status, predicted_pass or e.predicted_pass)
            else:
                exam_id = c.execute(
                    "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status, position, "
                    "elapsed_s, finished_at, result_json, predicted, predicted_pass) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        e.seed,
                        e.started_at,
                        e.time_limit_s,
                        dumps(e.questions),
                        e.status,
                        e.position,
                        e.elapsed_s,
                        e.finished_at,
                        dumps(e.result) if e.result is not None else None,
                        e.predicted,
                        e.predicted_pass,
                    ),
                ).lastrowid
                here[(e.started_at, e.seed)] = (exam_id, e.status, e.predicted_pass)
            c.executemany(
                "INSERT INTO exam_answer (exam_id, position, response_json, flagged, duration_ms) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        exam_id,
                        ans["position"],
                        None if ans["response"] is None else dumps(ans["response"]),
                        int(ans["flagged"]),
                        ans.get("duration_ms"),
                    )
                    for ans in e.answers
                ],
            )
            changed += 1
        return changed

    @staticmethod
    def _merge_reviews(
        c: sqlite3.Connection, reviews: list[Review]
    ) -> tuple[dict[tuple[str, str], int], set[str], int]:
        """Insert the reviews not already here (same item, time, rating and mode), in one batch.

        Returns the id of every review by (item, time), for answers to point at, and the items
        whose log grew. The write lock is held (BEGIN IMMEDIATE), so the ids given here are the
        ones SQLite would have chosen, one INSERT at a time. A review already here without a time
        takes the file's (history merged from an older file, then from a newer export of it); a
        time known here is kept.
        """
        existing = {  # the lowest id wins when the log holds one review twice, as a lookup would
            (item_id, at, rating, mode): (review_id, duration_ms)
            for review_id, item_id, at, rating, mode, duration_ms in c.execute(
                "SELECT id, item_id, reviewed_at, rating, mode, duration_ms FROM review ORDER BY id DESC"
            )
        }
        next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM review").fetchone()[0]
        review_ids: dict[tuple[str, str], int] = {}
        touched: set[str] = set()
        rows, times = [], []
        for r in reviews:
            key = (r["item_id"], r["reviewed_at"], r["rating"], r["mode"])
            found = existing.get(key)
            ms = r.get("duration_ms")
            if found is None:
                review_id = next_id
                existing[key] = (review_id, ms)
                next_id += 1
                before = _json_text(r["before"]) if r["before"] else None
                rows.append(
                    (review_id, r["item_id"], r["kind"], r["rating"], r["reviewed_at"], r["mode"], before, ms)
                )
                touched.add(r["item_id"])
            else:
                review_id, known = found
                if known is None and ms is not None:
                    times.append((ms, review_id))
                    existing[key] = (review_id, ms)
            review_ids[(r["item_id"], r["reviewed_at"])] = review_id
        c.executemany(
            "INSERT INTO review (id, item_id, kind, rating, reviewed_at, mode, before_json, duration_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        c.executemany("UPDATE review SET duration_ms = ? WHERE id = ?", times)
        return review_ids, touched, len(rows)

    @staticmethod
    def _merge_answers(
        c: sqlite3.Connection, answers: list[Answer], review_ids: dict[tuple[str, str], int]
    ) -> tuple[set[str], int]:
        """Insert the answers not already here (same question, time and mode), in one batch;
        returns the questions that got one (their missed-queue rows are derived again). An answer
        already here without a time takes the file's, as reviews do."""
        existing = {
            (question_id, at, mode): (answer_id, duration_ms)
            for answer_id, question_id, at, mode, duration_ms in c.execute(
                "SELECT id, question_id, answered_at, mode, duration_ms FROM answer ORDER BY id DESC"
            )
        }
        next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM answer").fetchone()[0]
        seen: set[str] = set()
        rows, times = [], []
        for a in answers:
            key = (a["question_id"], a["answered_at"], a["mode"])
            ms = a.get("duration_ms")
            found = existing.get(key)
            if found is not None:
                answer_id, known = found
                if known is None and ms is not None:
                    times.append((ms, answer_id))
                    existing[key] = (answer_id, ms)
                continue
            answer_id = next_id  # the id SQLite would choose (the write lock is held, as for reviews)
            next_id += 1
            existing[key] = (answer_id, ms)
            review_id = review_ids.get((a["question_id"], a["review_at"])) if a["review_at"] else None
            rows.append(
                (
                    answer_id,
                    a["question_id"],
                    a["answered_at"],
                    a["day"],
                    int(a["correct"]),
                    int(a["guess"]),
                    a["mode"],
                    _json_text(a["response"]),
                    review_id,
                    ms,
                )
            )
            seen.add(a["question_id"])
        c.executemany(
            "INSERT INTO answer (id, question_id, answered_at, day, correct, guess, mode, response_json, "
            "review_id, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        c.executemany("UPDATE answer SET duration_ms = ? WHERE id = ?", times)
        return seen, len(rows)


def _merge_settings(c: sqlite3.Connection, settings: dict[str, Any], changed: dict[str, str]) -> int:
    """Each setting takes the newest value: the file's when it was changed later than the one here
    (a value here with no time predates schema 7 and is older than any with one). Equal times
    are settled by the larger stored JSON, so every device picks the same value whatever order
    the files merge in, and merging again changes nothing. A setting missing here is added."""
    rows = c.execute("SELECT key, value_json, changed_at FROM setting")
    here = {key: (value, at) for key, value, at in rows}
    count = 0
    for key, value in settings.items():
        stored, at = dumps(value), changed.get(key)
        if key in here:
            local, local_at = here[key]
            if at is None or (local_at is not None and (at, stored) <= (local_at, local)):
                continue
        c.execute(
            "INSERT INTO setting (key, value_json, changed_at) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value_json = excluded.value_json, changed_at = excluded.changed_at",
            (key, stored, at),
        )
        count += 1
    return count
