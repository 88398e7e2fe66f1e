"""The bank cache: what each file yielded last time, so an unchanged bank is not parsed again.

A file's entry is reused only when its path, size, mtime and content hash all match, and the whole
cache only when it was written by this app version from these very loader and model sources (the
`stamp`). The cache is read back through pydantic models: a question's facts (id, type, task, tags
and where it is written) are validated on every read, and its full text through the same `Question`
model the first time it is used (questions.py says why). A corrupt, truncated, stale or foreign
file fails validation and is ignored, never trusted and never fatal; a checksum over the whole file
catches damage inside a question's text, which is validated later. That checksum is a damage check,
not a seal: the cache is as trusted as the bank files (whoever can write one can write the other),
and what it holds is only ever what passed the loader's checks. It is read like any file nobody vouches
for (a regular file, within a size limit, before a byte is read) and replaced atomically
(quizapp.atomic), so a failed write leaves the old cache, and a cache dir that cannot be written just
means no cache.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from threading import Thread
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from quizapp.atomic import write_atomic
from quizapp.content import analysis
from quizapp.content.file_result import CachedQuestions, CachedResult, FileResult
from quizapp.content.index import (
    MAX_CACHE_BYTES,
    FileStamp,
    cache_path,
    file_digest,
    file_key,
    index_of,
    indexes_files,
    read_key,
    sealed,
    stamp,
    unsealed,
)
from quizapp.content.models import AnyQuestion
from quizapp.content.questions import QUESTION
from quizapp.reading import Refused, read_bounded

if TYPE_CHECKING:
    from quizapp.content.loader import Bank

__all__ = ["BankCache", "CacheStats", "cache_path", "file_digest", "sealed", "stamp", "unsealed"]
_sealed, _unsealed = sealed, unsealed
"""The names tests and older callers used."""

FORMAT = "quizapp-bank-cache/2"


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    size: int
    mtime_ns: int
    digest: str
    result: CachedResult


class CacheFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["quizapp-bank-cache/2"]
    index: str | None = None
    """The bank index (`content.index`, JSON text), first so a start reads it without the entries."""
    stamp: str
    entries: dict[str, Entry]


def _cached(result: FileResult) -> CachedResult:
    """A fresh FileResult in the cache's form: each standalone question as its facts plus its JSON."""
    bodies = [QUESTION.dump_json(p.item).decode() for p in result.questions]
    questions = CachedQuestions.of(result.questions, bodies)
    return CachedResult.model_construct(**{**dict(result), "questions": questions})


_CACHE_FILE = TypeAdapter(CacheFile)


@dataclass
class CacheStats:
    """How a load was served: files reused from the cache, files parsed, and why the cache failed."""

    hits: int = 0
    misses: int = 0
    rejected: str | None = None
    """Why an existing cache file was not used (corrupt, stale, foreign), or None."""
    written: bool = False


class BankCache(analysis.Reader):
    """An analysis.Reader that serves unchanged files from the cache and records the rest."""

    def __init__(self, directory: Path, sources: Sequence[Path]) -> None:
        self.path = cache_path(directory, sources)
        self.stamp = stamp()
        self.stats = CacheStats()
        self.old_index: str | None = None
        """The index in the cache as read (`content.index`)."""
        self.old = self._read()
        self.new: dict[str, Entry] = {}
        self.fresh: dict[str, tuple[int, int, str, FileResult]] = {}
        """Files parsed in this load, turned into entries only when the cache is written."""
        self.files_read: dict[str, FileStamp] = {}
        """Every file this load read, as it was read: what the index is valid for."""
        self.index: str | None = None
        """The index of this load's primary bank (`index_for`), when the load had no problem."""

    def _read(self) -> dict[str, Entry]:
        if not os.path.lexists(self.path):
            return {}
        try:
            raw, _ = read_bounded(self.path, MAX_CACHE_BYTES, "caches")
        except Refused as exc:
            self.stats.rejected = f"unreadable: {exc.message}"
            return {}
        payload = unsealed(raw)
        if payload is None:
            self.stats.rejected = "invalid: checksum mismatch (damaged or foreign)"
            return {}
        try:
            cached = _CACHE_FILE.validate_json(payload)
        except Exception as exc:  # noqa: BLE001 - any failure to read it back means: rebuild
            self.stats.rejected = f"invalid: {type(exc).__name__}"
            return {}
        if cached.stamp != self.stamp:
            self.stats.rejected = "stale: written by another version of quizapp"
            return {}
        self.old_index = cached.index
        return cached.entries

    def result(self, path: Path, role: str) -> FileResult | CachedResult:
        try:
            raw, status = analysis.read(path)
        except Refused as exc:
            return analysis.unread(exc.message)
        key = file_key(role, path)
        digest = file_digest(raw)
        self.files_read[read_key(role, path)] = (status.st_size, status.st_mtime_ns, digest)
        entry = self.old.get(key)
        if (
            entry is not None
            and entry.size == status.st_size
            and entry.mtime_ns == status.st_mtime_ns
            and entry.digest == digest
        ):
            self.stats.hits += 1
            self.new[key] = entry
            return entry.result
        self.stats.misses += 1
        result = analysis.analyse(raw, role)
        self.fresh[key] = (status.st_size, status.st_mtime_ns, digest, result)
        return result

    def recover(self, path: Path, question_id: str) -> AnyQuestion:
        """A cached question did not validate: the cache is damaged, so drop it, and ask the file."""
        with suppress(OSError):
            self.path.unlink(missing_ok=True)
        return super().recover(path, question_id)

    def index_for(self, bank: Bank | None, problems: bool) -> None:
        """Make the index of the load's primary `bank`; none after a load with `problems` (a start
        then loads the banks, for the problems dialog) or without a bank."""
        if bank is None or problems:
            self.index = None
        elif self.stats.misses == 0 and self._read_as_indexed():
            self.index = self.old_index  # every file as the index has it: the same facts, kept as read
        else:
            self.index = index_of(bank, self.stamp, self.files_read)

    def _read_as_indexed(self) -> bool:
        """Whether this load read exactly the files the cache's index lists, each as listed (then,
        all served from the cache, the bank is the one indexed: a 10k bank need not be indexed again)."""
        old = self.old_index
        return old is not None and indexes_files(old, self.stamp, self.files_read)

    def save_in_background(self) -> Thread | None:
        """A parsed 10k bank takes ~0.2 s to write back: not worth keeping the learner waiting for.

        Not a daemon, so a quick exit still finishes the file (it is renamed into place whole).
        """
        if not self._changed():
            return None
        thread = Thread(target=self.save, name="bank-cache-writer")
        thread.start()
        return thread

    def _changed(self) -> bool:
        """A file parsed, added or gone, or the index not what the cache holds."""
        return self.stats.misses > 0 or self.new.keys() != self.old.keys() or self.index != self.old_index

    def save(self) -> None:
        """Write the cache (its index first) when anything changed; failing to write only costs the
        next start."""
        if not self._changed():
            return
        entries = dict(self.new)
        for key, (size, mtime_ns, digest, result) in self.fresh.items():
            entries[key] = Entry.model_construct(
                size=size, mtime_ns=mtime_ns, digest=digest, result=_cached(result)
            )
        cache = CacheFile.model_construct(format=FORMAT, index=self.index, stamp=self.stamp, entries=entries)
        data = sealed(_CACHE_FILE.dump_json(cache))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data)
        except OSError:
            return
        self.stats.written = True
