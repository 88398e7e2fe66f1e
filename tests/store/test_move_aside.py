"""move-aside: the database before its WAL, never while another quizapp holds it, never a healthy
one without --force, and a clear refusal for a symlink or a folder that cannot be written."""

from __future__ import annotations

import errno
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.store import DB_NAME, AnswerWrite, ItemState, ProgressStore, StoreError, move_aside

NOW = datetime(2026, 11, 23, 10, 30, 0)


def _answers(store: ProgressStore, count: int) -> None:
    for n in range(count):
        qid = f"q{n}"
        state = ItemState(qid, "question", {"card_id": n}, n, 0, 1, False, "2026-11-23")
        at = f"2026-11-23T09:00:{n:02d}.000000+00:00"
        store.record_answer(AnswerWrite(qid, at, "2026-11-23", True, "practice", 0), state, 3)


def _killed_with_a_wal(tmp_path: Path, count: int = 5) -> Path:
    """A folder as a killed quizapp leaves it: committed answers still only in the WAL."""
    live = tmp_path / "live"
    store = ProgressStore.open(live)
    _answers(store, count)
    folder = tmp_path / "killed"
    folder.mkdir()
    for name in (DB_NAME, DB_NAME + "-wal"):
        shutil.copyfile(live / name, folder / name)
    store.close()
    return folder


def test_the_database_is_renamed_before_its_wal(tmp_path, monkeypatch):
    folder = _killed_with_a_wal(tmp_path)
    order = []
    real = Path.rename
    monkeypatch.setattr(Path, "rename", lambda self, target: (order.append(self.name), real(self, target))[1])
    move_aside(folder / DB_NAME, NOW)
    assert order[0] == DB_NAME and order[1] == DB_NAME + "-wal"


def test_a_kill_between_the_renames_loses_no_commit(tmp_path, monkeypatch):
    folder = _killed_with_a_wal(tmp_path, count=5)
    wal_bytes = (folder / (DB_NAME + "-wal")).read_bytes()
    real = Path.rename

    def killed_after_the_database(self, target):
        if self.name.endswith("-wal"):
            raise KeyboardInterrupt  # the process dies here
        return real(self, target)

    monkeypatch.setattr(Path, "rename", killed_after_the_database)
    with pytest.raises(KeyboardInterrupt):
        move_aside(folder / DB_NAME, NOW)
    monkeypatch.setattr(Path, "rename", real)
    with ProgressStore.open(folder) as fresh:  # the fresh database does not adopt the stray WAL
        assert fresh.answered_count() == 0
    moved = folder / "progress.db.20261123T103000.bak"
    assert (folder / (moved.name + "-wal")).read_bytes() == wal_bytes
    check = tmp_path / "check"
    check.mkdir()
    shutil.copyfile(moved, check / DB_NAME)
    shutil.copyfile(folder / (moved.name + "-wal"), check / (DB_NAME + "-wal"))
    with ProgressStore.open(check) as old:
        assert old.answered_count() == 5


def test_refused_while_another_quizapp_holds_the_database(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        _answers(store, 2)
        with pytest.raises(StoreError) as info:
            move_aside(tmp_path / DB_NAME, NOW)
        assert info.value.kind == "busy"
        assert (tmp_path / DB_NAME).exists() and store.answered_count() == 2
    move_aside(tmp_path / DB_NAME, NOW)  # once it is closed, it moves
    assert not (tmp_path / DB_NAME).exists()


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_healthy_database_moves_only_with_force(tmp_path, capsys):
    with ProgressStore.open(tmp_path) as store:
        _answers(store, 3)
    code, text = _run(capsys, "move-aside", "--data-dir", str(tmp_path))
    assert code == 1 and "healthy" in text and "--force" in text
    assert (tmp_path / DB_NAME).exists()
    code, text = _run(capsys, "move-aside", "--force", "--data-dir", str(tmp_path))
    assert code == 0 and not (tmp_path / DB_NAME).exists()
    assert len(list(tmp_path.glob("progress.db.*.bak"))) == 1


def test_a_damaged_database_moves_without_force(tmp_path, capsys):
    (tmp_path / DB_NAME).write_bytes(b"not a database\n" * 300)
    code, _ = _run(capsys, "move-aside", "--data-dir", str(tmp_path))
    assert code == 0 and not (tmp_path / DB_NAME).exists()


def test_a_read_only_folder_is_a_clear_message(tmp_path, capsys, monkeypatch):
    (tmp_path / DB_NAME).write_bytes(b"not a database\n" * 300)

    def read_only(self, target):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(Path, "rename", read_only)
    code, text = _run(capsys, "move-aside", "--data-dir", str(tmp_path))
    assert code == 1 and "read-only" in text and "Traceback" not in text
    assert (tmp_path / DB_NAME).exists()


def test_a_symlinked_database_is_refused(tmp_path, capsys):
    real = tmp_path / "real.db"
    real.write_bytes(b"not a database\n" * 300)
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).symlink_to(real)
    code, text = _run(capsys, "move-aside", "--force", "--data-dir", str(data))
    assert code == 1 and "link" in text
    assert (data / DB_NAME).is_symlink() and real.exists()


def test_a_store_dropped_without_close_does_not_hold_the_database_forever(tmp_path):
    import gc

    store = ProgressStore.open(tmp_path)
    del store
    gc.collect()
    move_aside(tmp_path / DB_NAME, NOW)
    assert not (tmp_path / DB_NAME).exists()


def test_a_data_dir_that_is_a_file_is_said_not_called_empty(tmp_path, capsys):
    from quizapp.cli import main

    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    assert main(["move-aside", "--data-dir", str(a_file)]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert a_file.read_text() == "not a folder"
