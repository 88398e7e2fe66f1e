"""One sync of this machine's progress with a shared folder, for `quizapp sync` and the app.

The store does the work (`quizapp.store.sync`); this adds what it must not know: the device id,
study's import checks and replay, the clock, and keeping the outcome in `sync.json` so Home,
Settings and `stats --json` can say when this machine last synced and whether it worked.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.store.sync import MEMO_FILE, SyncFailed, SyncReport, sync_folder
from quizapp.store.sync_state import LastSync, SyncState, read_sync_state, write_sync_state

if TYPE_CHECKING:
    from datetime import datetime

    from quizapp.content import Bank
    from quizapp.store import ProgressStore


def sync_store(store: ProgressStore, data_dir: Path, folder: Path, bank: Bank, now: datetime) -> SyncReport:
    """Sync `store` (the progress in `data_dir`) with `folder`; the outcome is kept either way.
    SyncFailed says why it stopped."""
    from quizapp.device import device_id
    from quizapp.study.coach import Coach
    from quizapp.study.import_checks import import_checks

    folder = Path(folder).expanduser()
    try:
        try:
            device = device_id(data_dir)
        except OSError as exc:
            from quizapp.atomic import reason

            raise SyncFailed(f"cannot make this device's id: {reason(exc)}; nothing was synced") from None
        # Replayed with fuzz as it was studied: the fuzz is a draw seeded by the item and the
        # review's time (`study.srs`), so devices replaying the same merged log reach one schedule.
        replay = Coach(bank, store).srs.replay
        report = sync_folder(store, folder, device, data_dir / MEMO_FILE, import_checks(bank), replay)
    except SyncFailed as exc:
        remember(data_dir, LastSync(now.isoformat(timespec="seconds"), False, exc.message.splitlines()[0]))
        raise
    remember(data_dir, LastSync(now.isoformat(timespec="seconds"), True, report.summary()))
    return report


def sync_data_dir(data_dir: Path, folder: Path, bank: Bank, now: datetime) -> SyncReport:
    """The same, opening the store itself: for a worker thread, which must not share the app's
    connection (see `quizapp.store.reader`). Another connection in WAL mode waits for the app's
    one-answer transactions and never half-merges: each peer file is one transaction."""
    from quizapp.store import ProgressStore, StoreError
    from quizapp.textsafe import escape

    try:
        store = ProgressStore.open(data_dir)
    except StoreError as exc:
        message = f"cannot use {escape(exc.path)}: {escape(exc.reason)}"
        remember(data_dir, LastSync(now.isoformat(timespec="seconds"), False, message))
        raise SyncFailed(message) from None
    try:
        return sync_store(store, data_dir, folder, bank, now)
    finally:
        store.close()


def remember(data_dir: Path, last: LastSync) -> None:
    """Keep the outcome; failing to is not a failed sync (the progress was merged or not, either
    way it is in the store), so an OSError here is dropped."""
    from contextlib import suppress
    from dataclasses import replace

    state = read_sync_state(data_dir)
    with suppress(OSError):
        write_sync_state(data_dir, replace(state, last=last))


def sync_settings(data_dir: Path) -> SyncState:
    return read_sync_state(data_dir)


def sync_summary(data_dir: Path) -> dict[str, object]:
    """`stats --json`'s `sync`: this machine's folder (null: not syncing), whether the app syncs
    on start and quit, and the last sync's time, outcome and one-line summary (null: none yet)."""
    state = read_sync_state(data_dir)
    last = state.last
    return {
        "folder": state.folder,
        "automatic": state.automatic,
        "last_sync_at": last.at if last else None,
        "last_sync_ok": last.ok if last else None,
        "last_sync": last.summary if last else None,
    }


def choose_folder(data_dir: Path, folder: str | None, automatic: bool) -> SyncState:
    """Keep this machine's choice (OSError when it cannot be written); the last outcome is kept
    unless the folder changed, when it no longer describes the folder in use."""
    from dataclasses import replace

    state = read_sync_state(data_dir)
    folder = folder.strip() if folder and folder.strip() else None
    last = state.last if folder == state.folder else None
    chosen = replace(state, folder=folder, automatic=automatic, last=last)
    write_sync_state(data_dir, chosen)
    return chosen


def folder_problem(folder: str) -> str | None:
    """Why `folder` cannot be a sync folder, in words, or None. It must exist: a syncer's folder
    appears when the syncer is set up, and making one here would sync into a folder nothing shares."""
    path = Path(folder.strip()).expanduser()
    if not folder.strip():
        return None
    if not path.is_absolute():
        return "Use a full path, e.g. ~/Sync/quizapp"
    if not path.is_dir():
        return f"{path} is not a folder here; make it (or set up the syncer) first"
    return None


__all__ = [
    "SyncFailed",
    "SyncReport",
    "SyncState",
    "choose_folder",
    "folder_problem",
    "remember",
    "sync_data_dir",
    "sync_settings",
    "sync_store",
    "sync_summary",
]
