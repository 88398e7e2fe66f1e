"""Opening a large progress file runs the full quick_check once a week, not on every start (issue 18):
its cost grows with the history. A small file is still checked every time."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.store import DB_NAME, AnswerWrite, ProgressStore, StoreError
from quizapp.store import db as store_db


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement the store's own connections run."""
    seen: list[str] = []
    connect = store_db._connect

    def traced(path):  # noqa: ANN001, ANN202
        conn = connect(path)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(store_db, "_connect", traced)
    return seen


def _checks(statements: list[str]) -> int:
    n = sum(s.strip() == "PRAGMA quick_check" for s in statements)
    statements.clear()
    return n


def _fill(tmp_path) -> None:  # noqa: ANN001
    with ProgressStore.open(tmp_path) as store:
        for i in range(50):
            at = f"2026-11-23T09:00:{i:02d}+00:00"
            store.record_answer(AnswerWrite(f"q{i}", at, "2026-11-23", True, "practice", 0), None, None)


def test_a_small_file_is_checked_on_every_open(tmp_path, statements):
    _fill(tmp_path)
    statements.clear()
    for _ in range(3):
        ProgressStore.open(tmp_path).close()
        assert _checks(statements) == 1


def test_a_large_file_is_checked_once_a_week(tmp_path, statements, monkeypatch):
    _fill(tmp_path)
    monkeypatch.setattr(store_db, "QUICK_CHECK_BYTES", 0)  # every file is "large"
    statements.clear()
    ProgressStore.open(tmp_path).close()
    assert _checks(statements) == 1  # never checked before: checked, and the pass recorded
    ProgressStore.open(tmp_path).close()
    ProgressStore.open(tmp_path).close()
    assert _checks(statements) == 0  # within the week: not again
    conn = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    for when in (datetime.now(UTC) - timedelta(days=8), datetime.now(UTC) + timedelta(days=1)):
        conn.execute(
            "UPDATE housekeeping SET value = ? WHERE key = 'quick_check_passed'", (when.isoformat(),)
        )
        ProgressStore.open(tmp_path).close()
        assert _checks(statements) == 1  # a week old, or a clock set back: checked again
    conn.execute("DELETE FROM housekeeping")
    conn.close()
    ProgressStore.open(tmp_path).close()
    assert _checks(statements) == 1


def test_damage_between_two_checks_is_still_refused_when_read(tmp_path, monkeypatch):
    _fill(tmp_path)
    monkeypatch.setattr(store_db, "QUICK_CHECK_BYTES", 0)
    ProgressStore.open(tmp_path).close()  # checked: the next open will not check
    path = tmp_path / DB_NAME
    raw = bytearray(path.read_bytes())
    for offset in range(4096, len(raw), 5):  # every page but the first scribbled over
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreError) as info, ProgressStore.open(tmp_path) as store:
        store.answered_count()
        list(store.answers())
    assert info.value.kind == "damaged" and info.value.can_move_aside, info.value
