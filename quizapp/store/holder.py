"""Who has the progress database open: a lock file every open ProgressStore holds shared.

SQLite's own locks come and go with each transaction, so an idle quizapp (a learner reading a
question) holds none and cannot be seen through them. `progress.db.lock` carries a shared
`flock` for as long as a store is open; `move-aside` takes it exclusively without waiting, so it
refuses while any quizapp holds the database. The first opener also takes it exclusively for a
moment: holding it proves no other quizapp has the database open, which is when SQLite runs its
WAL recovery (see `wal`). flock locks belong to the open file, so two stores in one process see
each other too; a killed process's lock goes with it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; the OS refuses to rename open files
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = ".lock"
SHARED_WAIT_S = 10.0
"""How long an opener waits for a move-aside (which holds the lock for milliseconds) to finish."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


def _open_lock(db_path: Path) -> int:
    """The lock file's descriptor; OSError (a read-only folder, a symlink) for the caller to word."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    return os.open(lock_path(db_path), flags, 0o600)


class Holder:
    """A shared hold on the database; `first` is True when no other quizapp had it open."""

    def __init__(self, fd: int | None, first: bool) -> None:
        self._fd = fd
        self.first = first
        self._exclusive = first

    @classmethod
    def take(cls, db_path: Path) -> Holder:
        """Exclusive if nobody holds it (call `share` once the first-opener work is done), else
        shared; raises OSError when the lock file cannot be opened."""
        if fcntl is None:
            return cls(None, False)
        fd = _open_lock(db_path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return cls(fd, True)
        except BlockingIOError:
            pass
        except OSError:  # a file system without flock: open unheld, as before this lock existed
            os.close(fd)
            return cls(None, False)
        deadline = time.monotonic() + SHARED_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return cls(fd, False)
            except BlockingIOError:
                if time.monotonic() > deadline:  # never hang: use it unheld rather than wait forever
                    return cls(fd, False)
                time.sleep(0.02)

    def share(self) -> None:
        """Let other quizapps open the database alongside this one."""
        if self._fd is not None and self._exclusive and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
            self._exclusive = False

    def release(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __del__(self) -> None:
        # A store dropped without close() lets go of the database as its connection does.
        self.release()


class HeldElsewhere(Exception):
    """Another quizapp has the database open."""


@contextmanager
def exclusive(db_path: Path) -> Iterator[None]:
    """Hold the database against every opener, or raise HeldElsewhere at once (never waits)."""
    if fcntl is None:
        yield
        return
    fd = _open_lock(db_path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise HeldElsewhere from None
        except OSError:  # a file system without flock: nothing to learn here
            pass
        yield
    finally:
        os.close(fd)
