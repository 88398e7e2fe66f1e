"""The store: one transaction per event, undo, the missed queue, settings, and bad files."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime

import pytest

from quizapp.store import (
    DB_NAME,
    SCHEMA_VERSION,
    AnswerWrite,
    ItemState,
    ProgressStore,
    StoreError,
    move_aside,
)
from quizapp.store.db import migrate


def state(item_id: str, due: int = 100, kind: str = "question", lapses: int = 0) -> ItemState:
    return ItemState(item_id, kind, {"card_id": 1, "due": "x"}, due, lapses, 1, False, "2026-11-23")


def answer(qid: str, at: str, day: str, correct: bool) -> AnswerWrite:
    return AnswerWrite(qid, at, day, correct, "practice", 0)


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        yield s


def test_pragmas_wal_full_and_schema_version(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._conn.execute("PRAGMA cache_size").fetchone()[0] == -512  # KiB, not SQLite's 2,000


def test_checkpoints_happen_off_the_answer_path(store, monkeypatch):
    """No automatic checkpoint inside a COMMIT; the store folds the WAL itself, every N commits."""
    from quizapp.store import progress

    assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    monkeypatch.setattr(progress, "CHECKPOINT_EVERY", 3)
    folded = []
    real = progress.checkpoint
    monkeypatch.setattr(progress, "checkpoint", lambda conn: (folded.append(1), real(conn)))
    for n in range(7):
        at = f"2026-11-23T09:00:0{n}.000000+00:00"
        store.record_review(state(f"c{n}", kind="card"), 3, at, "flashcard")
    assert len(folded) == 2  # after the 3rd and the 6th commit
    store.checkpoint()
    busy, log, done = store._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and log == done  # everything committed is in the database file


def test_each_event_is_committed_immediately(store):
    store.record_review(state("c1", kind="card"), 3, "2026-11-23T09:00:00.000000+00:00", "flashcard")
    other = sqlite3.connect(store.path)  # a second reader sees it at once
    assert other.execute("SELECT count(*) FROM review").fetchone()[0] == 1
    assert other.execute("SELECT count(*) FROM item_state").fetchone()[0] == 1


def test_undo_review_restores_previous_state_and_deletes_log(store):
    first = store.record_review(state("c1", due=100, kind="card"), 3, "2026-11-23T09:00:00.000000+00:00", "f")
    second = store.record_review(
        state("c1", due=999, kind="card"), 1, "2026-11-23T09:05:00.000000+00:00", "f"
    )
    store.undo_review(second)
    assert store.state("c1").due == 100
    assert [r.id for r in store.reviews("c1")] == [first]
    store.undo_review(first)
    assert store.state("c1") is None and store.reviews() == []


def test_missed_queue_leaves_only_after_right_on_two_days(store):
    store.record_answer(answer("q1", "2026-11-23T09:00:00.000000+00:00", "2026-11-23", False), state("q1"), 1)
    assert [m.question_id for m in store.missed_queue()] == ["q1"]
    store.record_answer(answer("q1", "2026-11-23T10:00:00.000000+00:00", "2026-11-23", True), state("q1"), 3)
    store.record_answer(answer("q1", "2026-11-23T11:00:00.000000+00:00", "2026-11-23", True), state("q1"), 3)
    assert store.missed_count() == 1, "two right answers on the same day are not enough"
    store.record_answer(answer("q1", "2026-11-24T09:00:00.000000+00:00", "2026-11-24", True), state("q1"), 3)
    assert store.missed_count() == 0
    store.record_answer(answer("q1", "2026-11-25T09:00:00.000000+00:00", "2026-11-25", False), state("q1"), 1)
    entry = store.missed_queue()[0]
    assert (entry.times_missed, entry.right_days) == (2, 0)


def test_missed_queue_orders_by_due_then_times_missed(store):
    for qid, due, misses in (("late", 500, 1), ("often", 100, 3), ("once", 100, 1)):
        for i in range(misses):
            store.record_answer(
                answer(qid, f"2026-11-23T09:0{i}:00.000000+00:00", "2026-11-23", False),
                state(qid, due=due),
                1,
            )
    assert [m.question_id for m in store.missed_queue()] == ["often", "once", "late"]


def test_undo_answer_removes_answer_review_and_missed_entry(store):
    answer_id = store.record_answer(
        answer("q1", "2026-11-23T09:00:00.000000+00:00", "2026-11-23", False), state("q1"), 1
    )
    store.undo_answer(answer_id)
    assert store.answered_count() == 0 and store.missed_count() == 0
    assert store.state("q1") is None and store.reviews() == []


def test_settings_round_trip(store, tmp_path):
    store.set_setting("new_cards_per_day", 7)
    store.set_setting("exam_date", "2027-01-15")
    store.close()
    with ProgressStore.open(tmp_path) as again:
        assert again.settings() == {"new_cards_per_day": 7, "exam_date": "2027-01-15"}


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        (
            "SELECT item_id FROM item_state WHERE kind = 'card' AND due <= 5 ORDER BY due LIMIT 50",
            "item_state_due",
        ),
        (
            "SELECT question_id FROM missed WHERE in_queue = 1 ORDER BY due, times_missed DESC LIMIT 50",
            "missed_queue",
        ),
    ],
)
def test_hot_queries_use_their_index(store, sql, index):
    plan = " ".join(row[-1] for row in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert index in plan and "TEMP B-TREE" not in plan


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_database_is_refused_and_left_untouched(tmp_path):
    ProgressStore.open(tmp_path).close()
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = _digest(path)
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    assert "newer quizapp" in info.value.reason and info.value.path == path
    assert _digest(path) == before


def test_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / DB_NAME
    path.write_bytes(b"this is my shopping list, not a database\n" * 100)
    before = _digest(path)
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    assert "not a quizapp progress database" in str(info.value)
    assert _digest(path) == before


def test_damaged_database_fails_quick_check_and_is_left_untouched(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        for i in range(400):
            s.record_answer(
                answer(f"q{i:04d}", f"2026-11-23T09:00:{i % 60:02d}.{i:06d}+00:00", "2026-11-23", i % 2 == 0),
                state(f"q{i:04d}"),
                3,
            )
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / DB_NAME
    raw = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(raw), page * 6), 7):  # scribble over a few b-tree pages
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    before = _digest(path)
    with pytest.raises(StoreError) as info:
        ProgressStore.open(tmp_path)
    assert "damaged" in info.value.reason or "not a quizapp" in info.value.reason
    assert _digest(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not one of quizapp's"):
        ProgressStore.open(tmp_path)


def test_move_aside_renames_with_timestamp_and_keeps_everything(tmp_path):
    path = tmp_path / DB_NAME
    path.write_bytes(b"broken")
    (tmp_path / (DB_NAME + "-wal")).write_bytes(b"wal")
    before = _digest(path)
    target = move_aside(path, datetime(2026, 11, 23, 10, 30, 0))
    assert target.name == "progress.db.20261123T103000.bak"
    assert _digest(target) == before and not path.exists()
    assert (tmp_path / "progress.db.20261123T103000.bak-wal").read_bytes() == b"wal"
    with ProgressStore.open(tmp_path) as fresh:
        assert fresh.answered_count() == 0


def test_migrations_from_every_earlier_version_keep_data(tmp_path):
    for version in range(SCHEMA_VERSION):
        folder = tmp_path / f"v{version}"
        folder.mkdir()
        conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
        migrate(conn, target=version)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        if version >= 1:
            conn.execute("INSERT INTO item_state VALUES ('q1', 'question', '{}', 5, 0, 1, 0, '2026-11-23')")
            conn.execute(
                "INSERT INTO answer (question_id, answered_at, day, correct, mode, response_json) "
                "VALUES ('q1', '2026-11-23T09:00:00.000000+00:00', '2026-11-23', 0, 'practice', '0')"
            )
            conn.execute("INSERT INTO setting (key, value_json) VALUES ('theme', '\"nord\"')")
        conn.close()
        with ProgressStore.open(folder) as upgraded:
            assert upgraded._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            if version >= 1:
                assert upgraded.answered_count() == 1
                assert upgraded.state("q1").due == 5
                assert upgraded.settings() == {"theme": "nord"}
            assert upgraded.exams() == []


def test_peek_setting_reads_a_hint_without_opening_or_creating_anything(tmp_path):
    from quizapp.store.db import peek_setting

    empty = tmp_path / "empty"
    assert peek_setting(empty, "theme") is None
    assert not empty.exists()  # nothing is created before the store really opens
    with ProgressStore.open(tmp_path) as s:
        s.set_setting("theme", "nord")
        assert peek_setting(tmp_path, "theme") == "nord"  # while the store is open, too
    assert peek_setting(tmp_path, "theme") == "nord"
    assert peek_setting(tmp_path, "exam_date") is None

    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / DB_NAME).write_bytes(b"not sqlite at all" * 64)
    assert peek_setting(damaged, "theme") is None
    assert (damaged / DB_NAME).read_bytes() == b"not sqlite at all" * 64  # left for the real open to report


def test_the_store_package_imports_its_parts_on_first_use():
    import subprocess
    import sys

    code = (
        "import sys, quizapp.store.db; assert 'quizapp.store.progress' not in sys.modules; "
        "from quizapp.store import ProgressStore, ItemState; "
        "print(ProgressStore.__module__, ItemState.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["quizapp.store.progress", "quizapp.store.records"]
    with pytest.raises(AttributeError):
        import quizapp.store

        quizapp.store.NoSuchThing  # noqa: B018


def test_migration_3_adds_set_aside_to_a_version_2_database_in_place(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    migrate(conn, target=2)
    conn.execute(
        "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status) "
        "VALUES (1, '2026-11-23T09:00:00+00:00', 600, '[\"q1\"]', 'in_progress')"
    )
    conn.execute("INSERT INTO exam_answer (exam_id, position, response_json) VALUES (1, 0, '2')")
    conn.close()
    with ProgressStore.open(tmp_path) as upgraded:
        assert upgraded._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
        assert upgraded.in_progress_exam().responses == {0: 2}
        assert upgraded.set_aside_rows() == []
        assert upgraded.set_aside_setting("missing", "why", "2026-11-23T09:00:00+00:00") is False
