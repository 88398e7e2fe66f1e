"""What can go wrong with the progress file, in words a learner can act on.

Damage (a file that is not a database, fails its check, or is another program's) can be moved
aside; everything else (permissions, a read-only or full disk, a symlink, a newer quizapp) is not
damage, and moving the file would only hide the learner's progress, so `can_move_aside` is False
and `advice` says what to do instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

MOVE_ASIDE_ADVICE = "Nothing was changed. To keep that file and start fresh, run: quizapp move-aside"
PERMISSION_ADVICE = (
    "Nothing is damaged. Make the file and its folder readable and writable by you, "
    "or pick another folder with --data-dir."
)
FULL_ADVICE = "Nothing was changed. Free some disk space, then start quizapp again."
NOT_SAVED = "This last change was not saved; everything saved before it is kept."

MOVABLE = frozenset({"not_database", "damaged", "foreign"})
"""Kinds of StoreError that are damage, where moving the file aside is the way out."""


class StoreError(Exception):
    """The progress file cannot be used as it is; `path` names it, `reason` says why, `advice`
    what to do; `kind` is a stable tag for code (one of the names in `classify` and `open_database`)."""

    def __init__(
        self,
        path: Path,
        reason: str,
        *,
        can_move_aside: bool = True,
        advice: str | None = None,
        kind: str = "damaged",
    ) -> None:
        self.path = path
        self.reason = reason
        self.can_move_aside = can_move_aside
        self.kind = kind
        self.advice = advice if advice is not None else (MOVE_ASIDE_ADVICE if can_move_aside else "")
        super().__init__(f"{path}: {reason}")


class StoreWriteError(StoreError):
    """An answer, review, setting or exam step could not be committed (full disk, read-only file,
    I/O error, a lock held too long). The transaction was rolled back: `note` says that this event
    was not saved and everything committed before it is kept."""

    def __init__(self, path: Path, reason: str, *, kind: str, advice: str = "") -> None:
        super().__init__(path, reason, can_move_aside=False, advice=advice, kind=kind)
        self.note = NOT_SAVED

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}. {self.note}"


# SQLite's primary result codes (https://www.sqlite.org/rescode.html); extended codes keep them
# in their low byte.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _AUTH, _NOTADB = (
    3,
    5,
    6,
    8,
    10,
    11,
    13,
    14,
    23,
    26,
)

_FAULTS: dict[int, tuple[str, str, str]] = {
    _FULL: ("full", "the disk is full", FULL_ADVICE),
    _READONLY: (
        "read_only",
        "the progress file cannot be written (a read-only file, folder or disk)",
        PERMISSION_ADVICE,
    ),
    _CANTOPEN: (
        "cannot_open",
        "the progress file cannot be opened (permission denied, or its folder is read-only)",
        PERMISSION_ADVICE,
    ),
    _PERM: ("permission", "permission denied", PERMISSION_ADVICE),
    _AUTH: ("permission", "permission denied", PERMISSION_ADVICE),
    _IOERR: (
        "io",
        "an input/output error while using the progress file (a failing, full or removed disk?)",
        "Nothing was changed. Check the disk, then start quizapp again.",
    ),
    _BUSY: (
        "busy",
        "another program kept the progress file locked for too long",
        "Close other programs using it (another quizapp?), then try again.",
    ),
    _LOCKED: (
        "busy",
        "another program kept the progress file locked for too long",
        "Close other programs using it (another quizapp?), then try again.",
    ),
    _NOTADB: ("not_database", "not a quizapp progress database (not an SQLite file)", MOVE_ASIDE_ADVICE),
    _CORRUPT: ("damaged", "the database is damaged", MOVE_ASIDE_ADVICE),
}


def classify(exc: sqlite3.Error) -> tuple[str, str, str]:
    """(kind, reason, advice) for an SQLite error; an unknown one keeps SQLite's own words."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _FAULTS:
        return _FAULTS[code & 0xFF]
    text = str(exc)
    for needle, primary in (("disk is full", _FULL), ("readonly", _READONLY), ("disk I/O", _IOERR)):
        if needle in text:
            return _FAULTS[primary]
    return ("error", f"the database refused it ({text})", "Nothing was changed.")


def is_fault(exc: BaseException) -> bool:
    """An SQLite error that comes from the file or the disk, not from a bug in quizapp's SQL."""
    return isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
        exc,
        sqlite3.IntegrityError
        | sqlite3.ProgrammingError
        | sqlite3.InterfaceError
        | sqlite3.NotSupportedError
        | sqlite3.DataError,
    )


def write_error(exc: sqlite3.Error, path: Path) -> StoreWriteError:
    kind, reason, advice = classify(exc)
    return StoreWriteError(path, reason, kind=kind, advice=advice)
