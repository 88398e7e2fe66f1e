"""`quizapp stats` lists every exam from `ExamRecords.exam_summaries` (issue 18): how many questions
(counted by SQLite) and the result without its breakdowns, never the list of question ids or the
whole result decoded in Python. Counted (what JSON Python decodes), not timed."""

from __future__ import annotations

from typing import Any

import quizapp.store.rows as rows
from quizapp.study import ManualClock
from tests.factory import START, make_bank
from tests.store.histories import study_history


def _old_way(coach) -> list[dict[str, Any]]:  # noqa: ANN001
    """`stats()`'s exams as they were made from `exams(with_answers=False)`."""
    out = []
    for e in coach.store.exams(with_answers=False):
        entry: dict[str, Any] = {
            "started_at": e.started_at,
            "status": e.status,
            "questions": len(e.question_ids),
            "predicted": e.predicted,
            "predicted_pass": e.predicted_pass,
        }
        if e.result:
            result = e.result
            entry.update(
                {
                    "finished_at": e.finished_at,
                    "scaled": result["scaled"],
                    "passed": result["passed"],
                    "correct": result["correct"],
                    "total": result["total"],
                    "time_used_s": result["time_used_s"],
                    "timing": result.get("timing"),
                }
            )
        out.append(entry)
    return out


def test_stats_lists_every_exam_without_decoding_its_questions(tmp_path, monkeypatch):
    clock = ManualClock(START)
    coach = study_history(tmp_path, make_bank(), clock)  # a finished exam, one in progress
    expected = _old_way(coach)
    assert [e["status"] for e in expected] == ["submitted", "in_progress"], expected

    decoded: list[str] = []
    loads = rows.loads_or

    def counted(text, fallback):  # noqa: ANN001, ANN202
        decoded.append(text or "")
        return loads(text, fallback)

    monkeypatch.setattr(rows, "loads_or", counted)
    monkeypatch.setattr("quizapp.store.exams.loads_or", counted)
    stats = coach.stats(with_pass_chance=False)
    assert stats["exams"] == expected
    assert stats["calibration"] == coach.stats(with_pass_chance=False)["calibration"]
    # Only the small results were decoded: no question list (an exam's ids; before, one an exam).
    assert not [t for t in decoded if t.startswith('["')], decoded
    assert all('"by_task"' not in t for t in decoded)
    coach.store.close()
