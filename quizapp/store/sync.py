"""Progress shared between machines through a folder a file syncer keeps alike.

No server and no account: each data dir has a stable device id (`quizapp.device`) and owns one
file in the folder, `quizapp-<device>.json`, an ordinary export replaced atomically (temporary
name, fsync, rename), so a syncer never sees it torn and never has two writers for one file. Every
other device's file is then merged with import's idempotent merge (review logs replayed, each file
in one transaction), so devices that sync in any order converge and a second sync changes nothing.

A peer file that is not whole and valid (half-written, damaged, from a newer quizapp) or is a
syncer's conflict copy is skipped with its name and reason: it will be replaced by its device's
next write, and whatever it held is also in that device's own database.

This module prints nothing: `quizapp sync` prints its `SyncReport`, the app shows it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.textsafe import escape

if TYPE_CHECKING:
    from quizapp.store.export_format import ImportChecks
    from quizapp.store.progress import ProgressStore

PREFIX = "quizapp-"
SUFFIX = ".json"
PEER_NAME = re.compile(r"quizapp-([0-9a-f]{16})\.json")
CONFLICT_MARKS = (".sync-conflict-", "conflicted copy")
"""Syncthing's `NAME.sync-conflict-DATE-TIME-ID.json`, Dropbox's and Google Drive's
`NAME (Someone's conflicted copy DATE).json`, and the like: a copy of a device's file that lost a
race. It is never merged: the device's own file holds the same progress or more."""

MEMO_FILE = "sync-merged.json"
"""Beside progress.db: the digest of each peer file merged by the last sync, and of this device's
own export after it. A peer file with the same digest merged into a store whose export is still
that one would add nothing (import is idempotent and only adds), so it is not parsed again: that
was half of a no-op sync. Any change here (a study session, a fresh progress.db) changes the
export's digest, and then every file is merged again."""

TWIN_ADVICE = "on one of them, delete {device_file} in its data folder before it syncs again"


class SyncFailed(Exception):
    """The sync stopped (the folder or the store cannot be used); `message` says why in plain
    words, already escaped. Files merged before the failure stay merged: each was one transaction."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Peer:
    """One file in the sync folder and what became of it."""

    name: str
    device: str | None = None
    skipped: str | None = None


@dataclass
class SyncReport:
    """What one sync did, in lines for a terminal or a dialog (all escaped)."""

    device: str
    said: list[str] = field(default_factory=list)
    """What happened, in order: files written, devices merged."""
    skipped: list[str] = field(default_factory=list)
    """Files not merged and why, and warnings (a twin device id): the learner must see these."""
    added: dict[str, int] = field(default_factory=dict)
    """Everything merged into this store, summed over the peers."""

    def summary(self) -> str:
        """One line for a status bar or `stats`: what came in, and how many files were skipped."""
        got = _added(self.added)
        got = "nothing new" if got == "nothing new" else f"merged {got}"
        if self.skipped:
            return f"{got}; {len(self.skipped)} problem{'s' if len(self.skipped) > 1 else ''}"
        return got


def sync_file_name(device: str) -> str:
    return f"{PREFIX}{device}{SUFFIX}"


def peers(folder: Path, own: str) -> list[Peer]:
    """Every `quizapp-*.json` in the folder but this device's own, sorted by name; conflict copies
    and names no quizapp writes are marked skipped."""
    found = []
    for path in sorted(folder.glob(f"{PREFIX}*{SUFFIX}")):
        name = path.name
        if name == own:
            continue
        peer = Peer(name)
        match = PEER_NAME.fullmatch(name)
        if any(mark in name.lower() for mark in CONFLICT_MARKS):
            peer.skipped = "a file syncer's conflict copy (its device's own file is merged instead)"
        elif match is None:
            peer.skipped = "not a name quizapp writes (quizapp-<16 hex digits>.json)"
        else:
            peer.device = match.group(1)
        found.append(peer)
    return found


Replay = Callable[..., Any]


def sync_folder(
    store: ProgressStore,
    folder: Path,
    device: str,
    memo_path: Path,
    checks: ImportChecks,
    replay: Replay,
) -> SyncReport:
    """Write this device's file, merge every peer's, and write again if anything came in (so peers
    get what came from others without waiting for this device's next sync). SyncFailed when the
    folder or the store cannot be used; a bad peer file is only skipped."""
    if not folder.is_dir():
        raise SyncFailed(f"sync folder {escape(folder)} is not a folder; nothing was synced")
    report = SyncReport(device)
    own = sync_file_name(device)
    memo = _read_memo(memo_path)
    _merge_a_twin(store, folder / own, memo, checks, replay, report)
    own_bytes = _write_own(store, folder / own, report)
    trusted = memo.get("own") == _digest(own_bytes)
    seen: dict[str, str] = {}
    merged_any = False
    for peer in peers(folder, own):
        if peer.skipped is None:
            known = memo["peers"] if trusted else {}
            added = _merge(store, folder / peer.name, peer, known, seen, checks, replay)
            if added is not None:
                merged_any = merged_any or any(added.values())
                _sum(report.added, added)
                report.said.append(f"merged device {peer.device}: {_added(added)}")
        if peer.skipped is not None:
            report.skipped.append(f"skipped {escape(peer.name)}: {peer.skipped}")
    if merged_any:
        own_bytes = _write_own(store, folder / own, report, again=True)
    _write_memo(memo_path, {"own": _digest(own_bytes), "peers": seen})
    return report


def _merge_a_twin(
    store: ProgressStore,
    path: Path,
    memo: dict[str, Any],
    checks: ImportChecks,
    replay: Replay,
    report: SyncReport,
) -> None:
    """This device's own file, changed since this device last wrote it, was written by another
    machine with the same device id (a data dir copied whole, `device-id` included). Its progress
    is merged before the file is replaced, so nothing of the twin's is dropped, and the learner is
    told how to part them."""
    from quizapp.device import DEVICE_FILE

    try:
        current = path.read_bytes()
    except OSError:
        return
    if not memo.get("own") or _digest(current) == memo["own"]:
        return
    peer = Peer(path.name)
    added = _merge(store, path, peer, {}, {}, checks, replay)
    if added is not None:
        _sum(report.added, added)
        report.said.append(f"merged {escape(path.name)}, written by another machine: {_added(added)}")
    report.skipped.append(
        f"{escape(path.name)} was written by another machine with this device's id (a copied data "
        f"folder?); {TWIN_ADVICE.format(device_file=DEVICE_FILE)}"
    )
    if peer.skipped is not None:
        report.skipped.append(f"skipped {escape(path.name)}: {peer.skipped}")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_memo(path: Path) -> dict[str, Any]:
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"own": None, "peers": {}}
    if not isinstance(memo, dict) or not isinstance(memo.get("peers"), dict):
        return {"own": None, "peers": {}}
    return memo


def _write_memo(path: Path, memo: dict[str, Any]) -> None:
    """Only a shortcut: failing to keep it costs the next sync time, never progress."""
    from quizapp.atomic import write_atomic

    with suppress(OSError):
        write_atomic(path, json.dumps(memo, sort_keys=True) + "\n")


def _write_own(store: ProgressStore, path: Path, report: SyncReport, *, again: bool = False) -> bytes:
    """Replace this device's file atomically, only when its content changed: an unchanged file is
    not rewritten, so a no-op sync gives the syncer nothing to upload."""
    from quizapp.atomic import reason, write_atomic

    data = store.export_bytes()  # streamed from the rows: no Python values, no re-encoding
    try:
        unchanged = path.read_bytes() == data
    except OSError:
        unchanged = False
    if not unchanged:
        try:
            write_atomic(path, data)
        except OSError as exc:
            done = "What was merged is kept here" if again else "Nothing was synced"
            raise SyncFailed(
                f"cannot write {escape(path)}: {reason(exc)}\n{done}; the file already there is unchanged."
            ) from None
    reviews = store.reviewed_count("card") + store.reviewed_count("question")
    answers = store.answered_count()
    state = "unchanged" if unchanged else "wrote"
    merged = " with what was merged" if again else ""
    report.said.append(f"{state} {escape(path.name)}{merged}: {reviews} reviews, {answers} answers")
    return data


def _merge(
    store: ProgressStore,
    path: Path,
    peer: Peer,
    merged: dict[str, Any],
    seen: dict[str, str],
    checks: ImportChecks,
    replay: Replay,
) -> dict[str, int] | None:
    """Validate the whole file, then merge it in one transaction; None (with `peer.skipped` set)
    when it cannot be used. A file the last sync merged, unchanged since (`merged`, see
    MEMO_FILE), is not read again. A store that cannot be written stops the sync: that is not the
    file's fault, and the next file would fail the same way."""
    from quizapp.reading import Refused, read_bounded
    from quizapp.store.errors import StoreError
    from quizapp.store.export_format import MAX_EXPORT_BYTES, ImportRefused
    from quizapp.store.import_check import load_export

    try:
        raw, _ = read_bounded(path, MAX_EXPORT_BYTES, "exports")
    except Refused as exc:
        peer.skipped = exc.message
        return None
    digest = _digest(raw)
    # Merged unchanged by the last sync into this same store, or (kept by the store itself, see
    # `import_memo`) merged before with all it brought still here, even after study here since:
    # nothing to add, and the file is not parsed.
    if merged.get(peer.name) == digest or store.merged_before(raw):
        seen[peer.name] = digest
        return {}
    try:
        export = load_export(raw, checks)
    except ImportRefused as exc:
        peer.skipped = _refused(exc)
        return None
    try:
        added = store.import_data(export, replay, source=raw)
    except StoreError as exc:
        raise SyncFailed(
            f"cannot merge {escape(path.name)} into {escape(exc.path)}: {escape(exc.reason)}\n"
            "That file was not merged; files merged before it are kept."
        ) from None
    except sqlite3.Error as exc:
        raise SyncFailed(
            f"cannot merge {escape(path.name)} into {escape(store.path)}: {escape(exc)}\n"
            "That file was not merged; files merged before it are kept."
        ) from None
    seen[peer.name] = digest
    return added


def _refused(exc: object) -> str:
    problems = getattr(exc, "problems", [])
    first = problems[0] if problems else "not a usable export"
    if "newer quizapp" in first:
        return f"written by a newer quizapp; upgrade quizapp here to merge it ({first})"
    if "not JSON" in first or "not UTF-8" in first:
        return f"damaged or still being written (the syncer may not be done): {first}"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"not a valid quizapp export: {first}{more}"


def _sum(total: dict[str, int], added: dict[str, int]) -> None:
    for what, n in added.items():
        total[what] = total.get(what, 0) + n


def _added(added: dict[str, int]) -> str:
    parts = [f"+{n} {what}" for what, n in added.items() if n]
    return ", ".join(parts) if parts else "nothing new"
