"""An exam in progress on one device, synced, then finished there: the other device must show it
finished after the next merge (it kept it "in progress" forever, since an exam already here was
skipped). Finished beats in progress, with the finishing device's answers; nothing un-finishes."""

from __future__ import annotations

import json

from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START, make_bank
from tests.store.histories import study_history


def _exam(data: dict, seed: int) -> dict:
    (exam,) = [e for e in data["exams"] if e["seed"] == seed]
    return exam


def test_an_exam_finished_on_another_device_is_finished_here_after_the_merge(tmp_path):
    bank = make_bank()
    clock = ManualClock(START)
    a = study_history(tmp_path / "a", bank, clock)  # its exam with seed 6 is in progress
    b = Coach(bank, ProgressStore.open(tmp_path / "b"), ManualClock(START), fuzz=False)
    b.store.import_data(a.store.export_data(), b.srs.replay)  # the first sync
    assert b.has_exam_in_progress()

    exam = a.resume_exam()  # a goes on with it and hands it in
    exam.answer(correct_response(exam.question()))
    exam.toggle_flag()
    clock.advance(minutes=2)
    exam.submit()
    finished = a.store.export_data()
    assert _exam(finished, 6)["status"] == "submitted"

    added = b.store.import_data(finished, b.srs.replay)  # the next sync
    assert added["exams"] == 1
    assert not b.has_exam_in_progress()
    here = b.store.export_data()
    assert _exam(here, 6) == _exam(finished, 6)  # result, finish time, answers, flags, times
    assert json.dumps(here, sort_keys=True) == json.dumps(finished, sort_keys=True)

    assert set(b.store.import_data(finished, b.srs.replay).values()) == {0}  # idempotent
    assert b.store.export_data() == here
    a.store.close()
    b.store.close()


def test_an_older_file_with_the_exam_in_progress_does_not_unfinish_it(tmp_path):
    bank = make_bank()
    clock = ManualClock(START)
    a = study_history(tmp_path / "a", bank, clock)
    in_progress = a.store.export_data()
    a.resume_exam().submit()
    finished = a.store.export_data()

    assert set(a.store.import_data(in_progress, a.srs.replay).values()) == {0}
    assert a.store.export_data() == finished
    with ProgressStore.open(tmp_path / "b") as b:  # in either order, the finished state wins
        b.import_data(finished, a.srs.replay)
        b.import_data(in_progress, a.srs.replay)
        assert _exam(b.export_data(), 6) == _exam(finished, 6)
    a.store.close()
