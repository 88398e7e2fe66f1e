"""Opening `progress.db` safely: health checks, forward migrations, and never a silent reset.

Every way the file can be unusable is told apart, in plain words (`errors`): a data folder that is
a file, a name too long, permission denied, a read-only or full disk, a symlink (refused, never
followed), a file that is not a database, a damaged one, one from a newer quizapp. Nothing here
deletes or overwrites it; `move_aside` renames it only when the user asks. A WAL whose committed
transactions SQLite's recovery discarded is copied aside and reported (`wal`). A write that fails
(full disk, read-only file, I/O error) is rolled back and raised as `StoreWriteError`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple, TypeVar

from quizapp.atomic import reason, write_atomic
from quizapp.store import wal
from quizapp.store.errors import (
    MOVABLE,
    PERMISSION_ADVICE,
    StoreError,
    StoreWriteError,
    classify,
    is_fault,
    write_error,
)
from quizapp.store.holder import Holder
from quizapp.store.moveaside import finish_interrupted_move, move_aside, refuse_symlink
from quizapp.store.peek import DB_NAME, peek_setting
from quizapp.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "Opened",
    "StoreError",
    "StoreWriteError",
    "checkpoint",
    "migrate",
    "move_aside",
    "open_database",
    "peek_setting",
    "write",
]

BUSY_TIMEOUT_MS = 30_000
PAGE_CACHE_KIB = 512
"""SQLite's page cache per connection (its default is 2,000 KiB). Home, the dashboard and a mode's
start read summary tables and indexed ranges, a few dozen pages; the rest of a long history is read
by export and import, which stream it once. A larger cache only grew with the file and stayed in the
app's memory: over a 300-answer session it took 0.7 MiB of a fresh learner's growth, and a learner
with a long history carried the full 2 MiB from the first screen. The pages it no longer keeps come
from the operating system's file cache. Answer commits at 100k (bench/store_figures.py, a busy
machine, 3 x 2 runs): medians 670-910 µs with it, 640-950 µs without."""
T = TypeVar("T")
PLACE_ADVICE = "Nothing was changed. Pick another folder with --data-dir (or $QUIZAPP_DATA_DIR)."


class Opened(NamedTuple):
    conn: sqlite3.Connection
    holder: Holder
    """Held (shared) for as long as the connection is open: move-aside checks it."""
    warnings: list[str]
    """Things the learner must hear about although the store opened (a damaged WAL)."""


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so each event is one transaction
    # and a second instance waits for the write lock instead of failing on lock upgrade.
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    return conn


def _place_error(path: Path, why: str, kind: str = "place", advice: str = PLACE_ADVICE) -> StoreError:
    return StoreError(path, why, can_move_aside=False, advice=advice, kind=kind)


def os_error(path: Path, exc: OSError, what: str = "it") -> StoreError:
    """An OSError around the progress file, as the StoreError a learner can act on."""
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _place_error(path, f"{what} cannot be used: {reason(exc)}", "permission", PERMISSION_ADVICE)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _place_error(
            path, f"{what} cannot be used: {reason(exc)}", "full", "Free some disk space, then try again."
        )
    return _place_error(path, f"{what} cannot be used: {reason(exc)}")


def _check_place(path: Path) -> bool:
    """Refuse, before SQLite sees it, a place that cannot hold the progress file; create the
    folder if needed. Returns whether a non-empty file is already there."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise _place_error(path, f"the data folder {folder} is a file, not a folder") from None
    except NotADirectoryError:
        raise _place_error(path, f"a part of the data folder {folder} is a file, not a folder") from None
    except OSError as exc:
        raise os_error(path, exc, f"the data folder {folder}") from None
    if not folder.is_dir():
        raise _place_error(path, f"the data folder {folder} is not a folder")
    refuse_symlink(path)
    for suffix in ("-wal", "-shm"):
        refuse_symlink(path.with_name(path.name + suffix))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise os_error(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise _place_error(path, "it is a folder, not a file", advice="Rename or remove that folder.")
    if not stat.S_ISREG(info.st_mode):
        raise _place_error(path, "it is not a regular file (a pipe or a device?)")
    _probe_read_write(path)
    return info.st_size > 0


def _probe_read_write(path: Path) -> None:
    """Permission problems are not damage: find them with the OS's own answer, before SQLite
    words them as "unable to open" or "not a database"."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise os_error(path, exc) from None
    os.close(fd)


def open_database(path: Path) -> Opened:
    """Open (creating if absent) and upgrade the progress database, or raise StoreError."""
    existed = _check_place(path)
    try:
        finish_interrupted_move(path, datetime.now())
        holder = Holder.take(path)
    except OSError as exc:
        raise os_error(path, exc) from None
    try:
        conn, warnings = _open_checked(path, holder, existed)
    except BaseException:
        holder.release()
        raise
    holder.share()
    return Opened(conn, holder, warnings)


def _open_checked(path: Path, holder: Holder, existed: bool) -> tuple[sqlite3.Connection, list[str]]:
    wal_path = path.with_name(path.name + "-wal")
    # Only the first opener sees SQLite's recovery; with another quizapp in, the WAL is live.
    summary = wal.summarize(wal_path) if existed and holder.first else None
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path)
        warnings = _check_wal(conn, path, wal_path, summary) if summary is not None else []
        checked = existed and _quick_check_due(conn, path)
        if checked:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError(path, f"the database is damaged (quick_check: {check})")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                path,
                f"written by a newer quizapp (schema {version}, this version knows {SCHEMA_VERSION})",
                can_move_aside=False,
                advice="Nothing was changed. Upgrade quizapp to use it.",
                kind="newer",
            )
        if existed and version == 0 and _has_foreign_tables(conn):
            raise StoreError(path, "an SQLite database, but not one of quizapp's", kind="foreign")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        # SQLite's automatic checkpoint runs inside whichever COMMIT crosses 1000 WAL pages, adding
        # ~8 ms (a copy and an fsync) to about one answer in a hundred. The store checkpoints at
        # moments nobody waits on instead (see ProgressStore.checkpoint); every commit is still
        # fsynced to the WAL, so durability is unchanged.
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path=path)
        if checked and _is_large(path):
            with write(conn, path):
                conn.execute(
                    "INSERT OR REPLACE INTO housekeeping (key, value) VALUES ('quick_check_passed', ?)",
                    (datetime.now(UTC).isoformat(),),
                )
        checkpoint(conn)
        return conn, warnings
    except StoreWriteError as exc:
        _close(conn)
        raise StoreError(path, exc.reason, can_move_aside=False, advice=exc.advice, kind=exc.kind) from None
    except StoreError:
        _close(conn)
        raise
    except sqlite3.Error as exc:
        _close(conn)
        kind, why, advice = classify(exc)
        raise StoreError(path, why, can_move_aside=kind in MOVABLE, advice=advice, kind=kind) from None
    except OSError as exc:  # reading the WAL, copying a damaged one: the same words as at the door
        _close(conn)
        raise os_error(path, exc) from None
    except BaseException:
        _close(conn)
        raise


QUICK_CHECK_BYTES = 2 * 2**20
"""Up to this size the progress file is checked (`PRAGMA quick_check`) on every open: it reads every
page, about a millisecond per MiB, so this bounds what every start pays for it at about 2 ms. A few
weeks of study fit in it; a year of study is 5 to 16 MiB (12 to 20 ms a start, a quarter of what
Home's start-up had left to do, issue 18), so it is checked weekly like any larger file."""
QUICK_CHECK_EVERY = timedelta(days=7)
"""A larger file is checked on the first open after this long since its last passing check."""


def _is_large(path: Path) -> bool:
    try:
        return path.stat().st_size > QUICK_CHECK_BYTES
    except OSError:
        return False


def _quick_check_due(conn: sqlite3.Connection, path: Path) -> bool:
    """Whether this open runs the full `quick_check`, which reads every page, so its cost grows with
    the history: always for a file up to `QUICK_CHECK_BYTES`, else once every `QUICK_CHECK_EVERY`
    (the last passing check is kept in `housekeeping`, schema 6), so a heavy learner's start does
    not pay for their whole history each time.

    Damage is still caught between two checks, only later and closer to where it is: SQLite checks
    every page it reads (its b-tree header, cell bounds and overflow chain), so any read or write
    that meets a damaged page fails with "database disk image is malformed" and is reported as a
    damaged file (`errors.classify`: nothing is overwritten, the learner is offered to move it
    aside). What a weekly check adds is finding damage in pages nobody has read yet, before the
    learner studies on top of it. A file from before schema 6, a missing or unreadable record, or
    a clock set back (a record in the future) all mean: check now."""
    if not _is_large(path):
        return True
    try:
        row = conn.execute("SELECT value FROM housekeeping WHERE key = 'quick_check_passed'").fetchone()
    except sqlite3.OperationalError:  # no such table: written before schema 6
        return True
    try:
        last = datetime.fromisoformat(row[0]) if row else None
    except (TypeError, ValueError):
        return True
    now = datetime.now(UTC)
    return last is None or last.tzinfo is None or not (now - QUICK_CHECK_EVERY < last <= now)


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        with suppress(sqlite3.Error):
            conn.close()


def _check_wal(conn: sqlite3.Connection, path: Path, wal_path: Path, summary: wal.WalSummary) -> list[str]:
    """After SQLite's recovery (it runs on this first statement), before any write or close can
    overwrite or delete the frames it dropped: keep a copy when it dropped committed ones."""
    _busy, accepted, _done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if wal.discarded(summary, accepted) <= 0:
        return []
    copy = _keep_copy(path, wal_path)
    return [wal.warning(wal_path, summary, accepted, copy)]


def _keep_copy(path: Path, wal_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = wal_path.with_name(f"{wal_path.name}.{stamp}.damaged")
    counter = 1
    while target.exists():
        target = wal_path.with_name(f"{wal_path.name}.{stamp}-{counter}.damaged")
        counter += 1
    try:
        write_atomic(target, wal_path.read_bytes())
        return target
    except OSError as exc:
        # No room for a copy: a second name for the same bytes survives SQLite deleting the WAL
        # when this connection closes; quizapp must stop before a write overwrites them.
        with suppress(OSError):
            os.link(wal_path, target)
        kept = f" It is kept as {target.name}." if target.exists() else ""
        raise StoreError(
            path,
            f"its journal {wal_path.name} is damaged and a copy of it could not be written "
            f"({reason(exc)}).{kept}",
            can_move_aside=False,
            advice="Free some disk space, then start quizapp again.",
            kind="full",
        ) from None


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy committed WAL pages into the database without waiting on other connections.

    Housekeeping only: every commit is already safe in the WAL, so a checkpoint the disk refuses
    (full, I/O error) is left for a later one rather than failing the answer that triggered it.
    """
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error as exc:
        if not is_fault(exc):
            raise


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION, path: Path | None = None) -> None:
    """Apply each missing migration in its own transaction, bumping user_version with it."""
    while True:
        with write(conn, path):
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
def write(conn: sqlite3.Connection, path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """One committed transaction; the write lock is taken up front (BEGIN IMMEDIATE).

    A fault of the file or the disk (full, read-only, I/O error, a lock held past every retry)
    rolls the transaction back and raises StoreWriteError: the event is not saved, every earlier
    commit is kept. SQLite may already have rolled back by itself (a full disk does), so the
    ROLLBACK here is only issued while a transaction is still open.
    """
    where = path if path is not None else Path(_db_file(conn))
    try:
        _retry(lambda: conn.execute("BEGIN IMMEDIATE"))
    except sqlite3.Error as exc:
        if is_fault(exc):
            raise write_error(exc, where) from exc
        raise
    try:
        yield conn
        _retry(lambda: conn.execute("COMMIT"))
    except BaseException as exc:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error) and is_fault(exc):
            raise write_error(exc, where) from exc
        raise


def _db_file(conn: sqlite3.Connection) -> str:
    with suppress(sqlite3.Error):
        for _seq, name, file in conn.execute("PRAGMA database_list"):
            if name == "main":
                return file or ":memory:"
    return "progress.db"


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
