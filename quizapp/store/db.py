"""Opening `progress.db` safely: health checks, forward migrations, and never a silent reset.

A file that is not a database, fails `PRAGMA quick_check`, or was written by a newer quizapp raises
`StoreError` naming the file; nothing here deletes or overwrites it. `move_aside` renames such a
file (and its WAL/SHM companions) with a timestamp, only when the user asks for it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from quizapp.store.schema import MIGRATIONS, SCHEMA_VERSION

DB_NAME = "progress.db"
BUSY_TIMEOUT_MS = 30_000
T = TypeVar("T")


class StoreError(Exception):
    """The progress file cannot be used as it is; `path` names it, `reason` says why."""

    def __init__(self, path: Path, reason: str, *, can_move_aside: bool = True) -> None:
        self.path = path
        self.reason = reason
        self.can_move_aside = can_move_aside
        super().__init__(f"{path}: {reason}")


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so each event is one transaction
    # and a second instance waits for the write lock instead of failing on lock upgrade.
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if absent) and upgrade the progress database, or raise StoreError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    try:
        conn = _connect(path)
        if existed:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                conn.close()
                raise StoreError(path, f"the database is damaged (quick_check: {check})")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(path, f"not a quizapp progress database ({exc})") from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise StoreError(
            path,
            f"written by a newer quizapp (schema {version}, this version knows {SCHEMA_VERSION}); "
            "upgrade quizapp to use it",
        )
    if existed and version == 0 and _has_foreign_tables(conn):
        conn.close()
        raise StoreError(path, "an SQLite database, but not one of quizapp's")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    # SQLite's automatic checkpoint runs inside whichever COMMIT crosses 1000 WAL pages, adding
    # ~8 ms (a copy and an fsync) to about one answer in a hundred. The store checkpoints at
    # moments nobody waits on instead (see ProgressStore.checkpoint); every commit is still
    # fsynced to the WAL, so durability is unchanged.
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    checkpoint(conn)
    return conn


def peek_setting(data_dir: Path, key: str) -> object | None:
    """One setting read before the store is opened, so the first screen is drawn in the learner's
    theme instead of flashing the default one.

    A hint, not a read: read-only, no health check, no migration, no waiting for a lock. No file
    yet, a damaged or foreign file, or a lock gives None, and `open_database` reports the problem.
    """
    path = data_dir / DB_NAME
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            row = conn.execute("SELECT value_json FROM setting WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
        return json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy committed WAL pages into the database without waiting on other connections."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> None:
    """Apply each missing migration in its own transaction, bumping user_version with it."""
    while True:
        with write(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= target:
                return
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")


def _statements(script: str) -> Iterator[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One committed transaction; the write lock is taken up front (BEGIN IMMEDIATE)."""
    _retry(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        _retry(lambda: conn.execute("COMMIT"))


def _retry(action: Callable[[], T], attempts: int = 5) -> T:
    """busy_timeout already waits 30 s; past that, keep waiting rather than lose an answer."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def move_aside(path: Path, now: datetime) -> Path:
    """Rename a database the user chose to abandon, with its WAL and SHM files; return the new name."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{stamp}-{counter}.bak")
        counter += 1
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target
