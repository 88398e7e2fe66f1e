"""A file merged before is not read again while everything it brought is still here; when anything
it brought has gone (an undo, a repair, a removed setting or exam), it is read and merged again.

Counted, not timed: whether the file was parsed (`load_export` is made to fail)."""

from __future__ import annotations

import json

import pytest
from fsrs import Rating

import quizapp.store.import_check
from quizapp.store import ProgressStore
from quizapp.store.import_memo import KEEP, MEMO_KEY
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START, make_bank
from tests.store.histories import study_history


@pytest.fixture
def devices(tmp_path):
    """Device a's export (its history finished: every exam submitted), merged once into device b."""
    bank = make_bank()
    a = study_history(tmp_path / "a", bank, ManualClock(START))
    a.resume_exam().submit()
    raw = a.store.export_bytes()
    a.store.close()
    b = Coach(bank, ProgressStore.open(tmp_path / "b"), ManualClock(START.replace(hour=20)), fuzz=False)
    assert b.store.import_bytes(raw, b.srs.replay)["reviews"] > 0
    yield b, raw
    b.store.close()


def _unread(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(quizapp.store.import_check, "load_export", refuse)


def test_a_file_merged_before_is_not_read_again_even_after_more_study_here(devices, monkeypatch):
    b, raw = devices
    once = b.store.export_data()
    _unread(monkeypatch)
    assert set(b.store.import_bytes(raw, b.srs.replay).values()) == {0}
    assert b.store.export_data() == once
    cards = b.flashcards()  # new study here only adds rows: the file still brings nothing
    cards.rate(Rating.Good)
    practice = b.practice()
    practice.answer(correct_response(practice.current()))
    b.update_settings(desired_retention=0.85)
    assert set(b.store.import_bytes(raw, b.srs.replay).values()) == {0}


REMOVALS = {
    "the newest review": ("DELETE FROM review WHERE id = (SELECT max(id) FROM review)", "reviews"),
    "the oldest review": ("DELETE FROM review WHERE id = (SELECT min(id) FROM review)", "reviews"),
    "an answer": ("DELETE FROM answer WHERE id = (SELECT min(id) FROM answer)", "answers"),
    "an item state": (
        "DELETE FROM item_state WHERE item_id = (SELECT min(item_id) FROM item_state)",
        "items",
    ),
    "a setting": ("DELETE FROM setting WHERE key = 'new_cards_per_day'", "settings"),
    "an exam": ("DELETE FROM exam WHERE id = (SELECT min(id) FROM exam)", "exams"),
}


@pytest.mark.parametrize("sql, what", REMOVALS.values(), ids=REMOVALS.keys())
def test_a_file_whose_rows_are_gone_here_is_merged_again(devices, sql, what):
    b, raw = devices
    once = b.store.export_data()
    with b.store._write() as c:
        c.execute(sql)
    assert not b.store.merged_before(raw)
    assert b.store.import_bytes(raw, b.srs.replay)[what] == 1
    assert b.store.export_data()[what] == once[what]
    assert b.store.merged_before(raw)  # remembered again


CHANGES = {
    "a review's time forgotten": "UPDATE review SET duration_ms = NULL WHERE duration_ms IS NOT NULL",
    "an answer's time forgotten": "UPDATE answer SET duration_ms = NULL WHERE duration_ms IS NOT NULL",
    "an exam's prediction forgotten": "UPDATE exam SET predicted_pass = NULL",
    "the newest review's id taken by another": (
        "UPDATE review SET item_id = 'fc-other', reviewed_at = '2030-01-01T00:00:00.000000+00:00' "
        "WHERE id = (SELECT max(id) FROM review)"
    ),
}


@pytest.mark.parametrize("sql", CHANGES.values(), ids=CHANGES.keys())
def test_a_file_whose_rows_changed_here_is_merged_again(devices, sql):
    b, raw = devices
    with b.store._write() as c:
        assert c.execute(sql).rowcount > 0
    assert not b.store.merged_before(raw)
    b.store.import_bytes(raw, b.srs.replay)
    assert b.store.merged_before(raw)


def test_the_newest_files_are_remembered(devices):
    b, raw = devices
    variants = [raw + b" " * n for n in range(1, KEEP + 3)]  # the same export, other bytes
    for variant in variants:
        assert set(b.store.import_bytes(variant, b.srs.replay).values()) == {0}
    memo = json.loads(
        b.store._conn.execute("SELECT value FROM housekeeping WHERE key = ?", (MEMO_KEY,)).fetchone()[0]
    )
    assert len(memo) == KEEP
    assert not b.store.merged_before(raw) and not b.store.merged_before(variants[1])
    assert all(b.store.merged_before(v) for v in variants[-KEEP:])


def test_a_memo_this_code_did_not_write_is_not_trusted(devices):
    b, raw = devices
    with b.store._write() as c:
        c.execute('UPDATE housekeeping SET value = \'[{"digest": 1}, 3, "x"]\' WHERE key = ?', (MEMO_KEY,))
    assert not b.store.merged_before(raw)
    with b.store._write() as c:
        c.execute("UPDATE housekeeping SET value = 'not json' WHERE key = ?", (MEMO_KEY,))
    assert not b.store.merged_before(raw)
    b.store.import_bytes(raw, b.srs.replay)
    assert b.store.merged_before(raw)
