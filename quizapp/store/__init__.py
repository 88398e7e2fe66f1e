"""Store: the learner's progress in SQLite. The only package that speaks SQL.

Its names are imported on first use (PEP 562): the app's first screen peeks at one setting
(`db.peek_setting`, for the theme) before the store opens, and importing the whole store
(records, queries) would cost that screen about 10 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizapp.lazy import lazy_exports

if TYPE_CHECKING:
    from quizapp.store.db import DB_NAME, SCHEMA_VERSION
    from quizapp.store.errors import StoreError, StoreWriteError
    from quizapp.store.moveaside import move_aside
    from quizapp.store.progress import ProgressStore
    from quizapp.store.records import (
        AnswerRecord,
        AnswerWrite,
        ExamRecord,
        ItemState,
        MissedEntry,
        ReviewRecord,
    )

_HOME = {
    "DB_NAME": "db",
    "SCHEMA_VERSION": "db",
    "StoreError": "errors",
    "StoreWriteError": "errors",
    "move_aside": "moveaside",
    "ProgressStore": "progress",
    "AnswerRecord": "records",
    "AnswerWrite": "records",
    "ExamRecord": "records",
    "ItemState": "records",
    "MissedEntry": "records",
    "ReviewRecord": "records",
}

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "AnswerRecord",
    "AnswerWrite",
    "ExamRecord",
    "ItemState",
    "MissedEntry",
    "ProgressStore",
    "ReviewRecord",
    "StoreError",
    "StoreWriteError",
    "move_aside",
]


__getattr__ = lazy_exports(__name__, _HOME, globals())
