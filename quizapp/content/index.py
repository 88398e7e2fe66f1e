"""The bank index: the little of the bank Home needs, kept in the bank cache and read without
pydantic, YAML or the models.

Home shows the bank's counts, each new flashcard's room, whether an exam in progress can be
resumed, and the pass chance kept for this very bank (keyed by a digest of its facts). On a warm
start all of that is in this small file, so Home is complete without importing pydantic and the
models (about 110 ms) or reading the cache; the bank itself loads after that, in the background.

The index is used only when it describes exactly the files the loader would read now: the same set
of files (the bundled blueprint, each source's blueprint and bank files, as `discovery` finds them),
each with the size, mtime and checksum it had when the index was written, under the same `stamp`
as the cache (this app version, these loader sources). That is the very rule by which the cache
reuses a file, so the index is stale exactly when the cache would parse anything again. It is
written only from a load with no problems at all (a bank with problems starts as before: the
problems dialog needs the load), and a damaged, foreign or stale index is never used.

It is the cache's first field (`{"crc32":…,"cache":{"format":…,"index":"{…}",…}}`), so it is
written with the cache, in one atomic rename, and checked by the cache's checksum; it is read by
parsing that field alone, never the cache's entries. A cache written by a load with problems has
`"index":null`.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import quizapp
from quizapp.content.discovery import bundled_blueprint_path, resolved, source_for
from quizapp.content.facts import QuestionInfo, facts_digest
from quizapp.reading import Refused, read_bounded

try:  # blake2b without hashlib's OpenSSL (about 1.5 ms to load, on Home's way)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from quizapp.content.loader import Bank

FORMAT = "quizapp-bank-index/1"
BANK_FILE_LIMIT = 16 * 1024 * 1024
"""`yamlsafe.MAX_FILE_BYTES`, without importing YAML: a file the loader would refuse is never read here."""
MAX_CACHE_BYTES = 1 << 30
"""A cache larger than this is not read (it is rebuilt): no bank set near it would load in time anyway."""
_SOURCES = (
    "models.py",
    "file_result.py",
    "analysis.py",
    "locate.py",
    "yamlsafe.py",
    "yamlrules.py",
    "cache.py",
    "index.py",
    "facts.py",
    "loader.py",
    "../textsafe.py",
)
"""Modules whose behaviour shapes a FileResult or the index: editing any of them invalidates both."""

FileStamp = tuple[int, int, str]
"""A bank file as last read: (size, mtime_ns, checksum)."""


def stamp() -> str:
    """App version plus a hash of the loader's own sources: any change to them is a new cache."""
    digest = blake2b(digest_size=16)
    digest.update(quizapp.__version__.encode())
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - an odd install: no cache rather than a wrong one
            digest.update(os.urandom(16))
    return digest.hexdigest()


def cache_path(directory: Path, sources: Sequence[Path]) -> Path:
    """One cache file per set of bank sources, so alternating `--bank-dir`s do not evict each other."""
    key = blake2b("\0".join(str(resolved(Path(p))) for p in sources).encode(), digest_size=8)
    return directory / f"banks-{key.hexdigest()}.json"


def file_digest(raw: bytes) -> str:
    """Has a bank file changed, even keeping its size and mtime: this notices edits, it is no seal
    against tampering (whoever can write the cache can write the bank), so a CRC-32 (four times as fast
    as blake2b, read on every start for every file) is enough."""
    return f"{zlib.crc32(raw):08x}"


def file_key(role: str, path: Path) -> str:
    """How the cache names a file read in a role ("blueprint" or "bank"): by its real path."""
    return f"{role}:{resolved(path)}"


def read_key(role: str, path: Path) -> str:
    """How the index names a file read in a role: by the path discovery found it at. Not resolved:
    a start checks every file, and resolving each path is a system call per folder on the way
    (about 140 for the bundled bank); what is checked is the bytes read at that path, so a link
    that now points elsewhere is noticed whenever what it points to differs."""
    return f"{role}:{path}"


_HEAD, _MID = b'{"crc32":"', b'","cache":'


def sealed(payload: bytes) -> bytes:
    """`{"crc32":"<crc of payload>","cache":<payload>}`: still one JSON document, checked before use."""
    return b"%s%08x%s%s}" % (_HEAD, zlib.crc32(payload), _MID, payload)


def unsealed(raw: bytes) -> bytes | None:
    """The payload of a sealed file whose checksum matches, else None."""
    start = len(_HEAD) + 8 + len(_MID)
    if not (raw.startswith(_HEAD) and raw[len(_HEAD) + 8 : start] == _MID and raw.endswith(b"}")):
        return None
    payload = raw[start:-1]
    return payload if raw[len(_HEAD) : len(_HEAD) + 8] == b"%08x" % zlib.crc32(payload) else None


# --------------------------------------------------------------------------- the bank, as indexed


class _Facts:
    """A plain record (not a dataclass: Home imports this module, and each dataclass costs about a
    millisecond to define)."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, *values: Any) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


class IndexTask(_Facts):
    __slots__ = ("id", "title")
    id: str
    title: str


class IndexDomain(_Facts):
    __slots__ = ("id", "name", "weight", "tasks")
    id: int
    name: str
    weight: int
    tasks: tuple[IndexTask, ...]


class IndexFormat(_Facts):
    __slots__ = ("questions", "scored", "minutes", "scale", "passing")
    questions: int
    scored: int
    minutes: int
    scale: tuple[int, int]
    passing: int


class IndexBlueprint(_Facts):
    """The blueprint's figures (what `Blueprint` answers, without its validation)."""

    __slots__ = ("exam", "title", "format", "domains")
    exam: str
    title: str
    format: IndexFormat
    domains: tuple[IndexDomain, ...]

    def task_ids(self) -> list[str]:
        return [t.id for d in self.domains for t in d.tasks]

    def domain_of(self, task: str) -> int:
        return int(task.split(".")[0])


class IndexQuestions:
    """A bank's questions by their facts only: ids, counts and `infos()`, as `Questions` gives them.
    Asking for a question itself is a KeyError: it is not here until the bank has loaded."""

    __slots__ = ("_info",)

    def __init__(self, infos: Sequence[QuestionInfo]) -> None:
        self._info = {info.id: info for info in infos}

    def infos(self) -> Any:
        return self._info.values()

    def info(self, question_id: str) -> QuestionInfo | None:
        return self._info.get(question_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._info)

    def __len__(self) -> int:
        return len(self._info)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._info


class IndexBank:
    """The primary bank as its index has it: the facts Home needs, and no question or card text.

    It answers what a `Bank` answers about ids, counts, types, tasks and the blueprint, so the Coach
    can serve Home with it until the bank itself has loaded (`Coach.use_bank`); `digest` is the
    bank's `facts_digest`."""

    is_index = True

    def __init__(
        self,
        blueprint: IndexBlueprint,
        questions: IndexQuestions,
        deck_of: dict[str, str],
        digest: str,
    ) -> None:
        self.blueprint = blueprint
        self.questions = questions
        self.flashcards: dict[str, None] = dict.fromkeys(deck_of)
        """Flashcard ids (a dict for its order and its fast `in`), as `Bank.flashcards`' keys."""
        self.deck_of = deck_of
        self.digest = digest

    @property
    def exam(self) -> str:
        return self.blueprint.exam

    def domain_of(self, item: Any) -> int:
        return self.blueprint.domain_of(item.task)


def bank_digest(bank: Bank | IndexBank) -> str:
    """The `facts_digest` of a loaded bank or of its index (which keeps it)."""
    if isinstance(bank, IndexBank):
        return bank.digest
    return facts_digest(bank.questions.infos(), [(d.id, d.weight) for d in bank.blueprint.domains])


def _blueprint_of(bank: Bank) -> dict[str, Any]:
    b = bank.blueprint
    f = b.format
    return {
        "exam": b.exam,
        "title": b.title,
        "format": [f.questions, f.scored, f.minutes, list(f.scale), f.passing],
        "domains": [[d.id, d.name, d.weight, [[t.id, t.title] for t in d.tasks]] for d in b.domains],
    }


def _files_json(run_stamp: str, files: dict[str, FileStamp]) -> str:
    """The index's head: its format, stamp and files, as `index_of` writes them."""
    head = {"format": FORMAT, "stamp": run_stamp, "files": {k: list(v) for k, v in sorted(files.items())}}
    return json.dumps(head, separators=(",", ":"))[:-1]


def index_of(bank: Bank, run_stamp: str, files: dict[str, FileStamp]) -> str:
    """The index of a loaded `bank` read from `files` (key -> size, mtime_ns, checksum), as compact
    ASCII JSON text. The cache keeps it as a string: validating it as a string costs next to
    nothing, where validating it as data doubled the validation of a 10k bank's cache."""
    rest = {
        "blueprint": _blueprint_of(bank),
        "questions": [[i.id, i.type, i.task, list(i.tags)] for i in bank.questions.infos()],
        "flashcards": [[card, bank.deck_of.get(card, "")] for card in bank.flashcards],
        "digest": bank_digest(bank),
    }
    return _files_json(run_stamp, files) + "," + json.dumps(rest, separators=(",", ":"))[1:]


def indexes_files(index: str, run_stamp: str, files: dict[str, FileStamp]) -> bool:
    """Whether `index` (text) was written under `run_stamp` from exactly `files`, each as read now."""
    return index.startswith(_files_json(run_stamp, files) + ",")


def _bank_of(data: dict[str, Any]) -> IndexBank:
    b = data["blueprint"]
    questions, scored, minutes, (low, high), passing = b["format"]
    blueprint = IndexBlueprint(
        str(b["exam"]),
        str(b["title"]),
        IndexFormat(int(questions), int(scored), int(minutes), (int(low), int(high)), int(passing)),
        tuple(
            IndexDomain(int(d), str(name), int(weight), tuple(IndexTask(str(t), str(tt)) for t, tt in tasks))
            for d, name, weight, tasks in b["domains"]
        ),
    )
    infos = [
        QuestionInfo(str(q), str(kind), str(task), [str(t) for t in tags])
        for q, kind, task, tags in data["questions"]
    ]
    cards = {str(card): str(deck) for card, deck in data["flashcards"]}
    digest = data["digest"]
    if not isinstance(digest, str):
        raise TypeError("digest")
    return IndexBank(blueprint, IndexQuestions(infos), cards, digest)


# --------------------------------------------------------------------------- is it still true?


def planned_reads(sources: Sequence[Path]) -> list[tuple[str, Path]] | None:
    """The files `load_catalog(sources)` reads, in its roles: the bundled blueprint, then each
    source's blueprint and bank files. None when a folder cannot be searched (that is a problem
    the load must report)."""
    reads = [("blueprint", bundled_blueprint_path())]
    for path in sources:
        source = source_for(Path(path))
        if source.problems:
            return None
        if source.blueprint is not None:
            reads.append(("blueprint", source.blueprint))
        reads += [("bank", file) for file in source.files]
    return reads


def _unchanged(files: dict[str, Any], sources: Sequence[Path]) -> bool:
    """Whether the loader would read exactly `files` now, and find each as it was."""
    reads = planned_reads(sources)
    if reads is None:
        return False
    keys = {read_key(role, path): path for role, path in reads}
    if keys.keys() != files.keys():
        return False
    for key, path in keys.items():
        try:
            raw, status = read_bounded(path, BANK_FILE_LIMIT, "banks")
        except Refused:
            return False
        size, mtime_ns, digest = files[key]
        if (status.st_size, status.st_mtime_ns, file_digest(raw)) != (size, mtime_ns, digest):
            return False
    return True


CACHE_PREFIX = '{"format":"quizapp-bank-cache/2","index":"'
"""How the cache's payload starts: the index (a string) is its first field (`cache.CacheFile`)."""
_PREFIX = CACHE_PREFIX.encode()


def read_index(directory: Path, sources: Sequence[Path]) -> IndexBank | None:
    """The primary bank's index when it still describes the bank files exactly; None otherwise (no
    cache or no index in it, damaged, written by another version, or any bank file added, removed
    or changed). The cache is read and its checksum checked (C code, a millisecond for a big bank);
    of its JSON only the index is parsed."""
    try:
        raw, _ = read_bounded(cache_path(directory, sources), MAX_CACHE_BYTES, "caches")
    except Refused:
        return None
    payload = unsealed(raw)
    if payload is None:
        return None
    try:
        if not payload.startswith(_PREFIX):
            return None
        # The index is a string, so a quote in it is escaped and `","stamp":"` (the cache's own
        # stamp after it) is where it ends: only the index is decoded and parsed.
        end = payload.find(b'","stamp":"', len(_PREFIX))
        if end < 0:
            return None
        data = json.loads(json.loads(payload[len(_PREFIX) - 1 : end + 1]))
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("stamp") != stamp():
            return None
        files = {str(k): tuple(v) for k, v in data["files"].items()}
        if not _unchanged(files, sources):
            return None
        return _bank_of(data)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
