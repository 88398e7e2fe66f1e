"""`recent_scores`: the newest finished exams the dashboard plots, read from one end of the exam
index without their questions, agreeing with `prediction_record` over the same exams."""

from __future__ import annotations

import json

from quizapp.store import ProgressStore
from quizapp.store.records import ExamScore
from quizapp.study.predictions import prediction_record


def _exam(
    store: ProgressStore, day: int, scaled: int, predicted_pass: float | None, finish: bool = True
) -> int:
    started = f"2026-10-{day:02d}T09:00:00.000000+00:00"
    exam_id = store.create_exam(day, started, 600, ["q1", "q2"], 650 + day, predicted_pass)
    if finish:
        result = {"scaled": scaled, "passed": scaled >= 700, "correct": 1, "total": 2, "time_used_s": 60.0}
        store.finish_exam(exam_id, "submitted", started, 60.0, result, [])
    return exam_id


def test_the_newest_finished_exams_newest_first(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        for day in range(1, 9):
            _exam(store, day, 600 + 20 * day, None if day == 2 else day / 10)
        _exam(store, 9, 0, 0.5, finish=False)  # in progress: not a score yet
        newest = store.recent_scores(3)
        assert [s.started_at[:10] for s in newest] == ["2026-10-08", "2026-10-07", "2026-10-06"]
        assert newest[0] == ExamScore("2026-10-08T09:00:00.000000+00:00", 658, 0.8, 760, True)
        everything = store.recent_scores(100)
        record = prediction_record(store.exams(with_answers=False))
        assert len(everything) == len(record) == 8
        for score, check in zip(reversed(everything), record, strict=True):
            assert (score.started_at, score.predicted, score.predicted_pass, score.scaled, score.passed) == (
                check.started_at,
                check.predicted_scaled,
                check.predicted_pass,
                check.scaled,
                check.passed,
            )


def test_a_result_that_does_not_read_back_is_skipped(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        _exam(store, 1, 720, 0.6)
        broken = _exam(store, 2, 720, 0.6)
        store._conn.execute("UPDATE exam SET result_json = '{not json' WHERE id = ?", (broken,))
        assert [s.started_at[:10] for s in store.recent_scores(5)] == ["2026-10-01"]
        assert len(prediction_record(store.exams(with_answers=False))) == 1  # as the record skips it


def test_exams_without_answers_leave_the_breakdowns_undecoded(tmp_path):
    """`stats` and the prediction record read every exam: without the steps, and without the
    result's breakdowns (most of its text), every other figure exactly as stored."""
    with ProgressStore.open(tmp_path) as store:
        exam_id = _exam(store, 1, 720, 0.6)
        full = store.exam(exam_id).result
        full_result = {
            **full,
            "by_domain": {"1": [3, 4]},
            "by_task": {"1.1": [1, 2]},
            "questions": [{"id": "q1"}],
        }
        store._conn.execute(
            "UPDATE exam SET result_json = ? WHERE id = ?", (json.dumps(full_result), exam_id)
        )
        [slim] = store.exams(with_answers=False)
        assert slim.result == full  # the figures, with their types (true stays True, 60.0 a float)
        assert store.exams()[0].result == full_result  # with the answers: the whole result
