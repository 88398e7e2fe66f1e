"""Noticing when SQLite's WAL recovery throws away committed transactions, and keeping a copy.

Every answer is committed to `progress.db-wal` first. When the first connection opens the
database after a crash or a kill, SQLite rebuilds its index of that file and stops at the first
frame whose checksum fails: that frame and every commit after it are silently ignored, and the
next write overwrites them. So before the first connection, `summarize` reads the WAL's headers
(no checksums needed); after connecting, the number of frames SQLite accepted
(`PRAGMA wal_checkpoint(PASSIVE)`'s second value) is compared with it, and a WAL that held more
commits than SQLite kept is copied aside before anything can overwrite it.

WAL file format (https://www.sqlite.org/fileformat2.html#the_write_ahead_log), big-endian:
- a 32-byte header: magic 0x377f0682 or 0x377f0683, format version, page size, checkpoint
  sequence, salt-1, salt-2, checksum-1, checksum-2;
- then frames, each a 24-byte header (page number, database size in pages after commit — non-zero
  only on the frame that ends a transaction —, salt-1, salt-2, checksum-1, checksum-2) followed
  by one page. Frames whose salts differ from the header's are left over from an earlier cycle
  of the file and were never part of the current log.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

HEADER = 32
FRAME_HEADER = 24
MAGICS = (0x377F0682, 0x377F0683)


@dataclass(frozen=True)
class WalSummary:
    """What a WAL file holds, from its headers alone."""

    size: int
    readable: bool
    """False when the header is not a WAL header: SQLite ignores the whole file then."""
    commit_frames: tuple[int, ...]
    """For each committed transaction in the current log, the frame count up to and including it."""

    @property
    def commits(self) -> int:
        return len(self.commit_frames)

    def commits_within(self, frames: int) -> int:
        """How many of the file's transactions lie inside the first `frames` frames."""
        return sum(1 for end in self.commit_frames if end <= frames)


def summarize(path: Path) -> WalSummary | None:
    """The WAL's committed transactions, or None when there is no WAL worth checking."""
    try:
        with open(path, "rb") as wal:
            size = os.fstat(wal.fileno()).st_size
            if size == 0:
                return None
            header = wal.read(HEADER)
            if len(header) < HEADER:
                return WalSummary(size, False, ())
            magic, _version, page_size, _seq, salt1, salt2 = struct.unpack(">6I", header[:24])
            if magic not in MAGICS or not _valid_page_size(page_size):
                return WalSummary(size, False, ())
            ends: list[int] = []
            frame = 0
            while True:
                wal.seek(HEADER + frame * (FRAME_HEADER + page_size))
                head = wal.read(FRAME_HEADER)
                if len(head) < FRAME_HEADER:
                    break
                _page, db_size, s1, s2 = struct.unpack(">4I", head[:16])
                if (s1, s2) != (salt1, salt2):
                    break
                if HEADER + (frame + 1) * (FRAME_HEADER + page_size) > size:
                    break  # a torn last frame: its page never fully reached the disk
                frame += 1
                if db_size:
                    ends.append(frame)
            return WalSummary(size, True, tuple(ends))
    except FileNotFoundError:
        return None


def _valid_page_size(size: int) -> bool:
    return 512 <= size <= 65536 and size & (size - 1) == 0


def discarded(summary: WalSummary, accepted_frames: int) -> int:
    """Committed transactions in the file that SQLite's recovery did not accept."""
    if not summary.readable:
        return 1  # the whole file was ignored; how much it held cannot be read from it
    return summary.commits - summary.commits_within(max(0, accepted_frames))


def warning(wal: Path, summary: WalSummary, accepted_frames: int, copy: Path) -> str:
    """The sentence the CLI prints and the app shows."""
    if not summary.readable:
        lost = f"its header is damaged, so SQLite ignored all {summary.size} bytes of it"
    else:
        kept = summary.commits_within(max(0, accepted_frames))
        lost = (
            f"SQLite could use only {kept} of the {summary.commits} saved changes in it and dropped "
            f"the last {summary.commits - kept} (answers, reviews or settings saved just before "
            "quizapp last stopped)"
        )
    return (
        f"The progress journal {wal.name} was damaged: {lost}. A copy of it is kept as "
        f"{copy.name}; everything else is intact."
    )
