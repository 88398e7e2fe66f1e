"""Faults of the place, the file and the disk: each a StoreError in plain words, never a traceback,
and the learner's file untouched. Permission problems are simulated with the errors the real case
raises (tests run as root, where chmod stops nothing)."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3

import pytest

from quizapp.store import DB_NAME, AnswerWrite, ItemState, ProgressStore, StoreError, StoreWriteError
from quizapp.store import db as db_module
from quizapp.store.db import migrate


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _answer(n: int, response: object = 0) -> tuple[AnswerWrite, ItemState]:
    qid = f"q{n:04d}"
    at = f"2026-11-23T09:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}+00:00"
    state = ItemState(qid, "question", {"card_id": n}, n, 0, 1, False, "2026-11-23")
    return AnswerWrite(qid, at, "2026-11-23", n % 2 == 0, "practice", response), state


def _not_damage(error: StoreError) -> None:
    assert not error.can_move_aside
    assert "not a quizapp progress database" not in error.reason
    assert "move-aside" not in error.advice
    assert error.advice


def test_a_data_dir_that_is_a_file_is_reported_not_created_over(tmp_path):
    folder = tmp_path / "data"
    folder.write_text("my notes\n")
    with pytest.raises(StoreError) as info:
        ProgressStore.open(folder)
    _not_damage(info.value)
    assert info.value.kind == "place" and "--data-dir" in info.value.advice
    assert folder.read_text() == "my notes\n"


def test_a_data_dir_below_a_file_is_reported(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path / "file" / "data")
    _not_damage(info.value)


def test_a_name_too_long_is_reported(tmp_path):
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path / ("x" * 300))
    _not_damage(info.value)
    assert "too long" in info.value.reason


def test_a_folder_named_progress_db_is_not_called_damage(tmp_path):
    (tmp_path / DB_NAME).mkdir()
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    _not_damage(info.value)


@pytest.mark.parametrize(("code", "words"), [(errno.EACCES, "permission"), (errno.EROFS, "read-only")])
def test_permission_and_read_only_file_system_are_not_damage(tmp_path, monkeypatch, code, words):
    ProgressStore.open(tmp_path).close()
    path = tmp_path / DB_NAME
    before = _digest(path)
    real_open = os.open

    def refusing_open(file, flags, *args, **kwargs):
        if str(file) == str(path) and flags & (os.O_RDWR | os.O_WRONLY):
            raise OSError(code, os.strerror(code), str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    _not_damage(info.value)
    assert info.value.kind == "permission" and words in info.value.reason
    assert _digest(path) == before


def test_a_read_only_database_that_needs_an_upgrade_is_not_damage(tmp_path, monkeypatch):
    conn = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    migrate(conn, target=1)
    conn.close()
    before = _digest(tmp_path / DB_NAME)
    monkeypatch.setattr(
        db_module,
        "_connect",
        lambda path: sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None),
    )
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    _not_damage(info.value)
    assert info.value.kind == "read_only"
    assert _digest(tmp_path / DB_NAME) == before


def test_a_full_disk_at_open_is_reported(tmp_path, monkeypatch):
    real = db_module._connect

    def small_disk(path):
        conn = real(path)
        conn.execute("PRAGMA max_page_count = 2")  # SQLite's own SQLITE_FULL, as on a full disk
        return conn

    monkeypatch.setattr(db_module, "_connect", small_disk)
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    _not_damage(info.value)
    assert info.value.kind == "full" and "full" in info.value.reason


def test_not_a_database_and_damage_can_be_moved_aside(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"shopping list\n" * 400)
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    assert info.value.can_move_aside and info.value.kind == "not_database"
    assert "move-aside" in info.value.advice


def test_a_newer_database_is_not_offered_a_move_aside(tmp_path):
    ProgressStore.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    assert info.value.kind == "newer" and not info.value.can_move_aside
    assert "upgrade" in info.value.advice.lower()


@pytest.mark.parametrize("name", [DB_NAME, DB_NAME + "-wal"])
def test_a_symlinked_progress_file_is_refused_and_not_written_through(tmp_path, name):
    elsewhere = tmp_path / "elsewhere"
    ProgressStore.open(elsewhere).close()
    target = elsewhere / DB_NAME
    before = _digest(target)
    data = tmp_path / "data"
    data.mkdir()
    if name != DB_NAME:
        ProgressStore.open(data).close()
    (data / name).symlink_to(target)
    with pytest.raises(StoreError) as info:
        ProgressStore.open(data)
    assert info.value.kind == "symlink" and not info.value.can_move_aside
    assert (data / name).is_symlink() and _digest(target) == before


# ---------------------------------------------------------------------- writes that fail


def test_a_full_disk_while_answering_loses_only_the_answer_in_flight(tmp_path):
    store = ProgressStore.open(tmp_path)
    for n in range(3):
        store.record_answer(*_answer(n), 3)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    with pytest.raises(StoreWriteError) as info:
        for n in range(3, 200):
            store.record_answer(*_answer(n, "x" * 3000), 3)
    error = info.value
    assert error.kind == "full" and "full" in error.reason
    assert "not saved" in error.note and "kept" in error.note
    assert isinstance(error, StoreError) and not error.can_move_aside
    assert not store._conn.in_transaction  # rolled back, nothing half-written
    saved = store.answered_count()
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed: answering carries on
    store.record_answer(*_answer(500), 3)
    store.close()
    with ProgressStore.open(tmp_path) as again:
        assert again.answered_count() == saved + 1
        ids = {a.question_id for a in again.answers()}
        assert {"q0000", "q0001", "q0002", "q0500"} <= ids
        assert again.state(f"q{saved:04d}") is None  # the failed answer left no scheduling behind


def test_a_read_only_database_while_reviewing_raises_a_store_write_error(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        store.record_answer(*_answer(0), 3)
    path = tmp_path / DB_NAME
    read_only = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    store = ProgressStore(read_only, path)
    with pytest.raises(StoreWriteError) as info:
        store.record_review(ItemState("c1", "card", {"card_id": 1}, 5), 3, "2026-11-23T10:00:00+00:00", "f")
    assert info.value.kind == "read_only" and info.value.path == path
    assert not read_only.in_transaction
    store.close()
    with ProgressStore.open(tmp_path) as again:
        assert again.answered_count() == 1 and again.reviewed_count("card") == 0


def test_a_bug_in_sql_is_not_disguised_as_a_disk_fault(tmp_path):
    with ProgressStore.open(tmp_path) as store, pytest.raises(sqlite3.IntegrityError):
        store.record_review(ItemState("c1", "card", {}, 5), 9, "2026-11-23T10:00:00+00:00", "f")
