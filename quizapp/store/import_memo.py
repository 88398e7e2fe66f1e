"""A file merged before is not read again, while what it brought is still here.

An import only adds: rows missing here, a time or a pass prediction unknown here, the finished
state of an exam here still in progress. So once a file has been merged, merging the very same
bytes again adds nothing for as long as nothing it brought or matched has gone: no review or
answer removed or changed (an undo, a repair), no item state, setting or exam of it removed. New
study since does not matter, it only adds rows. Parsing and validating a heavy learner's file
(100k reviews, 50 MB) takes over a second; a sync after a study session merges every peer's file
again, most of them unchanged since the last sync.

So each merge of a file's bytes (`Transfer.import_bytes`) keeps, in the same transaction, the
file's digest with a fingerprint of what must stay for a second merge to be a no-op: the highest
review and answer ids and a hash of every row up to them (a new row takes an id above the highest,
and a removed top id is reused, so a removed or changed row changes the hash; rows added later do
not enter it), the file's item ids and setting keys, and its exams with what they brought. A file
whose digest is kept and whose fingerprint still holds is answered "nothing new" without being
read; anything else is read, validated and merged as before, and remembered again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.store.export_format import ExportFile

MEMO_KEY = "import_merged"
"""The `housekeeping` row holding the fingerprints, newest last."""
KEEP = 16
"""Files remembered: more than the devices of one learner's sync folder."""

ROW_TEXT = {
    "review": "id || char(31) || item_id || char(31) || reviewed_at || char(31) || rating || char(31) "
    "|| mode || char(31) || ifnull(duration_ms, '')",
    "answer": "id || char(31) || question_id || char(31) || answered_at || char(31) || mode || char(31) "
    "|| ifnull(duration_ms, '')",
}
"""What an import matches a row by, and the time it may fill in (the table's other columns it
never reads or changes)."""


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _rows(c: sqlite3.Connection, table: str) -> list[Any]:
    """[highest id, hash of every row up to it] (table is one of ROW_TEXT's, not input)."""
    top = c.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608
    return [top, _hash(c, table, top)]


def _hash(c: sqlite3.Connection, table: str, top: int) -> str:
    h = hashlib.blake2b(digest_size=20)
    cursor = c.execute(f"SELECT {ROW_TEXT[table]} FROM {table} WHERE id <= ? ORDER BY id", (top,))  # noqa: S608
    while batch := cursor.fetchmany(5000):
        h.update("\n".join(row[0] for row in batch).encode())
        h.update(b"\n")
    return h.hexdigest()


def _exam_marks(export: ExportFile) -> list[list[Any]]:
    """Each exam of the file: its key, and whether it brought a finished state and a prediction."""
    return sorted(
        [e.started_at, e.seed, e.status != "in_progress", e.predicted_pass is not None] for e in export.exams
    )


def remember(c: sqlite3.Connection, raw_digest: str, export: ExportFile) -> None:
    """Keep the fingerprint of a file just merged (inside the merge's transaction)."""
    entry = {
        "digest": raw_digest,
        "review": _rows(c, "review"),
        "answer": _rows(c, "answer"),
        "items": sorted({i["item_id"] for i in export.items}),
        "settings": sorted(export.settings),
        "exams": _exam_marks(export),
    }
    memo = [m for m in _read(c) if m.get("digest") != raw_digest][-(KEEP - 1) :]
    c.execute(
        "INSERT OR REPLACE INTO housekeeping (key, value) VALUES (?, ?)",
        (MEMO_KEY, json.dumps([*memo, entry], separators=(",", ":"))),
    )


def merged_before(c: sqlite3.Connection, raw_digest: str) -> bool:
    """Was a file with this digest merged here, with everything it brought still here?"""
    entry = next((m for m in _read(c) if m.get("digest") == raw_digest), None)
    if entry is None:
        return False
    try:
        return _holds(c, entry)
    except (KeyError, TypeError, ValueError):  # a memo this code did not write: not trusted
        return False


def _holds(c: sqlite3.Connection, entry: dict[str, Any]) -> bool:
    for table in ("review", "answer"):
        top, kept = entry[table]
        if _hash(c, table, int(top)) != kept:
            return False
    items = {row[0] for row in c.execute("SELECT item_id FROM item_state")}
    if not items.issuperset(entry["items"]):
        return False
    settings = {row[0] for row in c.execute("SELECT key FROM setting")}
    if not settings.issuperset(entry["settings"]):
        return False
    here = {  # as `_merge_exams` finds them: the lowest id of a key
        (started_at, seed): (status != "in_progress", predicted_pass is not None)
        for started_at, seed, status, predicted_pass in c.execute(
            "SELECT started_at, seed, status, predicted_pass FROM exam ORDER BY id DESC"
        )
    }
    for started_at, seed, finished, predicted in entry["exams"]:
        found = here.get((started_at, seed))
        if found is None or (finished and not found[0]) or (predicted and not found[1]):
            return False
    return True


def _read(c: sqlite3.Connection) -> list[dict[str, Any]]:
    row = c.execute("SELECT value FROM housekeeping WHERE key = ?", (MEMO_KEY,)).fetchone()
    if row is None:
        return []
    try:
        memo = json.loads(row[0])
    except ValueError:
        return []
    return [m for m in memo if isinstance(m, dict)] if isinstance(memo, list) else []
