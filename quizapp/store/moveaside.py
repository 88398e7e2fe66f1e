"""Moving an abandoned progress database out of the way, without ever losing a byte of it.

The database is renamed before its `-wal`/`-shm` companions: the WAL holds the latest commits,
so a kill between the two renames must leave it beside a name nobody opens as `progress.db`,
and the next open (`finish_interrupted_move`) gives the stray companions to the moved database.
Renames only; nothing is deleted.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from quizapp.atomic import fsync_folder, reason
from quizapp.store.errors import PERMISSION_ADVICE, StoreError
from quizapp.store.holder import HeldElsewhere, exclusive

COMPANIONS = ("-wal", "-shm")
BUSY_ADVICE = "Close the other quizapp first, then try again."


def refuse_symlink(path: Path) -> None:
    """A symlinked progress file could point anywhere; quizapp neither follows nor writes through it."""
    if path.is_symlink():
        raise StoreError(
            path,
            f"it is a symbolic link (to {os.readlink(path)}); quizapp does not follow links for "
            "its progress file",
            can_move_aside=False,
            advice="Nothing was changed. Replace the link with the file itself, or pick another "
            "folder with --data-dir.",
            kind="symlink",
        )


def move_aside(path: Path, now: datetime) -> Path:
    """Rename a database the user chose to abandon, then its WAL and SHM files; return the new name.

    Raises StoreError (kind "busy") while another quizapp holds it, and for a symlink or a folder
    that does not allow renaming.
    """
    refuse_symlink(path)
    try:
        with exclusive(path):
            target = _free_name(path, now, ".bak")
            path.rename(target)
            fsync_folder(path.parent)  # the database's new name is durable before the WAL moves
            for suffix in COMPANIONS:
                companion = path.with_name(path.name + suffix)
                if companion.exists():
                    companion.rename(target.with_name(target.name + suffix))
            fsync_folder(path.parent)
            return target
    except HeldElsewhere:
        raise StoreError(
            path,
            "another quizapp is using it right now",
            can_move_aside=False,
            advice=BUSY_ADVICE,
            kind="busy",
        ) from None
    except OSError as exc:
        raise StoreError(
            path,
            f"it cannot be renamed: {reason(exc)}",
            can_move_aside=False,
            advice=PERMISSION_ADVICE,
            kind="permission",
        ) from None


def _free_name(path: Path, now: datetime, suffix: str) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}{suffix}")
    counter = 1
    while target.exists() or target.with_name(target.name + "-wal").exists():
        target = path.with_name(f"{path.name}.{stamp}-{counter}{suffix}")
        counter += 1
    return target


def finish_interrupted_move(path: Path, now: datetime) -> list[Path]:
    """With no database but a stray WAL or SHM (a move-aside killed between its renames), give
    them to the newest moved-aside database that lacks them, or keep them under a dated name, so
    a fresh database never adopts another's journal. Returns the new names."""
    if path.exists() or path.is_symlink():
        return []
    moved = []
    for suffix in COMPANIONS:
        stray = path.with_name(path.name + suffix)
        if not stray.exists() or stray.is_symlink():
            continue
        candidates = sorted(  # the rename that was interrupted is the latest (ctime: renamed at)
            (p for p in path.parent.glob(f"{path.name}.*.bak") if not p.with_name(p.name + suffix).exists()),
            key=lambda p: p.stat().st_ctime,
        )
        if candidates:
            target = candidates[-1].with_name(candidates[-1].name + suffix)
        else:
            target = _free_name(path, now, f".orphan{suffix}")
        stray.rename(target)
        moved.append(target)
    if moved:
        fsync_folder(path.parent)
    return moved
