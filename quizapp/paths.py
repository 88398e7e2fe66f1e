"""Where things live. Progress: `--data-dir`, else `QUIZAPP_DATA_DIR`, else the platform's data dir.
The bank cache: `QUIZAPP_CACHE_DIR`, else the platform's cache dir (safe to delete at any time)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizapp"
DATA_DIR_ENV = "QUIZAPP_DATA_DIR"
CACHE_DIR_ENV = "QUIZAPP_CACHE_DIR"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
