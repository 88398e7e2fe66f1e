"""Reading a file whose size and kind nobody vouches for: limits are checked before the read.

Shared by the loader (bank and cache files) and `import` (export files). A bank folder or an import
file is untrusted input and a cache file can be anything by the time it is read, so a file
is opened without blocking (a FIFO would otherwise wait forever for a writer), the open file itself
is checked (a regular file, not larger than the limit; checking the open descriptor rather than the
path leaves no window for a swap), and at most limit + 1 bytes are read (a sparse 64 GB file costs
no memory, and a file that grew after the check is still caught).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from quizapp.atomic import reason

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


class Refused(Exception):
    """A file that is not read: not a regular file, too big, or unreadable; `message` says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def size_words(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"


def read_bounded(path: Path | str, limit: int, what: str = "files") -> tuple[bytes, os.stat_result]:
    """The bytes of regular file `path` (at most `limit` of them) and its status; else Refused.

    `what` names the files the limit is for, in the message ("banks are limited to ...").
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise Refused(f"cannot read file: {reason(exc)}") from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise Refused(f"cannot read file: it is {_kind(status.st_mode)}, not a regular file")
        if status.st_size > limit:
            raise Refused(_too_big(status.st_size, limit, what))
        chunks, remaining = [], limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise Refused(f"cannot read file: {reason(exc)}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Refused(_too_big(len(data), limit, what))
    return data, status


def _too_big(size: int, limit: int, what: str) -> str:
    more = "more than " if size == limit + 1 else ""
    split = " (split it)" if what == "banks" else ""
    return f"file is {more}{size_words(size)}; {what} are limited to {size_words(limit)} per file{split}"
