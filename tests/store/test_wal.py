"""A damaged WAL: SQLite's recovery keeps the commits before the first bad frame and silently drops
the rest. quizapp says so and keeps a copy of the WAL before anything can overwrite it."""

from __future__ import annotations

import shutil

from quizapp.store import DB_NAME, AnswerWrite, ItemState, ProgressStore
from quizapp.store import wal as wal_module

WAL = DB_NAME + "-wal"


def _answer(store: ProgressStore, n: int) -> None:
    qid = f"q{n:03d}"
    at = f"2026-11-23T09:00:{n:02d}.000000+00:00"
    state = ItemState(qid, "question", {"card_id": n}, n, 0, 1, False, "2026-11-23")
    store.record_answer(AnswerWrite(qid, at, "2026-11-23", True, "practice", 0), state, 3)


def _crashed_copy(tmp_path, answers: int = 8):
    """A data folder as a kill leaves it: the database plus a WAL holding `answers` commits."""
    live = tmp_path / "live"
    store = ProgressStore.open(live)  # the store never checkpoints on its own here (8 < 1000 commits)
    for n in range(answers):
        _answer(store, n)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    shutil.copyfile(live / DB_NAME, crashed / DB_NAME)
    shutil.copyfile(live / WAL, crashed / WAL)
    store.close()
    return crashed


def _frame_offset(path, frame: int) -> int:
    page_size = int.from_bytes(path.read_bytes()[8:12], "big")
    return wal_module.HEADER + frame * (wal_module.FRAME_HEADER + page_size)


def test_the_wal_summary_counts_every_commit(tmp_path):
    crashed = _crashed_copy(tmp_path, answers=5)
    summary = wal_module.summarize(crashed / WAL)
    assert summary is not None and summary.readable and summary.commits == 5
    assert list(summary.commit_frames) == sorted(summary.commit_frames)


def test_a_damaged_frame_is_reported_and_the_wal_kept(tmp_path):
    crashed = _crashed_copy(tmp_path)
    summary = wal_module.summarize(crashed / WAL)
    assert summary is not None and summary.commits == 8
    wal = crashed / WAL
    raw = bytearray(wal.read_bytes())
    third = summary.commit_frames[1]  # the first frame of the third commit
    raw[_frame_offset(wal, third) + wal_module.FRAME_HEADER + 100] ^= 0xFF
    wal.write_bytes(bytes(raw))

    with ProgressStore.open(crashed) as store:
        assert store.answered_count() == 2  # SQLite kept the first two commits only
        assert len(store.warnings) == 1
        warning = store.warnings[0]
        copies = list(crashed.glob(WAL + ".*.damaged"))
        assert len(copies) == 1 and copies[0].read_bytes() == bytes(raw)
        assert copies[0].name in warning and "6" in warning  # names the copy and what was dropped
        _answer(store, 50)  # carries on; the kept copy is not touched by new writes
    assert copies[0].read_bytes() == bytes(raw)
    with ProgressStore.open(crashed) as again:
        assert again.warnings == [] and again.answered_count() == 3


def test_a_wal_whose_header_is_damaged_is_reported(tmp_path):
    crashed = _crashed_copy(tmp_path, answers=3)
    wal = crashed / WAL
    raw = bytearray(wal.read_bytes())
    raw[0:4] = b"\0\0\0\0"
    wal.write_bytes(bytes(raw))
    with ProgressStore.open(crashed) as store:
        assert store.answered_count() == 0
        assert len(store.warnings) == 1
        assert list(crashed.glob(WAL + ".*.damaged"))


def test_a_kill_in_the_middle_of_a_commit_is_not_called_damage(tmp_path):
    crashed = _crashed_copy(tmp_path, answers=4)
    wal = crashed / WAL
    raw = wal.read_bytes()
    wal.write_bytes(raw[: len(raw) - 1000])  # the last frame only partly reached the disk
    with ProgressStore.open(crashed) as store:
        assert store.warnings == [] and store.answered_count() == 3
    assert not list(crashed.glob(WAL + ".*.damaged"))


def test_a_second_quizapp_does_not_judge_a_live_wal(tmp_path):
    first = ProgressStore.open(tmp_path)
    for n in range(4):
        _answer(first, n)
    with ProgressStore.open(tmp_path) as second:  # the WAL is live: no recovery, nothing to compare
        assert second.warnings == [] and second.answered_count() == 4
    first.close()
    assert not list(tmp_path.glob(WAL + ".*.damaged"))
