"""This machine's sync choices and the last sync's outcome, in `sync.json` beside progress.db.

Not a setting: settings travel in exports (an import adds the ones missing here), and a folder
path is only true on the machine that chose it; another device adopting it would sync into a path
that does not exist there, or worse, one that means something else. The file is small, replaced
atomically, and a damaged or missing one reads as "no folder chosen" (nothing is lost: the
progress itself is in progress.db and the peers' files).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "sync.json"


@dataclass(frozen=True)
class LastSync:
    at: str
    """When it finished, ISO 8601 with the offset."""
    ok: bool
    summary: str
    """One line: what came in, or why it failed."""


@dataclass(frozen=True)
class SyncState:
    folder: str | None = None
    """The shared folder, as the learner typed it (`~` kept); None: not syncing."""
    automatic: bool = True
    """Sync when the app starts and when it quits (only with a folder)."""
    last: LastSync | None = field(default=None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def read_sync_state(data_dir: Path) -> SyncState:
    try:
        raw = json.loads((Path(data_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SyncState()
    if not isinstance(raw, dict):
        return SyncState()
    folder = raw.get("folder")
    folder = folder if isinstance(folder, str) and folder.strip() else None
    automatic = raw.get("automatic")
    last = raw.get("last")
    parsed_last = None
    if isinstance(last, dict):
        at, ok, summary = last.get("at"), last.get("ok"), last.get("summary")
        if isinstance(at, str) and isinstance(ok, bool) and isinstance(summary, str):
            parsed_last = LastSync(at, ok, summary)
    return SyncState(folder, automatic if isinstance(automatic, bool) else True, parsed_last)


def write_sync_state(data_dir: Path, state: SyncState) -> None:
    """Atomically; OSError for the caller to word (the choice was not kept)."""
    from quizapp.atomic import write_atomic

    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / STATE_FILE, json.dumps(state.to_json(), sort_keys=True, indent=1) + "\n")
