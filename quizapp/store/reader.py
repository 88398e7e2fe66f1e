"""A read-only view of the progress file for a thread worker: its own connection, one snapshot.

The app's store connection is opened with `check_same_thread=False`, and SQLite itself is
serialized, so another thread *can* use it; but it should not: the worker would read in the middle of
the main thread's write transaction (an answer's review row without its answer yet), and CPython's
`sqlite3` shares one cache of prepared statements per connection, so two threads running the same
SQL at the same moment can reset each other's statement (rows lost or repeated). A worker that only
reads opens this instead: a separate read-only connection (`mode=ro`, so it cannot write by
mistake) inside one read transaction, which in WAL mode is a consistent snapshot of what was
committed when it began, and never blocks or is blocked by the app's writes. Opening one costs
about a millisecond.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quizapp.store.db import BUSY_TIMEOUT_MS
from quizapp.store.progress import ProgressStore


@contextmanager
def snapshot(path: Path) -> Iterator[ProgressStore]:
    """A read-only `ProgressStore` on `path` (the file an open store uses: `store.path`) whose
    reads all see one committed state; closed on exit. Its writes raise sqlite3 errors."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute("BEGIN")  # deferred: the snapshot is taken by the first read
        yield ProgressStore(conn, Path(path))
    finally:
        conn.close()  # ends the read transaction; nothing to commit


__all__ = ["snapshot"]
