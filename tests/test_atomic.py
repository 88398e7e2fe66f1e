"""Replacing a file never tears it: a failed write leaves the old bytes and no temp file behind."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

import pytest

from quizapp.atomic import reason, write_atomic


def test_replaces_the_file_and_leaves_no_temp(tmp_path: Path):
    target = tmp_path / "backup.json"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]


def test_a_full_disk_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "backup.json"
    target.write_bytes(b"a valid backup")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as info:
        write_atomic(target, b"x" * 100_000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert reason(info.value) == "the disk is full"
    assert target.read_bytes() == b"a valid backup"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]


def test_a_folder_or_a_missing_folder_is_refused_with_a_reason(tmp_path: Path):
    with pytest.raises(OSError) as info:
        write_atomic(tmp_path, "x")
    assert reason(info.value) == "it is a folder"
    with pytest.raises(OSError) as info:
        write_atomic(tmp_path / "no" / "such" / "file.json", "x")
    assert reason(info.value) == "no such file or folder"


def test_new_files_are_private_and_replaced_files_keep_their_mode(tmp_path: Path):
    fresh = tmp_path / "fresh.json"
    write_atomic(fresh, "x")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    shared = tmp_path / "shared.json"
    shared.write_text("old")
    shared.chmod(0o644)
    write_atomic(shared, "new")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644


def test_reason_falls_back_to_the_system_message():
    assert reason(OSError(errno.EBUSY, "Device or resource busy")) == "Device or resource busy"


def test_what_a_killed_write_left_is_cleared_by_the_next_write(tmp_path: Path):
    target = tmp_path / "backup.json"
    stale = tmp_path / ".backup.json.abc123.tmp"
    fresh = tmp_path / ".backup.json.def456.tmp"  # a write still in progress elsewhere
    other = tmp_path / ".other.json.abc123.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_text("half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_atomic(target, "new")
    assert not stale.exists()
    assert fresh.exists() and other.exists()
