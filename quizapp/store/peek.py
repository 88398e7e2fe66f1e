"""A peek at one setting before the store opens, kept apart from `db` so the first screen's
import path stays at json and sqlite3 (opening the store needs the fault, lock and WAL modules)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

DB_NAME = "progress.db"


def peek_setting(data_dir: Path, key: str) -> object | None:
    """One setting read before the store is opened, so the first screen is drawn in the learner's
    theme instead of flashing the default one.

    A hint, not a read: read-only, no health check, no migration, no waiting for a lock. No file
    yet, a damaged or foreign file, or a lock gives None, and `open_database` reports the problem.
    """
    path = data_dir / DB_NAME
    if path.is_symlink() or not path.is_file():  # a symlink is refused at open; not followed here
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
