"""This data dir's device id: the name of its file in a sync folder, made once and never changed.

It lives in a small file beside progress.db rather than as a setting, because settings travel in
exports (an import keeps local ones but adds missing ones) and a peer must never adopt another
device's id. Copying the whole data dir to a new machine copies the id too; the README says to
delete `device-id` there.
"""

from __future__ import annotations

import os
import re
import secrets
from contextlib import suppress
from pathlib import Path

DEVICE_FILE = "device-id"
DEVICE_ID = re.compile(r"[0-9a-f]{16}")
"""16 hex digits (64 random bits): unique among a learner's machines, short enough for a file name."""


def device_id(folder: Path) -> str:
    """The id stored in `folder`, made (and stored durably) on first use.

    Written to a temporary file, fsynced, then hard-linked to its name: a link never replaces an
    existing file, so two first syncs racing agree on one id, and a kill never leaves a torn one.
    """
    path = Path(folder) / DEVICE_FILE
    known = _read(path)
    if known:
        return known
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    made = secrets.token_hex(8)
    temp = folder / f".{DEVICE_FILE}.{secrets.token_hex(4)}.tmp"
    with open(temp, "x", encoding="ascii") as out:
        out.write(made + "\n")
        out.flush()
        os.fsync(out.fileno())
    try:
        if path.exists() and not _read(path):
            path.unlink()  # not an id at all (emptied by hand): there is nothing to keep
        os.link(temp, path)
    except FileExistsError:
        pass  # another quizapp made it first: use that one
    finally:
        with suppress(OSError):
            temp.unlink()
    known = _read(path)
    if not known:
        raise OSError(f"{path} does not hold a device id")
    return known


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return text if DEVICE_ID.fullmatch(text) else None
