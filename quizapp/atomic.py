"""Replacing a file that holds the learner's data (an export, the bank cache, a sync file).

Never in place: the new bytes go to a temporary name in the same folder, are fsynced, renamed over
the old name, and the folder is fsynced so the rename itself survives a power cut. A full disk, a
kill or a crash at any moment leaves either the old file or the new one, never a torn mix.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from contextlib import suppress
from pathlib import Path

STALE_TEMP_SECONDS = 3600
"""A temporary file this old was left by a write that was killed: no live write takes an hour."""

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "too many symbolic links",
    errno.EIO: "an input/output error (a failing disk?)",
}


def reason(exc: OSError) -> str:
    """What went wrong, in words a learner can act on (not `[Errno 28] ...`)."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; a platform without directory fsync just skips it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes | str, *, mode: int = 0o600) -> None:
    """Replace `path` with `data` atomically; on any error the old file is intact and OSError is raised.

    A new file gets `mode` (private by default: progress is personal); a replaced one keeps its mode.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    folder = path.parent
    with suppress(OSError):
        mode = path.stat().st_mode & 0o7777
    _remove_stale_temps(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    fsync_folder(folder)


def _remove_stale_temps(path: Path) -> None:
    """A kill mid-write leaves `.NAME.xxxx.tmp` beside the file (the old file itself is whole);
    the next write of the same name clears what earlier killed writes left."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    with suppress(OSError):
        for temp in path.parent.glob(f".{path.name}.*.tmp"):
            with suppress(OSError):
                if temp.is_file() and not temp.is_symlink() and temp.stat().st_mtime < cutoff:
                    temp.unlink()
