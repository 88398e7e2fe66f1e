"""Practice exams in the store: created, saved at every step (resumable after a crash), finished."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from quizapp.store.records import AnswerWrite, ExamRecord, ExamScore, ExamSummary, ItemState
from quizapp.store.rows import dumps, loads_or


class ExamRecords:
    """The exam tables; mixed into ProgressStore, whose connection and write transaction it uses."""

    _conn: sqlite3.Connection

    if TYPE_CHECKING:  # provided by ProgressStore

        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        def _answer(
            self, c: sqlite3.Connection, answer: AnswerWrite, new_state: ItemState | None, rating: int | None
        ) -> int: ...

    def create_exam(
        self,
        seed: int,
        started_at: str,
        time_limit_s: int,
        question_ids: list[str],
        predicted: int | None,
        predicted_pass: float | None = None,
    ) -> int:
        """A new exam in progress, with the prediction made just before it: the scaled score and
        P(pass) (in [0, 1]; the schema refuses anything else)."""
        with self._write() as c:
            return int(
                c.execute(
                    "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status, predicted, "
                    "predicted_pass) VALUES (?, ?, ?, ?, 'in_progress', ?, ?)",
                    (seed, started_at, time_limit_s, dumps(question_ids), predicted, predicted_pass),
                ).lastrowid
            )

    def save_exam_step(
        self,
        exam_id: int,
        position: int,
        elapsed_s: float,
        response: tuple[int, Any] | None = None,
        flag: tuple[int, bool] | None = None,
        durations: Mapping[int, int] | None = None,
    ) -> None:
        """Persist one exam step (move, answer or flag) with the time used so far, and the time
        on each item that changed since the last step (ms by position, each a running total), so
        a crash keeps it."""
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
                    (exam_id, index, None if value is None else dumps(value)),
                )
            if flag is not None:
                index, flagged = flag
                c.execute(
                    "INSERT INTO exam_answer (exam_id, position, flagged) VALUES (?, ?, ?) "
                    "ON CONFLICT (exam_id, position) DO UPDATE SET flagged = excluded.flagged",
                    (exam_id, index, int(flagged)),
                )
            self._save_durations(c, exam_id, durations)

    @staticmethod
    def _save_durations(c: sqlite3.Connection, exam_id: int, durations: Mapping[int, int] | None) -> None:
        if durations:
            c.executemany(
                "INSERT INTO exam_answer (exam_id, position, duration_ms) VALUES (?, ?, ?) "
                "ON CONFLICT (exam_id, position) DO UPDATE SET duration_ms = excluded.duration_ms",
                [(exam_id, index, ms) for index, ms in sorted(durations.items())],
            )

    def finish_exam(
        self,
        exam_id: int,
        status: str,
        finished_at: str,
        elapsed_s: float,
        result: dict[str, Any],
        answers: Iterable[tuple[AnswerWrite, ItemState | None, int | None]],
        durations: Mapping[int, int] | None = None,
    ) -> None:
        """Close the exam and record every answer (scheduling, missed queue) in one transaction,
        with the item times not saved yet."""
        with self._write() as c:
            c.execute(
                "UPDATE exam SET status = ?, finished_at = ?, elapsed_s = ?, result_json = ? WHERE id = ?",
                (status, finished_at, elapsed_s, dumps(result), exam_id),
            )
            self._save_durations(c, exam_id, durations)
            for answer, state, rating in answers:
                self._answer(c, answer, state, rating)

    _EXAM_COLUMNS = (
        "id, seed, started_at, time_limit_s, questions_json, status, position, elapsed_s, "
        "finished_at, result_json, predicted, predicted_pass"
    )

    def exam(self, exam_id: int) -> ExamRecord | None:
        row = self._conn.execute(f"SELECT {self._EXAM_COLUMNS} FROM exam WHERE id = ?", (exam_id,)).fetchone()
        if row is None:
            return None
        steps = self._conn.execute(
            "SELECT exam_id, position, response_json, flagged, duration_ms FROM exam_answer "
            "WHERE exam_id = ?",
            (exam_id,),
        )
        return _exam_from_row(row, steps)

    def in_progress_exam(self) -> ExamRecord | None:
        row = self._conn.execute(
            "SELECT id FROM exam WHERE status = 'in_progress' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return self.exam(row[0]) if row else None

    def exams(self, with_answers: bool = True) -> list[ExamRecord]:
        """Every exam, oldest first (by start, then id). Two reads whatever the number of exams (the
        exams, then all their steps), not one a exam; `with_answers=False` leaves the steps out
        (responses, flags and times empty) and the result's breakdowns by domain, by task and by
        question (dropped by SQLite's `json_remove`, so the 7 kB of each result is not decoded in
        Python): what `stats` and the prediction record need."""
        columns = self._EXAM_COLUMNS
        if not with_answers:  # the result without its breakdowns: most of its text, none of it read
            columns = columns.replace("result_json", _RESULT_WITHOUT_BREAKDOWNS)
        rows = self._conn.execute(f"SELECT {columns} FROM exam ORDER BY started_at, id").fetchall()
        steps: dict[int, list[tuple]] = {}
        if with_answers and rows:
            for step in self._conn.execute(
                "SELECT exam_id, position, response_json, flagged, duration_ms FROM exam_answer"
            ):
                steps.setdefault(step[0], []).append(step)
        return [_exam_from_row(row, steps.get(row[0], ())) for row in rows]

    def exam_summaries(self) -> list[ExamSummary]:
        """Every exam, oldest first, as `stats` lists it: how many questions (SQLite counts the
        list), the result without its breakdowns (`_RESULT_WITHOUT_BREAKDOWNS`), no steps. One row
        an exam is what `stats --json` prints; the list of question ids and the result's 7 kB,
        which `exams(with_answers=False)` decoded in Python (about 30 us an exam), are not read
        out (issue 18). A list that does not read back as JSON, or is not a list, counts 0 questions
        and a result that does not read back is None, as `exams` reads them (a list of something
        other than ids, which only damage makes, is counted as it is: the doctor reports it)."""
        rows = self._conn.execute(
            "SELECT id, started_at, status, "
            "CASE WHEN json_valid(questions_json) THEN json_array_length(questions_json) ELSE 0 END, "
            f"finished_at, CASE WHEN result_json IS NOT NULL THEN {_RESULT_WITHOUT_BREAKDOWNS} END, "
            "predicted, predicted_pass FROM exam ORDER BY started_at, id"
        )
        return [
            ExamSummary(i, at, status, n, done, loads_or(result, None) if result else None, p, pp)
            for i, at, status, n, done, result, p, pp in rows
        ]

    def recent_scores(self, limit: int) -> list[ExamScore]:
        """The newest `limit` finished exams with a score, newest first: a walk from the newest end
        of the `exam_started` index that stops after `limit` of them, and only the score, the pass
        and the predictions read out of each result (SQLite's JSON functions, no list of questions
        decoded), so the dashboard costs the same after 130 exams as after 20. A result that does
        not read back as one (damage: the doctor's business) is skipped, as `prediction_record`
        skips it."""
        rows = self._conn.execute(
            "SELECT started_at, predicted, predicted_pass, "
            "CASE WHEN json_valid(result_json) THEN json_extract(result_json, '$.scaled') END, "
            "CASE WHEN json_valid(result_json) THEN json_extract(result_json, '$.passed') END "
            "FROM exam WHERE result_json IS NOT NULL AND status != 'in_progress' "
            "ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        scores = []
        for started_at, predicted, predicted_pass, scaled, passed in rows:
            if isinstance(scaled, int | float) and not isinstance(scaled, bool) and passed is not None:
                scores.append(ExamScore(started_at, predicted, predicted_pass, int(scaled), bool(passed)))
        return scores

    def last_exam_result(self) -> dict[str, Any] | None:
        """The result of the last finished exam (by start, then id), or None: what Home shows. From
        the newest end of the `exam_started` index, stopping at the first result that reads back."""
        newest = (
            "SELECT result_json FROM exam WHERE result_json IS NOT NULL ORDER BY started_at DESC, id DESC"
        )
        for limit in ("LIMIT 1", ""):  # the newest; all of them only when it does not read back
            for (text,) in self._conn.execute(f"{newest} {limit}"):
                result = loads_or(text, None)
                if result:
                    return result
        return None


_RESULT_WITHOUT_BREAKDOWNS = (
    "CASE WHEN json_valid(result_json) "
    "THEN json_remove(result_json, '$.by_domain', '$.by_task', '$.questions') ELSE result_json END"
)
"""An exam's result for `exams(with_answers=False)`: every figure but the breakdowns (a result that
does not read back stays as it is, and reads back as no result, as ever)."""


def _exam_from_row(row: tuple, steps: Iterable[tuple]) -> ExamRecord:
    responses: dict[int, Any] = {}
    flagged: set[int] = set()
    durations: dict[int, int] = {}
    for _exam_id, position, response_json, flag, duration_ms in steps:
        if response_json is not None:
            responses[position] = loads_or(response_json, None)
        if flag:
            flagged.add(position)
        if duration_ms is not None:
            durations[position] = duration_ms
    return ExamRecord(
        row[0],
        row[1],
        row[2],
        row[3],
        _question_ids(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
        loads_or(row[9], None) if row[9] else None,
        row[10],
        responses,
        flagged,
        durations,
        row[11],
    )


def _question_ids(text: str) -> list[str]:
    """The exam's question ids; a list that does not read back is empty, which `study` reports as
    an exam that cannot be resumed (rather than every read of the exam table failing)."""
    ids = loads_or(text, [])
    return ids if isinstance(ids, list) and all(isinstance(i, str) for i in ids) else []
